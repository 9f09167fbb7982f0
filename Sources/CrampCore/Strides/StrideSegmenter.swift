// SPDX-License-Identifier: MIT

/// Cuts one gait-locked EMG channel into strides: it picks, among the channel's bursts, the one
/// gait burst of each stride, given the stride period (from the cadence sensor or from the EMG
/// itself, `GaitPeriodEstimator`).
///
/// A calf muscle fires once per stride (a stride is two steps: from one foot contact to the
/// next contact of the same foot). Its bursts therefore repeat with the stride period `P`, but
/// the burst list also holds shorter bursts that are not the stance activation: pre-activation
/// in late swing (real walking gastrocnemius shows one every stride), twitches before a cramp,
/// crosstalk. The segmenter keeps the bursts in a short queue and works one stride at a time:
///
/// 1. **Anchor.** With no gait burst yet, it waits until every burst starting within `0.8·P` of
///    the oldest queued burst is known, and takes the one with the most energy (`Burst.energy`,
///    RMS² × length): the stance activation is the largest burst of the cycle, and 0.8 of a
///    period holds at most one of them even when the stride is a little shorter than `P` (a
///    full period could hold the next stride's activation too and skip the first stride).
/// 2. **Next gait burst.** From a gait burst at onset `t`, the next is the burst with the most
///    energy among those starting in `[t + 0.5·P, t + 1.5·P)` — a window one period wide, so it
///    holds one occurrence of each periodic burst, and the largest wins (a wrong anchor corrects
///    itself after one stride). The stride is `[t, t′)`; it is reported if its length is within
///    `acceptedRange` (0.7–1.3 `P`); the other bursts that start inside it are its
///    `extraBursts`. With no burst in the window the lock is lost and the next anchor is chosen
///    as in 1.
/// 3. **No period** at a burst's onset (not moving, or the envelope not periodic): that burst
///    neither anchors nor continues a stride; the lock is dropped.
///
/// The period is asked for at the onset of the burst a decision starts from, so a decision does
/// not depend on when it is taken (how the input was cut into blocks).
///
/// A stride is decided once every burst that starts before `t + 1.5·P` is final
/// (`BurstDetector.settledSample`), so strides come about 1.5 periods after their start.
/// Nothing is allocated after `init`.
public struct StrideSegmenter: Sendable {
    /// One stride as the segmenter found it; `SessionFeaturePipeline` measures its features.
    public struct Segment: Hashable, Sendable {
        /// The gait burst that starts the stride (its active phase).
        public let gaitBurst: Burst
        /// The gait burst that starts the next stride: the stride ends at its onset.
        public let nextGaitBurst: Burst
        /// Bursts that started inside the stride but are not its gait burst.
        public let extraBursts: Int
        /// The period `P` the decision used, in samples.
        public let periodSamples: Double

        /// The stride's samples, from its gait burst's onset to the next one's.
        public var sampleRange: Range<Int> { gaitBurst.sampleRange.lowerBound..<nextGaitBurst.sampleRange.lowerBound }
    }

    /// The accepted stride lengths, as fractions of the period. Default 0.7…1.3.
    public let acceptedRange: ClosedRange<Double>
    /// Bursts dropped because the queue was full (more than `capacity` undecided bursts).
    public private(set) var droppedBursts = 0

    /// The stride period at a sample, as the caller knows it.
    public enum Period: Hashable, Sendable {
        /// The period, in samples.
        case samples(Double)
        /// No period there (the runner stood still, or the envelope was not periodic).
        case none
        /// Not known yet: decisions that need it wait.
        case pending
    }

    /// The anchor window, as a fraction of the period.
    static let anchorWindow = 0.8

    private var queue: [Burst]
    private let capacity: Int
    private var anchor: Burst?

    /// A segmenter holding at most `capacity` undecided bursts.
    ///
    /// - Throws: `FeatureConfigurationError.invalidParameter` for a capacity below 4 or a range
    ///   not inside `0.5…1.5`.
    public init(acceptedRange: ClosedRange<Double> = 0.7...1.3, capacity: Int = 64) throws(FeatureConfigurationError) {
        guard capacity >= 4 else { throw .invalidParameter("capacity", Double(capacity)) }
        guard acceptedRange.lowerBound >= 0.5, acceptedRange.upperBound <= 1.5 else {
            throw .invalidParameter("acceptedRange", acceptedRange.lowerBound)
        }
        self.acceptedRange = acceptedRange
        self.capacity = capacity
        queue = []
        queue.reserveCapacity(capacity)
    }

