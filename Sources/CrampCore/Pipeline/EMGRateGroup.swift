// SPDX-License-Identifier: MIT

/// The EMG channels of a session that share one sample rate, conditioned together: eight
/// channels per SIMD vector (`MultiChannelSOS`), then analysed channel by channel
/// (`EMGChannelState`).
///
/// Samples arrive per channel (one EDF data record, one BLE notification) and are staged in an
/// interleaved buffer until every channel of the group has delivered them; the frames all
/// channels have are then processed in chunks of `chunkFrames`: raw copy kept, band-pass in
/// place, band-passed copy kept, notches in place.
///
/// Each chunk is appended to the group's `SampleHistory`; the per-sample sums of quality and
/// burst detection run for all channels at once in SIMD lanes (`EMGLaneKernel`), handed to each
/// channel every burst-detector frame (5 ms) and every hop; each channel's window features are
/// computed from the conditioned samples in runs that end at hop boundaries.
///
/// Before the notches are chosen (automatic mains), raw frames are held back and fed to one
/// `MainsDetector` per channel instead; `activate` designs the filters and processes the held
/// frames.
struct EMGRateGroup {
    static let chunkFrames = 256

    let sampleRate: Hertz
    /// The pipeline's indices of the channels, in lane order, and their labels.
    let members: [Int]
    let labels: [String]
    let window: WindowConfiguration
    private let designs: [EMGConditioningDesign]  // no notch, 50 Hz, 60 Hz
    private(set) var design: EMGConditioningDesign
    private(set) var isActive = false

    private var channels: [EMGChannelState]
    private var bandPass: MultiChannelSOS
    private var notches: MultiChannelSOS?

    private var staging: [Float]
    private var stagingFrames: Int
    private var staged: [Int]

    private var held: [Float] = []
    private var heldFrames = 0
    private var detectors: [MainsDetector]
    /// Frames examined before the grid is decided.
    let detectionFrames: Int

    private var rawChunk: [Float]
    private var bandPassedChunk: [Float]
    private var kernel: EMGLaneKernel
    private var history: SampleHistory
    private var scratch: [Float]
    private let frameLength: Int
    private var untilHop: Int
    /// Non-finite input samples replaced by 0.
    private(set) var nonFiniteSamples = 0

    init(
        sampleRate: Hertz, members: [Int], labels: [String], physicalRanges: [ClosedRange<Double>?],
        configuration: SessionFeatureConfiguration
    ) throws(FeatureConfigurationError) {
        self.sampleRate = sampleRate
        self.members = members
        self.labels = labels
        var designs: [EMGConditioningDesign] = []
        for mains in [nil, MainsFrequency.hz50, .hz60] {
            var conditioning = configuration.conditioning
            conditioning.mains = mains
            do {
                designs.append(try EMGConditioningDesign(sampleRate: sampleRate, configuration: conditioning))
            } catch {
                throw .invalidChannel(index: members[0], reason: "cannot condition EMG at \(sampleRate): \(error)")
            }
        }
        self.designs = designs
        design = designs[0]
        let window = if let w = configuration.window { w } else { try WindowConfiguration.standard(sampleRate: sampleRate) }
        self.window = window
        let band = designs[0].status.spectralBand
        let analyzer = try WindowAnalyzer(
            sampleRate: sampleRate, length: window.length, spectralBand: band,
            zeroCrossingThreshold: configuration.zeroCrossingThreshold)
        var spectrum: SegmentSpectrum?
        if let band {
            spectrum = try SegmentSpectrum(
                sampleRate: sampleRate, maximumDuration: configuration.burstSpectrumDuration, spectralBand: band)
        }
        var channels: [EMGChannelState] = []
        for (i, channel) in members.enumerated() {
            channels.append(try EMGChannelState(
                channel: channel, sampleRate: sampleRate, physicalRange: physicalRanges[i], analyzer: analyzer,
                window: window, burstSpectrum: spectrum, configuration: configuration))
        }
        let historyFrames = sampleRate.sampleCount(configuration.history)
        guard historyFrames >= window.length, historyFrames >= (spectrum?.transformLength ?? 0) else {
            throw .invalidDuration("history", configuration.history)
        }
        history = SampleHistory(minimumCapacity: historyFrames, channelCount: members.count)
        scratch = Array(repeating: 0, count: history.capacity)
        kernel = EMGLaneKernel(
            channelCount: members.count, sampleRate: sampleRate, rails: channels.map(\.railLimits),
            frameLength: channels[0].burstFrameLength, maximumSpan: window.hop,
            lowFrequency: channels[0].lowFrequencySections)
        frameLength = channels[0].burstFrameLength
        untilHop = channels[0].firstQualityBoundary
        self.channels = channels
        bandPass = MultiChannelSOS(coefficients: designs[0].bandSections, channelCount: members.count)
        stagingFrames = max(Self.chunkFrames, Int(sampleRate.value.rounded(.up)))
        staging = Array(repeating: 0, count: stagingFrames * members.count)
        staged = Array(repeating: 0, count: members.count)
        var detectors: [MainsDetector] = []
        if case .automatic = configuration.mains.kind {
            for _ in members {
                if let d = try? MainsDetector(sampleRate: sampleRate) { detectors.append(d) }
            }
        }
        self.detectors = detectors
        detectionFrames = detectors.first.map { $0.segmentLength * $0.segmentsPerEstimate }
            ?? Int((4 * sampleRate.value).rounded())
        if !detectors.isEmpty || configuration.mains.kind == .automatic {
            held.reserveCapacity((detectionFrames + stagingFrames) * members.count)
        }
        rawChunk = Array(repeating: 0, count: Self.chunkFrames * members.count)
        bandPassedChunk = Array(repeating: 0, count: Self.chunkFrames * members.count)
    }

