// SPDX-License-Identifier: MIT

/// Everything one EMG channel carries through `SessionFeaturePipeline` after conditioning:
/// window features and quality, bursts, the stride period, strides and the runner's baseline.
///
/// The rate group conditions the samples and runs the per-sample sums of all its channels in
/// SIMD lanes (`EMGLaneKernel`); this state receives them per burst-detector frame
/// (`frame`) and per hop (`completeQualityBlock`), analyses its windows from the conditioned
/// samples (`windows`, runs that end at hop boundaries, so at most one window each), and
/// decides strides after each block (`decideStrides`). Bursts and strides read their samples
/// back from the group's `SampleHistory`. No closure captures this state (its parts are driven
/// through pull APIs), and nothing is allocated per sample, per window, per burst or per stride.
struct EMGChannelState {
    let channel: Int
    let sampleRate: Hertz
    private var extractor: SlidingFeatureExtractor
    private var monitor: SignalQualityMonitor
    private var detector: BurstDetector
    private var periodEstimator: GaitPeriodEstimator
    private var segmenter: StrideSegmenter
    private var baselineEstimator: InterBurstBaselineEstimator
    private var runnerBaseline: RunnerBaseline
    private let burstSpectrum: SegmentSpectrum?
    private let strides: StrideConfiguration

    // The last windows' spans and flags, for the quality of a stride.
    private var windowStarts: [Int]
    private var windowEnds: [Int]
    private var windowFlags: [UInt8]
    private var nextWindow = 0
    private var windowCount = 0
    private var strideCount = 0

    init(
        channel: Int, sampleRate: Hertz, physicalRange: ClosedRange<Double>?, analyzer: WindowAnalyzer,
        window: WindowConfiguration, burstSpectrum: SegmentSpectrum?, configuration: SessionFeatureConfiguration
    ) throws(FeatureConfigurationError) {
        self.channel = channel
        self.sampleRate = sampleRate
        extractor = try SlidingFeatureExtractor(analyzer: analyzer, hop: window.hop)
        detector = try BurstDetector(sampleRate: sampleRate, configuration: configuration.bursts)
        monitor = try SignalQualityMonitor(
            sampleRate: sampleRate, window: window, physicalRange: physicalRange, configuration: configuration.quality,
            frameLength: detector.frameLength)
        periodEstimator = try GaitPeriodEstimator(
            frameDuration: .seconds(Double(detector.frameLength) / sampleRate.value),
            configuration: configuration.strides.gaitPeriod)
        segmenter = try StrideSegmenter(acceptedRange: configuration.strides.acceptedRange)
        baselineEstimator = try InterBurstBaselineEstimator(
            sampleRate: sampleRate, edgeFraction: configuration.strides.baselineEdgeFraction,
            maximumDuration: configuration.history, ringing: nil)
        runnerBaseline = try RunnerBaseline(period: configuration.strides.baseline)
        self.burstSpectrum = burstSpectrum
        strides = configuration.strides
        let remembered = 256
        windowStarts = Array(repeating: 0, count: remembered)
        windowEnds = Array(repeating: 0, count: remembered)
        windowFlags = Array(repeating: 0, count: remembered)
    }

    /// The notch ringing the inter-burst baseline removes (set once the notches are chosen).
    mutating func setRinging(_ ringing: NotchRinging?) { baselineEstimator.ringing = ringing }

    var burstFrameLength: Int { detector.frameLength }
    var railLimits: (low: Float, high: Float) { monitor.railLimits }
    var firstQualityBoundary: Int { monitor.firstBoundary }
    var lowFrequencySections: [BiquadCoefficients] { monitor.lowFrequencySections }

    /// Takes the sums of one burst-detector frame (see `EMGLaneKernel.frame`).
    ///
    /// - Parameters:
    ///   - lane: This channel's channel index in `history`.
    ///   - scratch: Room for a burst's samples (at least the spectrum's transform length).
    mutating func frame(
        energy: Float, squares: Float, peak: Float, history: SampleHistory, lane: Int,
        scratch: UnsafeMutableBufferPointer<Float>, emit: (SessionFeatureEvent) -> Void
    ) {
        detector.processFrame(energySum: energy, squares: squares, peak: peak)
        if let e = detector.takeEnvelope() { periodEstimator.process(envelope: e.value) }
        if detector.hasBurst, var burst = detector.takeBurst() {
            burst.spectral = spectralFeatures(of: burst.sampleRange, history: history, lane: lane, scratch: scratch)
            emit(.burst(EMGBurstRecord(channel: channel, burst: burst)))
            segmenter.add(burst)
        }
    }

    /// Takes the quality sums of one hop-sized block.
    mutating func completeQualityBlock(
        minimum: Float, maximum: Float, step: Float, railFrames: Int, longestConstantRun: Int, squares: Double,
        products: SIMD4<Double>, lagged: SIMD4<Double>, lowFrequencySquares: Double, samples: Int, frames: Int
    ) {
        monitor.completeBlock(
            minimum: minimum, maximum: maximum, step: step, railFrames: railFrames,
            longestConstantRun: longestConstantRun, squares: squares, products: products, lagged: lagged,
            lowFrequencySquares: lowFrequencySquares, samples: samples, frames: frames)
    }

    /// Takes `count` conditioned samples spaced `stride` apart, ending at or before the next hop
    /// boundary (after that boundary's quality block was completed), and reports the window
    /// they complete, if any.
    mutating func windows(conditioned: UnsafePointer<Float>, stride: Int, count: Int, emit: (SessionFeatureEvent) -> Void) {
        var completed: WindowFeatures?
        extractor.process(from: conditioned, stride: stride, count: count) { completed = $0 }
        if let features = completed {
            let quality = monitor.quality(conditionedRMS: features.rms)
            remember(features.sampleRange, quality.flags)
            emit(.window(EMGWindowRecord(channel: channel, features: features, quality: quality)))
        }
    }

