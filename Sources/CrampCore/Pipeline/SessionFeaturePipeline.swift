// SPDX-License-Identifier: MIT

/// The whole EMG feature pipeline of one session: conditioning, per-window features and signal
/// quality, bursts, strides and the runner's baseline, for every EMG channel — fed sample
/// blocks as they arrive, reporting `SessionFeatureEvent`s as they are decided.
///
/// ```swift
/// var pipeline = try SessionFeaturePipeline(channels: channels)
/// // for each EDF data record, for each signal:
/// pipeline.process(samples: record[signal], channel: signal) { event in … }
/// pipeline.finish { event in … }
/// ```
///
/// ## Flow
///
/// EMG channels are grouped by rate (`EMGRateGroup`); within a group the samples are staged until
/// every channel has delivered them, then conditioned eight channels per SIMD vector
/// (band-pass, then notches) and analysed per channel (`EMGChannelState`):
/// `SlidingFeatureExtractor` (window features), `SignalQualityMonitor` (flags per window),
/// `BurstDetector` (bursts, with `SegmentSpectrum` features over each burst),
/// `GaitPeriodEstimator` and `StrideSegmenter` (strides), `InterBurstBaselineEstimator` and
/// `RunnerBaseline` (per-stride features against the runner's own start).
///
/// Cadence channels steer stride segmentation: the stride period is `120 / cadence` seconds
/// while a recent cadence sample says the runner is moving, no strides while it says they
/// stopped, and the EMG's own period when there is no cadence. HR, RR and speed are accepted
/// and not analysed yet: the heart-rate and cadence features plug in here as further stages fed
/// by `process(value:timeSeconds:channel:emit:)` and `process(samples:channel:emit:)`, next to
/// the EMG groups, reporting their own event cases.
///
/// ## Determinism
///
/// Time is the sample count divided by the rate. Given the same samples in the same order
/// (per channel; interleaving across channels only changes *when* events are reported, not
/// their content) the events are the same, bit for bit, at any replay speed. With
/// `MainsSetting.automatic` the first four seconds are held back until `MainsDetector` has
/// examined them; they are then processed with the chosen notches, so the whole session sees one
/// set of filters.
///
/// ## Cost
///
/// Per EMG sample: the window stage (filters, window features), about 25 operations for
/// quality, bursts and history; per 5 ms frame the burst envelope; per burst one FFT; per
/// stride a least-squares fit over the quiet interval. Nothing is allocated per sample, per
/// window, per burst or per stride (staging grows once if a channel delivers more than one
/// second ahead of the others).
public struct SessionFeaturePipeline {
    /// The session's channels, as given.
    public let channels: [SessionChannel]
    /// The configuration.
    public let configuration: SessionFeatureConfiguration
    /// The mains decision, once made.
    public private(set) var mains: MainsDecision?

    private var groups: [EMGRateGroup]
    /// Per channel: its group and lane, for EMG channels.
    private let lanes: [(group: Int, member: Int)?]
    private var scalarCounts: [Int]
    private var cadence = CadenceTrack()
    private var announced = false
    private var finished = false

    /// A pipeline for `channels`.
    ///
    /// - Throws: `FeatureConfigurationError.invalidChannel` for an EMG channel without a finite,
    ///   positive rate or whose rate the filters cannot handle; any error of the stages'
    ///   configurations (`invalidDuration`, `invalidParameter`, `invalidWindowLength`, …).
    public init(channels: [SessionChannel], configuration: SessionFeatureConfiguration = .init())
        throws(FeatureConfigurationError)
    {
        var rates: [Hertz] = []
        var membersByRate: [[Int]] = []
        var lanes: [(group: Int, member: Int)?] = Array(repeating: nil, count: channels.count)
        for (i, c) in channels.enumerated() where c.kind == .emg {
            guard let rate = c.sampleRate, rate.value.isFinite, rate.value > 0 else {
                throw .invalidChannel(index: i, reason: "an EMG channel needs a finite, positive sample rate")
            }
            if let g = rates.firstIndex(of: rate) {
                lanes[i] = (g, membersByRate[g].count)
                membersByRate[g].append(i)
            } else {
                lanes[i] = (rates.count, 0)
                rates.append(rate)
                membersByRate.append([i])
            }
        }
        var groups: [EMGRateGroup] = []
        for (g, rate) in rates.enumerated() {
            let members = membersByRate[g]
            groups.append(try EMGRateGroup(
                sampleRate: rate, members: members, labels: members.map { channels[$0].label },
                physicalRanges: members.map { channels[$0].physicalRange }, configuration: configuration))
        }
        self.channels = channels
        self.configuration = configuration
        self.groups = groups
        self.lanes = lanes
        scalarCounts = Array(repeating: 0, count: channels.count)
    }