    /// Whether the held-back frames cover the detection span.
    var detectionComplete: Bool { heldFrames >= detectionFrames }

    /// The detectors' latest estimates (automatic mains only).
    var estimates: [MainsDetector.Estimate] { detectors.compactMap(\.latest) }

    /// The detectors' dominance ratio (`nil` without detectors).
    var dominanceRatio: Double? { detectors.first?.dominanceRatio }

    /// The session time the mains detectors examined: the detection span, or what was held back
    /// if the session ended sooner (frames held beyond the span are not examined).
    var examinedDuration: Duration { .seconds(Double(min(heldFrames, detectionFrames)) / sampleRate.value) }

    /// Chooses the notches, announces every channel, and processes the frames held back.
    mutating func activate(mains: MainsFrequency?, cadence: CadenceTrack, emit: (SessionFeatureEvent) -> Void) {
        guard !isActive else { return }
        isActive = true
        design = switch mains {
        case nil: designs[0]
        case .hz50: designs[1]
        case .hz60: designs[2]
        }
        notches = design.notchSections.isEmpty
            ? nil : MultiChannelSOS(coefficients: design.notchSections, channelCount: members.count)
        let ringing = design.notchSections.first.flatMap(NotchRinging.init(notch:))
        for i in channels.indices { channels[i].setRinging(ringing) }
        for (i, channel) in members.enumerated() {
            emit(.channel(EMGChannelStatus(
                channel: channel, label: labels[i], design: design, window: window, burstFrameLength: channels[i].burstFrameLength)))
        }
        detectors = []
        if heldFrames > 0 {
            var held = self.held
            self.held = []
            let frames = heldFrames
            heldFrames = 0
            held.withUnsafeMutableBufferPointer { run($0.baseAddress!, frames: frames, cadence: cadence, emit: emit) }
        }
    }

    /// Stages `samples` of member `member`, then processes every frame all members have.
    mutating func stage(
        _ samples: UnsafeBufferPointer<Float>, member: Int, cadence: CadenceTrack, emit: (SessionFeatureEvent) -> Void
    ) {
        let n = members.count
        if staged[member] + samples.count > stagingFrames {
            // One channel ran further ahead than the buffer holds (a long EDF record): grow once.
            let frames = max(2 * stagingFrames, staged[member] + samples.count)
            var grown = Array(repeating: Float(0), count: frames * n)
            for i in 0..<(stagingFrames * n) { grown[i] = staging[i] }
            staging = grown
            stagingFrames = frames
        }
        var replaced = 0
        staging.withUnsafeMutableBufferPointer { s in
            guard let source = samples.baseAddress else { return }
            var destination = s.baseAddress! + staged[member] * n + member
            for i in 0..<samples.count {
                let x = source[i]
                // NaN or ±∞ would poison the filters' state for good: store 0 and count it.
                let finite = x.isFinite
                destination.pointee = finite ? x : 0
                replaced += finite ? 0 : 1
                destination += n
            }
        }
        nonFiniteSamples += replaced
        staged[member] += samples.count
        var ready = Int.max
        for i in 0..<staged.count { ready = min(ready, staged[i]) }  // index loops: for-in over an Array allocates in debug builds
        guard ready > 0 else { return }
        // Take the buffer out of `self` while `run` mutates `self` (no copy: it stays unique).
        var buffer = staging
        staging = []
        buffer.withUnsafeMutableBufferPointer { s in
            let base = s.baseAddress!
            if isActive {
                run(base, frames: ready, cadence: cadence, emit: emit)
            } else {
                hold(base, frames: ready)
            }
            // Move what leading channels staged beyond `ready` to the front.
            var most = 0
            for i in 0..<staged.count { most = max(most, staged[i]) }
            if most > ready {
                base.update(from: base + ready * n, count: (most - ready) * n)
            }
        }
        staging = buffer
        for i in staged.indices { staged[i] -= ready }
    }