    // MARK: - Strides

    /// Decides the strides that can be decided.
    mutating func decideStrides(
        cadence: CadenceTrack, history: SampleHistory, lane: Int, scratch: UnsafeMutableBufferPointer<Float>,
        emit: (SessionFeatureEvent) -> Void
    ) {
        let settled = detector.settledSample
        let rate = sampleRate.value
        let maximumAge = strides.cadenceMaximumAge.inSeconds, plausible = strides.cadenceRange
        let estimator = periodEstimator
        let frameLength = detector.frameLength
        // The period in force at a sample: the cadence's if a recent cadence sample says the
        // runner moves (none if it says they stopped), else the EMG's own estimate then.
        func period(at sample: Int) -> (period: StrideSegmenter.Period, source: StridePeriodSource) {
            switch cadence.lookup(atSeconds: Double(sample) / rate, maximumAgeSeconds: maximumAge, plausible: plausible) {
            case .period(let seconds): return (.samples(seconds * rate), .cadence)
            case .stopped: return (.none, .cadence)
            case .unknown:
                switch estimator.period(atFrame: sample / frameLength) {
                case .notYetEstimated: return (.pending, .emg)
                case .known(let seconds): return (seconds.map { .samples($0 * rate) } ?? .none, .emg)
                }
            }
        }
        while let segment = segmenter.next(
            settledSample: settled, periodSamples: { period(at: $0).period }, oldestUsefulSample: history.oldestIndex)
        {
            let source = period(at: segment.gaitBurst.sampleRange.lowerBound).source
            if let record = stride(segment, source: source, history: history, lane: lane, scratch: scratch) {
                emit(.stride(record))
            }
        }
    }

    private mutating func stride(
        _ segment: StrideSegmenter.Segment, source: StridePeriodSource, history: SampleHistory, lane: Int,
        scratch: UnsafeMutableBufferPointer<Float>
    ) -> EMGStrideRecord? {
        let burst = segment.gaitBurst
        let range = segment.sampleRange
        // Inter-burst baseline, from the conditioned samples still held.
        var baselineRMS: Float?
        let measured = baselineEstimator.measuredRange(
            from: burst.sampleRange.upperBound, to: segment.nextGaitBurst.sampleRange.lowerBound)
        if let measured, measured.lowerBound >= history.oldestIndex, measured.upperBound <= history.count,
           baselineEstimator.usedCount(measured) <= scratch.count
        {
            let used = history.copy(measured, channel: lane, step: baselineEstimator.sampleStride, into: scratch.baseAddress!)
            baselineRMS = baselineEstimator.estimate(UnsafeBufferPointer(rebasing: scratch[0..<used]))
        }
        if let baselineRMS, burst.rms < strides.minimumContrast * baselineRMS { return nil }
        // Quality: every window overlapping the stride.
        var flags: SignalQualityFlags = []
        for i in 0..<windowCount where windowEnds[i] > range.lowerBound && windowStarts[i] < range.upperBound {
            flags.formUnion(SignalQualityFlags(rawValue: windowFlags[i]))
        }
        let start = sampleRate.time(ofSample: range.lowerBound), end = sampleRate.time(ofSample: range.upperBound)
        let mnf = burst.spectral?.meanFrequency.value, mdf = burst.spectral?.medianFrequency.value
        runnerBaseline.offer(
            startTime: start, endTime: end, activeRMS: burst.rms, meanFrequency: mnf, medianFrequency: mdf,
            baselineRMS: baselineRMS, clean: flags.isEmpty)
        let relative = runnerBaseline.relative(
            activeRMS: burst.rms, meanFrequency: mnf, medianFrequency: mdf, baselineRMS: baselineRMS, duration: end - start)
        let features = StrideFeatures(
            index: strideCount, sampleRange: range, startTime: start, endTime: end,
            expectedPeriod: .seconds(segment.periodSamples / sampleRate.value), periodSource: source,
            activeBurst: burst, baselineRMS: baselineRMS, baselineSampleRange: baselineRMS == nil ? nil : measured,
            extraBursts: segment.extraBursts, quality: flags, relative: relative)
        strideCount += 1
        return EMGStrideRecord(channel: channel, stride: features, baseline: runnerBaseline.values)
    }

    // MARK: - Helpers

    /// The spectral features of a burst: its samples (the central `transformLength` of a longer
    /// burst, or its last ones if the centre is no longer held).
    private func spectralFeatures(
        of burst: Range<Int>, history: SampleHistory, lane: Int, scratch: UnsafeMutableBufferPointer<Float>
    ) -> SpectralFeatures? {
        guard let spectrum = burstSpectrum else { return nil }
        let length = spectrum.transformLength
        var range = burst
        if range.count > length {
            let start = range.lowerBound + (range.count - length) / 2
            range = start..<(start + length)
            if range.lowerBound < history.oldestIndex { range = (burst.upperBound - length)..<burst.upperBound }
        }
        guard range.lowerBound >= history.oldestIndex, range.upperBound <= history.count, range.count <= scratch.count
        else { return nil }
        history.copy(range, channel: lane, into: scratch.baseAddress!)
        return spectrum.features(of: UnsafeBufferPointer(rebasing: scratch[0..<range.count]))
    }

    private mutating func remember(_ range: Range<Int>, _ flags: SignalQualityFlags) {
        windowStarts[nextWindow] = range.lowerBound
        windowEnds[nextWindow] = range.upperBound
        windowFlags[nextWindow] = flags.rawValue
        nextWindow = (nextWindow + 1) % windowFlags.count
        windowCount = min(windowCount + 1, windowFlags.count)
    }
}
