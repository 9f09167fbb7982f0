// SPDX-License-Identifier: MIT

/// Finds bursts of activity — onset, offset, peak and RMS — in one conditioned (band-passed,
/// notched) EMG channel, as it streams.
///
/// ## Method
///
/// 1. **Teager–Kaiser conditioning.** `ψ[n] = x[n]² − x[n−1]·x[n+1]` of the conditioned signal
///    (Li, Zhou & Aruin 2007; Solnik et al. 2010): it weights each component by its amplitude
///    *and* its frequency, so motor-unit activity stands out of low-frequency residue and of
///    a quiet baseline more sharply than the rectified signal does.
/// 2. **Envelope.** `|ψ|` is averaged over frames (`frameDuration`, 5 ms), the frame means are
///    smoothed by a centred moving average of `2h + 1` frames (55 ms), and the envelope is the
///    square root of that, so it is in µV like the signal. The moving average makes the
///    envelope lag by exactly `h` frames; the detector decides `h` frames late and dates its
///    decisions `h` frames back, so onsets and offsets carry no filter delay.
/// 3. **Noise floor.** The minimum of the envelope over each `noiseFloorSegment` (250 ms); the
///    floor is the median of the minima of the last `noiseFloorSpan` (10 s), and at least
///    `minimumNoiseFloor`. A segment minimum comes from the quietest moment of the segment,
///    so bursts hardly move it; the median over 10 s lets it follow a slowly rising baseline.
///    There is no floor, and no detection, until the first segment is complete (this also
///    covers the band-pass's start-up transient).
/// 4. **Double threshold with hysteresis.** A burst starts when the envelope rises above
///    `onsetRatio × floor` (4×) — only after it has been below `offsetRatio × floor`, so a
///    detector that starts inside activity does not report a truncated burst — and ends when
///    it falls below `offsetRatio × floor` (2.5×).
/// 5. **Minimum gap, minimum duration.** A burst that restarts within `minimumGap` (50 ms) of
///    its end continues; a burst shorter than `minimumDuration` (30 ms) is dropped.
///
/// A burst is reported once it is final: `minimumGap` after its offset, plus the `h` frames of
/// envelope delay. Its peak is the largest `|x|` and its RMS the root mean square of the
/// conditioned signal over `[onset, offset)`.
///
/// ## Cost
///
/// Per sample: the Teager–Kaiser term, `|ψ|`, `x²` and `|x|` accumulated into the frame (about
/// eight operations, no branch; `processFrame` takes these sums from a kernel that computes
/// them for eight channels at once). Per 5 ms frame: the moving sum and the threshold logic.
/// Per 250 ms: one value in and one out of a sorted list of 40. Nothing is allocated after
/// `init`.
///
/// A value type: copying a detector copies its state.
public struct BurstDetector: Sendable {
    /// What the detector reports while it runs.
    public enum Output: Hashable, Sendable {
        /// The envelope of one frame: frame `frame` covers samples
        /// `frame · frameLength ..< (frame + 1) · frameLength`; `value` in µV. Reported `h`
        /// frames after the frame ends (the smoothing's delay), in frame order.
        case envelope(frame: Int, value: Float)
        /// A final burst, in onset order.
        case burst(Burst)
    }

    /// The rate of the conditioned input.
    public let sampleRate: Hertz
    /// The parameters.
    public let configuration: BurstDetectorConfiguration
    /// Samples per envelope frame.
    public let frameLength: Int
    /// The envelope's delay `h`, in frames (the half-width of the moving average).
    public let delayFrames: Int

    private let minimumFrames: Int
    private let gapFrames: Int
    private let segmentFrames: Int
    private let onsetRatio: Float
    private let offsetRatio: Float

    /// Samples taken since creation or `reset()`.
    public private(set) var sampleCount = 0
    /// The current noise floor (µV, envelope units), `nil` until the first segment is complete.
    public private(set) var noiseFloor: Float?

    // Per sample.
    private var previous1: Float = 0
    private var previous2: Float = 0
    private var frameEnergy: Float = 0
    private var frameSquares: Float = 0
    private var framePeak: Float = 0
    private var inFrame = 0
    private var framesCompleted = 0

    // Per frame, in one buffer (one uniqueness check per frame instead of three): the last 2h+1
    // frame energies (mean |ψ|) at 0..<2h+1, then the last h+1 frames' sums of squares, then
    // their peaks (so that the decision, h frames late, sees the frame it dates).
    private var rings: [Float]
    /// Where frame `framesCompleted` goes in `energies` and in the delayed rings.
    private var energyIndex = 0
    private var delayIndex = 0
    /// The running sum of `energies` (re-summed once per turn of the ring, against drift).
    private var energySum: Float = 0