    // MARK: - Implementation

    private mutating func hold(_ frames: UnsafeMutablePointer<Float>, frames count: Int) {
        let n = members.count
        for f in 0..<count {
            for c in 0..<n { held.append(frames[f * n + c]) }
        }
        for c in detectors.indices {
            for f in 0..<count { _ = detectors[c].process(frames[f * n + c]) }
        }
        heldFrames += count
    }

    /// Conditions and analyses `count` interleaved frames at `frames` (overwritten).
    private mutating func run(
        _ frames: UnsafeMutablePointer<Float>, frames count: Int, cadence: CadenceTrack, emit: (SessionFeatureEvent) -> Void
    ) {
        let n = members.count
        var start = 0
        while start < count {
            let m = min(Self.chunkFrames, count - start)
            let chunk = UnsafeMutableBufferPointer(start: frames + start * n, count: m * n)
            // Take the scratch buffers out of `self` while `analyse` mutates `self` (no copy:
            // they stay uniquely referenced).
            var raw = rawChunk, bp = bandPassedChunk
            rawChunk = []
            bandPassedChunk = []
            raw.withUnsafeMutableBufferPointer { raw in
                bp.withUnsafeMutableBufferPointer { bp in
                    _ = UnsafeMutableBufferPointer(rebasing: raw[0..<(m * n)]).update(fromContentsOf: chunk)
                    bandPass.process(interleaved: chunk)
                    _ = UnsafeMutableBufferPointer(rebasing: bp[0..<(m * n)]).update(fromContentsOf: chunk)
                    notches?.process(interleaved: chunk)
                    history.append(interleaved: UnsafePointer(chunk.baseAddress!), frames: m)
                    analyse(
                        raw: UnsafePointer(raw.baseAddress!), bandPassed: UnsafePointer(bp.baseAddress!),
                        conditioned: UnsafePointer(chunk.baseAddress!), frames: m, emit: emit)
                }
            }
            rawChunk = raw
            bandPassedChunk = bp
            let snapshot = history
            scratch.withUnsafeMutableBufferPointer { scratch in
                channels.withUnsafeMutableBufferPointer { channels in
                    for c in 0..<n {
                        channels[c].decideStrides(cadence: cadence, history: snapshot, lane: c, scratch: scratch, emit: emit)
                    }
                }
            }
            start += m
        }
    }

    /// One conditioned chunk: lane sums up to each frame and hop boundary, per-channel frames,
    /// blocks and windows at those boundaries.
    private mutating func analyse(
        raw: UnsafePointer<Float>, bandPassed: UnsafePointer<Float>, conditioned: UnsafePointer<Float>, frames m: Int,
        emit: (SessionFeatureEvent) -> Void
    ) {
        let n = members.count
        let snapshot = history
        let hop = window.hop
        var offset = 0
        scratch.withUnsafeMutableBufferPointer { scratch in
            channels.withUnsafeMutableBufferPointer { channels in
                while offset < m {
                    let span = min(m - offset, untilHop)
                    let at = offset * n
                    kernel.accumulate(raw: raw + at, bandPassed: bandPassed + at, conditioned: conditioned + at, frames: span)
                    for slot in 0..<kernel.completedFrames {
                        for c in 0..<n {
                            let f = kernel.completedFrame(slot, channel: c)
                            channels[c].frame(
                                energy: f.energy, squares: f.squares, peak: f.peak, history: snapshot, lane: c,
                                scratch: scratch, emit: emit)
                        }
                    }
                    untilHop -= span
                    if untilHop == 0 {
                        untilHop = hop
                        kernel.completeBlock(into: channels)
                    }
                    for c in 0..<n {
                        channels[c].windows(conditioned: conditioned + offset * n + c, stride: n, count: span, emit: emit)
                    }
                    offset += span
                }
            }
        }
    }
}