    /// Input samples that were NaN or infinite and were replaced by 0 (and so show as a
    /// dropout if they last).
    public var nonFiniteSamples: Int { groups.reduce(0) { $0 + $1.nonFiniteSamples } }

    /// Takes the next samples of channel `channel` (an index into `channels`): for EMG, a block
    /// of the regularly sampled signal; for a regularly sampled cadence channel, its values
    /// (time = sample index / rate). Samples of channels that are not analysed are ignored.
    ///
    /// - Parameters:
    ///   - samples: Physical values (µV for EMG, steps per minute for cadence).
    ///   - emit: Called with every event decided, in order.
    public mutating func process(
        samples: UnsafeBufferPointer<Float>, channel: Int, emit: (SessionFeatureEvent) -> Void
    ) {
        guard !finished, channels.indices.contains(channel) else { return }
        announceIfFixed(emit: emit)
        if let lane = lanes[channel] {
            groups[lane.group].stage(samples, member: lane.member, cadence: cadence, emit: emit)
            decideMainsIfReady(force: false, emit: emit)
            return
        }
        guard channels[channel].kind == .cadence, let rate = channels[channel].sampleRate else {
            scalarCounts[channel] += samples.count
            return
        }
        for i in 0..<samples.count {
            let t = Double(scalarCounts[channel]) / rate.value
            _ = cadence.append(timeSeconds: t, stepsPerMinute: Double(samples[i]))
            scalarCounts[channel] += 1
        }
    }

    /// Takes one value of an irregularly sampled channel (cadence from a foot pod, as the
    /// sensor sends it) at `timeSeconds` of session time. Values not after the channel's
    /// previous one are ignored.
    public mutating func process(value: Float, timeSeconds: Double, channel: Int, emit: (SessionFeatureEvent) -> Void) {
        guard !finished, channels.indices.contains(channel), lanes[channel] == nil else { return }
        announceIfFixed(emit: emit)
        if channels[channel].kind == .cadence {
            _ = cadence.append(timeSeconds: timeSeconds, stepsPerMinute: Double(value))
        }
    }

    /// Ends the session: decides the mains grid if that is still open (on what has been seen)
    /// and processes what was held back. Bursts still in progress and strides without a next
    /// gait burst are not reported. Further input is ignored.
    public mutating func finish(emit: (SessionFeatureEvent) -> Void) {
        guard !finished else { return }
        announceIfFixed(emit: emit)
        decideMainsIfReady(force: true, emit: emit)
        finished = true
    }

    // MARK: - Mains

    private mutating func announceIfFixed(emit: (SessionFeatureEvent) -> Void) {
        guard !announced else { return }
        let frequency: MainsFrequency?
        switch configuration.mains.kind {
        case .automatic: return
        case .off: frequency = nil
        case .fixed(let f): frequency = f
        }
        announced = true
        let decision = MainsDecision(
            frequency: frequency, setting: configuration.mains, lineRatio50: nil, lineRatio60: nil, examinedUntil: nil)
        mains = decision
        emit(.mains(decision))
        for g in groups.indices { groups[g].activate(mains: frequency, cadence: cadence, emit: emit) }
    }

    private mutating func decideMainsIfReady(force: Bool, emit: (SessionFeatureEvent) -> Void) {
        guard !announced, case .automatic = configuration.mains.kind else { return }
        guard force || groups.allSatisfy(\.detectionComplete) else { return }
        announced = true
        // The grid whose line stands out most on any channel, if it reaches the detectors'
        // dominance ratio.
        var ratio50: Double?, ratio60: Double?
        var examined = Duration.zero
        var threshold = Double.infinity
        for i in 0..<groups.count {
            for e in groups[i].estimates {
                ratio50 = max(ratio50 ?? 0, e.lineRatio50)
                ratio60 = max(ratio60 ?? 0, e.lineRatio60)
            }
            examined = max(examined, groups[i].examinedDuration)
            threshold = min(threshold, groups[i].dominanceRatio ?? .infinity)
        }
        var frequency: MainsFrequency?
        if let r50 = ratio50, let r60 = ratio60, max(r50, r60) >= threshold { frequency = r50 >= r60 ? .hz50 : .hz60 }
        let decision = MainsDecision(
            frequency: frequency, setting: configuration.mains, lineRatio50: ratio50, lineRatio60: ratio60,
            examinedUntil: examined)
        mains = decision
        emit(.mains(decision))
        for g in groups.indices { groups[g].activate(mains: frequency, cadence: cadence, emit: emit) }
    }
}