    // Noise floor.
    private var segmentMinimum: Float = .infinity
    private var inSegment = 0
    private var minima: [Float]
    private var minimaCount = 0
    private var minimaNext = 0
    /// The same minima, sorted (so the median is read, not computed).
    private var sortedMinima: [Float]

    // Decisions.
    private enum Phase: Sendable { case idle, active, ending }
    private var phase = Phase.idle
    private var armed = false
    private var onsetFrame = 0
    private var offsetFrame = 0
    private var burstSquares: Double = 0
    private var burstPeak: Float = 0
    private var burstPeakEnvelope: Float = 0
    private var burstFloor: Float = 0
    private var gapSquares: Double = 0
    private var gapPeak: Float = 0
    private var gapPeakEnvelope: Float = 0
    private var decidedFrames = 0
    private var pendingEnvelope: (frame: Int, value: Float)?
    private var pendingBurst: Burst?

    /// A detector for a conditioned channel at `sampleRate`.
    ///
    /// - Throws: `FeatureConfigurationError.invalidSampleRate`; `.invalidDuration` for a frame,
    ///   smoothing, duration, gap or floor segment that is not positive (or a floor span shorter
    ///   than one segment); `.invalidParameter` unless `0 < offsetRatio ≤ onsetRatio` and the
    ///   minimum floor is finite and ≥ 0.
    public init(sampleRate: Hertz, configuration: BurstDetectorConfiguration = .init())
        throws(FeatureConfigurationError)
    {
        guard sampleRate.value.isFinite, sampleRate.value > 0 else { throw .invalidSampleRate(sampleRate) }
        let c = configuration
        for (name, d) in [("frameDuration", c.frameDuration), ("smoothingDuration", c.smoothingDuration),
                          ("minimumDuration", c.minimumDuration), ("minimumGap", c.minimumGap),
                          ("noiseFloorSegment", c.noiseFloorSegment), ("noiseFloorSpan", c.noiseFloorSpan)]
        where !(d > .zero) {
            throw .invalidDuration(name, d)
        }
        guard c.onsetRatio.isFinite, c.onsetRatio > 0 else { throw .invalidParameter("onsetRatio", c.onsetRatio) }
        guard c.offsetRatio.isFinite, c.offsetRatio > 0, c.offsetRatio <= c.onsetRatio else {
            throw .invalidParameter("offsetRatio", c.offsetRatio)
        }
        guard c.minimumNoiseFloor.isFinite, c.minimumNoiseFloor >= 0 else {
            throw .invalidParameter("minimumNoiseFloor", Double(c.minimumNoiseFloor))
        }
        let frame = max(1, sampleRate.sampleCount(c.frameDuration))
        let frameSeconds = Double(frame) / sampleRate.value
        func frames(_ d: Duration) -> Int { Int((d.inSeconds / frameSeconds).rounded(.toNearestOrAwayFromZero)) }
        let h = max(0, Int((c.smoothingDuration.inSeconds / (2 * frameSeconds)).rounded(.toNearestOrAwayFromZero)))
        let segment = max(1, frames(c.noiseFloorSegment))
        let segments = frames(c.noiseFloorSpan) / segment
        guard segments >= 1 else { throw .invalidDuration("noiseFloorSpan", c.noiseFloorSpan) }

        self.sampleRate = sampleRate
        self.configuration = c
        frameLength = frame
        delayFrames = h
        minimumFrames = max(1, frames(c.minimumDuration))
        gapFrames = max(1, frames(c.minimumGap))
        segmentFrames = segment
        onsetRatio = Float(c.onsetRatio)
        offsetRatio = Float(c.offsetRatio)
        rings = Array(repeating: 0, count: (2 * h + 1) + 2 * (h + 1))
        minima = Array(repeating: 0, count: segments)
        sortedMinima = Array(repeating: 0, count: segments)
    }

    /// The sample index before which every burst has been reported: bursts found later all
    /// start at or after it. It trails the input by the envelope delay, and stays at the onset
    /// of a burst in progress until that burst is final.
    public var settledSample: Int {
        phase == .idle ? decidedFrames * frameLength : onsetFrame * frameLength
    }

    /// The onset (sample index) of a burst in progress, if any — for stages that must see
    /// sustained activity before it ends.
    public var activeBurstOnset: Int? { phase == .idle ? nil : onsetFrame * frameLength }

    /// Takes one sample.
    public mutating func process(_ x: Float, emit: (Output) -> Void) {
        withUnsafePointer(to: x) { process(from: $0, stride: 1, count: 1, emit: emit) }
    }

    /// Takes a block of samples.
    public mutating func process(_ block: UnsafeBufferPointer<Float>, emit: (Output) -> Void) {
        guard let base = block.baseAddress else { return }
        process(from: base, stride: 1, count: block.count, emit: emit)
    }