    /// Takes the next final burst (bursts come in onset order).
    public mutating func add(_ burst: Burst) {
        if queue.count == capacity {
            queue.removeFirst()
            droppedBursts += 1
        }
        queue.append(burst)
    }

    /// Decides every stride that can be decided, calling `emit` with each, in order.
    ///
    /// - Parameters:
    ///   - settledSample: Every burst starting before this sample has been added.
    ///   - periodSamples: The stride period that was in force at a sample index. A stride is
    ///     decided with the period at its start, so the result does not depend on when
    ///     `advance` is called.
    ///   - oldestUsefulSample: Queued bursts starting before this are forgotten (their samples
    ///     are no longer held, or they are too old to start a stride).
    ///   - emit: Called with each stride, in order.
    public mutating func advance(
        settledSample: Int, periodSamples: (Int) -> Period, oldestUsefulSample: Int, emit: (Segment) -> Void
    ) {
        while let segment = next(settledSample: settledSample, periodSamples: periodSamples, oldestUsefulSample: oldestUsefulSample) {
            emit(segment)
        }
    }

    /// Decides every stride that can be decided with one constant period (`nil`: none).
    public mutating func advance(
        settledSample: Int, periodSamples: Double?, oldestUsefulSample: Int, emit: (Segment) -> Void
    ) {
        let period: Period = periodSamples.map { .samples($0) } ?? .none
        advance(settledSample: settledSample, periodSamples: { _ in period }, oldestUsefulSample: oldestUsefulSample, emit: emit)
    }

    /// The next stride that can be decided, or `nil` when none can be yet (same parameters as
    /// `advance`). Call until it returns `nil`.
    public mutating func next(settledSample: Int, periodSamples: (Int) -> Period, oldestUsefulSample: Int) -> Segment? {
        var stale = 0
        while stale < queue.count && queue[stale].sampleRange.lowerBound < oldestUsefulSample { stale += 1 }
        queue.removeFirst(stale)
        while true {
            guard let current = anchor else {
                guard let first = queue.first else { return nil }
                let period: Double
                switch periodSamples(first.sampleRange.lowerBound) {
                case .pending: return nil
                case .samples(let p) where p > 0: period = p
                default:
                    // No period where the oldest burst starts: it cannot anchor a stride.
                    queue.removeFirst()
                    continue
                }
                let windowEnd = first.sampleRange.lowerBound + Int((Self.anchorWindow * period).rounded(.up))
                guard settledSample >= windowEnd else { return nil }
                let chosen = Self.largest(in: queue, below: windowEnd, atLeast: first.sampleRange.lowerBound)!
                removeThrough(chosen)
                anchor = chosen
                continue
            }
            let start = current.sampleRange.lowerBound
            let period: Double
            switch periodSamples(start) {
            case .pending: return nil
            case .samples(let p) where p > 0: period = p
            default:
                anchor = nil
                continue
            }
            let low = start + Int((0.5 * period).rounded())
            let high = start + Int((1.5 * period).rounded())
            guard settledSample >= high else { return nil }
            guard let chosen = Self.largest(in: queue, below: high, atLeast: low) else {
                // Lost: nothing in the window.
                anchor = nil
                queue.removeAll { $0.sampleRange.lowerBound < low }
                continue
            }
            var extras = 0
            for i in 0..<queue.count where queue[i].sampleRange.lowerBound < chosen.sampleRange.lowerBound { extras += 1 }
            let length = Double(chosen.sampleRange.lowerBound - start) / period
            removeThrough(chosen)
            anchor = chosen
            if acceptedRange.contains(length) {
                return Segment(gaitBurst: current, nextGaitBurst: chosen, extraBursts: extras, periodSamples: period)
            }
        }
    }

    /// Forgets every burst and the lock.
    public mutating func reset() {
        queue.removeAll(keepingCapacity: true)
        anchor = nil
        droppedBursts = 0
    }

    /// Removes the queued bursts up to and including `burst` (they are decided).
    private mutating func removeThrough(_ burst: Burst) {
        var n = 0
        while n < queue.count && queue[n].sampleRange.lowerBound <= burst.sampleRange.lowerBound { n += 1 }
        queue.removeFirst(n)
    }

    private static func largest(in queue: [Burst], below end: Int, atLeast start: Int) -> Burst? {
        var best: Burst?
        // Index loop: for-in over an Array allocates in debug builds.
        for i in 0..<queue.count where queue[i].sampleRange.lowerBound >= start && queue[i].sampleRange.lowerBound < end {
            if best == nil || queue[i].energy > best!.energy { best = queue[i] }
        }
        return best
    }
}