    /// Takes `count` samples spaced `stride` apart from `base` (one channel of interleaved
    /// frames).
    public mutating func process(from base: UnsafePointer<Float>, stride: Int, count: Int, emit: (Output) -> Void) {
        var offset = 0
        while offset < count {
            offset += consume(from: base + offset * stride, stride: stride, count: count - offset)
            if let e = takeEnvelope() { emit(.envelope(frame: e.frame, value: e.value)) }
            if let b = takeBurst() { emit(.burst(b)) }
        }
    }

    /// Takes samples spaced `stride` apart from `base`, at most `count` and no further than the
    /// end of the current frame; returns how many it took. When that completes a frame,
    /// `takeEnvelope()` and `takeBurst()` return what the frame produced (at most one envelope
    /// value and one burst). For callers that cannot pass a closure (`emit` would capture their
    /// own state); `process(from:stride:count:emit:)` is this in a loop.
    public mutating func consume(from base: UnsafePointer<Float>, stride: Int, count: Int) -> Int {
        let run = min(count, frameLength - inFrame)
        var p1 = previous1, p2 = previous2
        var energy = frameEnergy, squares = frameSquares, peak = framePeak
        var pointer = base
        for _ in 0..<run {
            let x = pointer.pointee
            let psi = p1 * p1 - p2 * x
            energy += abs(psi)
            squares += x * x
            peak = max(peak, abs(x))
            p2 = p1
            p1 = x
            pointer += stride
        }
        previous1 = p1
        previous2 = p2
        frameEnergy = energy
        frameSquares = squares
        framePeak = peak
        inFrame += run
        sampleCount += run
        if inFrame == frameLength { completeFrame() }
        return run
    }

    /// Takes one whole frame whose sums were computed elsewhere — by a kernel that runs several
    /// channels in SIMD lanes — exactly as `consume` would have: `energySum` is `Σ|ψ|` of the
    /// Teager–Kaiser terms added while the frame's `frameLength` samples arrived (the term
    /// `x[n−1]² − x[n−2]·x[n]` is added when `x[n]` arrives), `squares` is `Σx²` and `peak` is
    /// `max|x|` over those samples. Then `takeEnvelope()` and `takeBurst()` as after `consume`.
    ///
    /// - Important: Do not mix with `consume` within a frame.
    public mutating func processFrame(energySum: Float, squares: Float, peak: Float) {
        precondition(inFrame == 0, "a frame was started sample by sample")
        frameEnergy = energySum
        frameSquares = squares
        framePeak = peak
        sampleCount += frameLength
        completeFrame()
    }

    /// The envelope value of the frame the last `consume` completed, once.
    public mutating func takeEnvelope() -> (frame: Int, value: Float)? {
        defer { pendingEnvelope = nil }
        return pendingEnvelope
    }

    /// Whether `takeBurst()` has a burst to give.
    public var hasBurst: Bool { pendingBurst != nil }

    /// The burst that became final in the frame the last `consume` completed, once.
    public mutating func takeBurst() -> Burst? {
        defer { pendingBurst = nil }
        return pendingBurst
    }

    /// Returns to the initial state (no floor, no burst), without allocating.
    public mutating func reset() {
        sampleCount = 0
        noiseFloor = nil
        previous1 = 0
        previous2 = 0
        frameEnergy = 0
        frameSquares = 0
        framePeak = 0
        inFrame = 0
        framesCompleted = 0
        for i in rings.indices { rings[i] = 0 }
        energyIndex = 0
        delayIndex = 0
        energySum = 0
        segmentMinimum = .infinity
        inSegment = 0
        minimaCount = 0
        minimaNext = 0
        phase = .idle
        armed = false
        decidedFrames = 0
        pendingEnvelope = nil
        pendingBurst = nil
    }

    // MARK: - Frames

    private mutating func completeFrame() {
        let width = 2 * delayFrames + 1
        let delay = delayFrames
        let mean = frameEnergy / Float(frameLength)
        let squaresAt = width, peaksAt = width + delay + 1
        var index = energyIndex, slot = delayIndex, sum = energySum
        let (squares, peak): (Float, Float) = rings.withUnsafeMutableBufferPointer { r in
            // Moving sum: add the new frame, drop the one it replaces; re-sum once per ring turn
            // so that rounding cannot accumulate.
            sum += mean - r[index]
            r[index] = mean
            index += 1
            if index == width {
                index = 0
                var total: Float = 0
                for i in 0..<width { total += r[i] }
                sum = total
            }
            // The ring of h + 1 frames: after writing frame k at `slot`, frame k − h is the next
            // slot (the oldest).
            r[squaresAt + slot] = frameSquares
            r[peaksAt + slot] = framePeak
            slot = slot == delay ? 0 : slot + 1
            return (r[squaresAt + slot], r[peaksAt + slot])
        }
        energyIndex = index
        delayIndex = slot
        energySum = sum
        frameEnergy = 0
        frameSquares = 0
        framePeak = 0
        inFrame = 0
        let k = framesCompleted
        framesCompleted += 1

        // The envelope of frame j = k − h (needs frames j − h … j + h).
        let j = k - delay
        guard j >= 0 else { return }
        let envelope = (max(energySum, 0) / Float(width)).squareRoot()
        pendingEnvelope = (j, envelope)

        if let floor = noiseFloor { decide(frame: j, envelope: envelope, squares: squares, peak: peak, floor: floor) }
        decidedFrames = j + 1
        updateFloor(envelope)
    }

    private mutating func updateFloor(_ envelope: Float) {
        segmentMinimum = min(segmentMinimum, envelope)
        inSegment += 1
        guard inSegment == segmentFrames else { return }
        let newest = segmentMinimum
        segmentMinimum = .infinity
        inSegment = 0
        let full = minimaCount == minima.count
        let leaving = minima[minimaNext]
        minima[minimaNext] = newest
        minimaNext = minimaNext + 1 == minima.count ? 0 : minimaNext + 1
        // Keep `sortedMinima[0..<count]` sorted: drop the leaving value, insert the new one.
        let median: Float = sortedMinima.withUnsafeMutableBufferPointer { sorted in
            var count = minimaCount
            if full {
                var i = 0
                while i < count - 1 && sorted[i] != leaving { i += 1 }
                while i < count - 1 {
                    sorted[i] = sorted[i + 1]
                    i += 1
                }
                count -= 1
            }
            var j = count
            while j > 0 && sorted[j - 1] > newest {
                sorted[j] = sorted[j - 1]
                j -= 1
            }
            sorted[j] = newest
            count += 1
            // NumPy's linear interpolation at q = 0.5.
            let position = 0.5 * Float(count - 1)
            let below = Int(position)
            let above = min(below + 1, count - 1)
            return sorted[below] + (sorted[above] - sorted[below]) * (position - Float(below))
        }
        minimaCount = min(minimaCount + 1, minima.count)
        noiseFloor = max(median, configuration.minimumNoiseFloor)
    }

    private mutating func decide(frame j: Int, envelope: Float, squares: Float, peak: Float, floor: Float) {
        let on = onsetRatio * floor, off = offsetRatio * floor
        switch phase {
        case .idle:
            startIfRising(frame: j, envelope: envelope, squares: squares, peak: peak, floor: floor, on: on, off: off)
        case .active:
            if envelope < off {
                phase = .ending
                offsetFrame = j
                gapSquares = Double(squares)
                gapPeak = peak
                gapPeakEnvelope = envelope
            } else {
                burstSquares += Double(squares)
                burstPeak = max(burstPeak, peak)
                burstPeakEnvelope = max(burstPeakEnvelope, envelope)
            }
        case .ending:
            let gap = j - offsetFrame
            if envelope > on && gap < gapFrames {
                // Restarted within the minimum gap: one burst, gap included.
                phase = .active
                burstSquares += gapSquares + Double(squares)
                burstPeak = max(burstPeak, gapPeak, peak)
                burstPeakEnvelope = max(burstPeakEnvelope, gapPeakEnvelope, envelope)
            } else if gap >= gapFrames {
                finish()
                armed = true
                startIfRising(frame: j, envelope: envelope, squares: squares, peak: peak, floor: floor, on: on, off: off)
            } else {
                gapSquares += Double(squares)
                gapPeak = max(gapPeak, peak)
                gapPeakEnvelope = max(gapPeakEnvelope, envelope)
            }
        }
    }

    private mutating func startIfRising(
        frame j: Int, envelope: Float, squares: Float, peak: Float, floor: Float, on: Float, off: Float
    ) {
        if envelope < off {
            armed = true
        } else if armed && envelope > on {
            phase = .active
            onsetFrame = j
            burstSquares = Double(squares)
            burstPeak = peak
            burstPeakEnvelope = envelope
            burstFloor = floor
        }
    }

    private mutating func finish() {
        phase = .idle
        guard offsetFrame - onsetFrame >= minimumFrames else { return }
        let start = onsetFrame * frameLength, end = offsetFrame * frameLength
        let rms = Float((burstSquares / Double(end - start)).squareRoot())
        pendingBurst = Burst(
            sampleRange: start..<end, onsetTime: sampleRate.time(ofSample: start),
            offsetTime: sampleRate.time(ofSample: end), peakAmplitude: burstPeak, rms: rms,
            peakEnvelope: burstPeakEnvelope, noiseFloor: burstFloor)
    }
}
