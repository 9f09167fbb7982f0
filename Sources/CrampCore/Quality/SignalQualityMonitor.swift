// SPDX-License-Identifier: MIT

/// Measures the quality of one EMG channel per window: dead electrode, saturation, mains
/// dominance, motion artefact and dropouts (`SignalQualityFlags`).
///
/// It sees each sample twice — raw (as the file or sensor gives it, in µV) and band-passed
/// before the notches — and sums what the flags need per hop-sized block, so a window's
/// verdict is assembled from its blocks (exactly the window when its length is a multiple of
/// the hop, as by default; otherwise the `⌈length/hop⌉` hops ending with it).
///
/// ## Measures
///
/// - **Quantisation levels** (raw): `(max − min) / step` over the window, `step` being the
///   smallest non-zero `|x[n] − x[n−1]|`: how many converter steps the signal spans, whatever
///   the converter. Dead electrode if at most `deadQuantisationLevels`, or if the window's
///   conditioned RMS is below `deadRMS`.
/// - **Rails** (raw): samples within `railMargin × range` of the physical minimum or maximum
///   (the channel's declared range, e.g. the EDF header's); saturation if their fraction
///   reaches `saturationFraction`. Unknown range: never flagged.
/// - **Constant runs** (raw): the longest run of exactly equal consecutive samples; dropout if
///   it lasts `dropoutDuration`.
/// - **Low-frequency RMS** (raw): the raw signal averaged over frames (5 ms, a boxcar whose
///   nulls fall on 200 Hz and its multiples), minus the first frame's mean (the electrode's DC
///   offset), then band-passed 1–20 Hz (Butterworth, order 2, at the frame rate); its RMS over
///   the window. Motion artefact if it is at least `motionRatio` times the window's conditioned
///   RMS *and* at least `motionMinimumRMS`: movement puts its energy below 20 Hz (De Luca et al.
///   2010), EMG above.
/// - **Mains fraction** (band-passed, not notched): hum repeats exactly every mains period, EMG
///   does not (its autocorrelation dies within a few milliseconds). So the correlation
///   coefficient `ρ(T) = Σ x[n]·x[n−T] / √(Σ x[n]² · Σ x[n−T]²)` over the window estimates the
///   fraction of the power that is hum. It is taken at two lags per grid — 50 Hz: one and two
///   periods (`fs/50`, `2·fs/50`); 60 Hz: three and six periods (`fs/20`, `fs/10`, whole
///   samples at the usual rates) — and the smaller of the two counts, so that EMG that happens
///   to correlate at one lag does not pass for hum; the larger grid's value is the window's
///   (negative values count as 0). Mains dominance if it reaches `mainsFraction`. Every
///   harmonic has the same period, so all of them count; the estimate needs no notch and no
///   FFT.
///
/// ## Cost
///
/// About 20 operations per sample (minimum, maximum, step, run, rails, frame sum; the square,
/// four lagged products and four lagged squares of the band-passed sample, four per SIMD
/// instruction); per 5 ms frame two biquads; per window a sum
/// over its blocks. Nothing is allocated after `init`.
public struct SignalQualityMonitor: Sendable {
    /// The rate of the channel.
    public let sampleRate: Hertz
    /// The thresholds.
    public let configuration: SignalQualityConfiguration
    /// The windows the verdicts are for.
    public let window: WindowConfiguration
    /// The channel's physical limits, if known.
    public let physicalRange: ClosedRange<Double>?

    private struct Block: Sendable {
        var minimum: Float = .infinity
        var maximum: Float = -.infinity
        var step: Float = .infinity
        var railHits = 0
        var longestRun = 0
        var lowFrequencySquares: Double = 0
        var lowFrequencyFrames = 0
        var squares: Double = 0
        /// Σ x[n]·x[n−T] and Σ x[n−T]² for the four lags (50 Hz: 1 and 2 periods; 60 Hz: 3 and
        /// 6 periods).
        var products = SIMD4<Double>()
        var lagged = SIMD4<Double>()
        var samples = 0
    }

    private var blocks: [Block]
    private var nextBlock = 0
    private var current = Block()
    /// Samples until the current block ends.
    public private(set) var untilBoundary: Int

    private let lowRail: Float
    private let highRail: Float
    private let dropoutSamples: Int
    private var previous: Float = 0
    private var started = false
    private var run = 0

    private var delay: [Float]
    private let mask: Int
    private let lags: SIMD4<Int>
    private var position = 0

    private let frameLength: Int
    private var inFrame = 0
    private var frameSum: Float = 0
    private var offset: Float?
    private var lowFrequency: SOSCascade

    /// A monitor for a channel at `sampleRate`, judging windows of `window`.
    ///
    /// - Parameters:
    ///   - physicalRange: The limits the converter can represent (µV), if known.
    ///   - frameLength: Samples per low-frequency frame; default 5 ms.
    /// - Throws: `FeatureConfigurationError.invalidSampleRate`; `.invalidParameter` for a
    ///   threshold that is negative or not finite, or a frame rate too low for the 1–20 Hz
    ///   band; `.invalidDuration` for a dropout duration under one sample.
    public init(
        sampleRate: Hertz, window: WindowConfiguration, physicalRange: ClosedRange<Double>?,
        configuration: SignalQualityConfiguration = .init(), frameLength: Int? = nil
    ) throws(FeatureConfigurationError) {
        guard sampleRate.value.isFinite, sampleRate.value > 0 else { throw .invalidSampleRate(sampleRate) }
        let c = configuration
        for (name, v) in [("deadRMS", Double(c.deadRMS)), ("deadQuantisationLevels", Double(c.deadQuantisationLevels)),
                          ("saturationFraction", Double(c.saturationFraction)), ("railMargin", c.railMargin),
                          ("mainsFraction", Double(c.mainsFraction)), ("motionRatio", Double(c.motionRatio)),
                          ("motionMinimumRMS", Double(c.motionMinimumRMS))]
        where !(v.isFinite && v >= 0) {
            throw .invalidParameter(name, v)
        }
        let dropout = sampleRate.sampleCount(c.dropoutDuration)
        guard dropout >= 1 else { throw .invalidDuration("dropoutDuration", c.dropoutDuration) }
        let frame = max(1, frameLength ?? sampleRate.sampleCount(.milliseconds(5)))
        let frameRate = Hertz(sampleRate.value / Double(frame))
        do {
            let band = try FrequencyBand(lower: Hertz(1), upper: Hertz(20))
            lowFrequency = SOSCascade(coefficients: try Butterworth.bandPass(order: 2, band: band, sampleRate: frameRate))
        } catch {
            throw .invalidParameter("lowFrequencyFrameRate", frameRate.value)
        }
        self.sampleRate = sampleRate
        self.configuration = c
        self.window = window
        self.physicalRange = physicalRange
        let count = (window.length + window.hop - 1) / window.hop
        blocks = Array(repeating: Block(), count: count)
        let remainder = window.length % window.hop
        untilBoundary = remainder == 0 ? window.hop : remainder
        if let r = physicalRange {
            let margin = (r.upperBound - r.lowerBound) * c.railMargin
            lowRail = Float(r.lowerBound + margin)
            highRail = Float(r.upperBound - margin)
        } else {
            lowRail = -.infinity
            highRail = .infinity
        }
        dropoutSamples = dropout
        let lag50 = max(1, Int((sampleRate.value / 50).rounded()))
        let lag60 = max(1, Int((sampleRate.value / 20).rounded()))
        lags = SIMD4(lag50, 2 * lag50, lag60, 2 * lag60)
        var size = 1
        while size <= 2 * max(lag50, lag60) { size *= 2 }
        delay = Array(repeating: 0, count: size)
        mask = size - 1
        self.frameLength = frame
    }

    /// Takes `count` samples (`count ≤ untilBoundary`), raw and band-passed, each spaced
    /// `stride` apart; completes the block when it reaches the boundary.
    public mutating func accumulate(raw: UnsafePointer<Float>, bandPassed: UnsafePointer<Float>, stride: Int, count: Int) {
        precondition(count <= untilBoundary, "a run must not cross a block boundary")
        var b = current
        // Raw samples.
        var previous = self.previous, run = self.run, started = self.started
        let low = lowRail, high = highRail
        var rawPointer = raw
        for _ in 0..<count {
            let x = rawPointer.pointee
            b.minimum = min(b.minimum, x)
            b.maximum = max(b.maximum, x)
            if started {
                let change = abs(x - previous)
                if change > 0 { b.step = min(b.step, change) }
                run = change == 0 ? run + 1 : 1
            } else {
                run = 1
                started = true
            }
            b.longestRun = max(b.longestRun, run)
            if x <= low || x >= high { b.railHits += 1 }
            previous = x
            frameSum += x
            inFrame += 1
            if inFrame == frameLength {
                lowFrequencyFrame(frameSum / Float(frameLength), into: &b)
                frameSum = 0
                inFrame = 0
            }
            rawPointer += stride
        }
        self.previous = previous
        self.run = run
        self.started = started
        // Band-passed samples.
        var position = self.position
        let mask = self.mask, lags = self.lags
        var bpPointer = bandPassed
        var squares: Float = 0
        var products = SIMD4<Float>(), lagged = SIMD4<Float>()
        delay.withUnsafeMutableBufferPointer { delay in
            for _ in 0..<count {
                let y = bpPointer.pointee
                delay[position] = y
                let earlier = SIMD4(
                    delay[(position - lags[0]) & mask], delay[(position - lags[1]) & mask],
                    delay[(position - lags[2]) & mask], delay[(position - lags[3]) & mask])
                squares += y * y
                products += y * earlier
                lagged += earlier * earlier
                position = (position + 1) & mask
                bpPointer += stride
            }
        }
        self.position = position
        b.squares += Double(squares)
        b.products += SIMD4<Double>(products)
        b.lagged += SIMD4<Double>(lagged)
        b.samples += count
        current = b
        untilBoundary -= count
        if untilBoundary == 0 {
            blocks[nextBlock] = current
            nextBlock = (nextBlock + 1) % blocks.count
            current = Block()
            untilBoundary = window.hop
        }
    }

    /// The verdict on the window that ends at the last completed block.
    ///
    /// - Parameter conditionedRMS: The window's RMS after conditioning (`WindowFeatures.rms`).
    public func quality(conditionedRMS: Float) -> SignalQuality {
        var total = Block()
        for b in blocks {
            total.minimum = min(total.minimum, b.minimum)
            total.maximum = max(total.maximum, b.maximum)
            total.step = min(total.step, b.step)
            total.railHits += b.railHits
            total.longestRun = max(total.longestRun, b.longestRun)
            total.lowFrequencySquares += b.lowFrequencySquares
            total.lowFrequencyFrames += b.lowFrequencyFrames
            total.squares += b.squares
            total.products += b.products
            total.lagged += b.lagged
            total.samples += b.samples
        }
        let c = configuration
        let span = total.maximum - total.minimum
        let levels: Float = span > 0 && total.step.isFinite ? span / total.step : 0
        let rails: Float? = physicalRange == nil || total.samples == 0 ? nil : Float(total.railHits) / Float(total.samples)
        let lowRMS = total.lowFrequencyFrames > 0
            ? Float((total.lowFrequencySquares / Double(total.lowFrequencyFrames)).squareRoot()) : 0
        var rho = SIMD4<Double>()
        for k in 0..<4 {
            let scale = (total.squares * total.lagged[k]).squareRoot()
            rho[k] = scale > 0 ? total.products[k] / scale : 0
        }
        let mains = Float(max(0, min(rho[0], rho[1]), min(rho[2], rho[3])))

        var flags: SignalQualityFlags = []
        if conditionedRMS < c.deadRMS || levels <= c.deadQuantisationLevels { flags.insert(.deadElectrode) }
        if let rails, rails >= c.saturationFraction, rails > 0 { flags.insert(.saturation) }
        if mains >= c.mainsFraction { flags.insert(.mainsDominance) }
        if lowRMS >= c.motionMinimumRMS && lowRMS >= c.motionRatio * conditionedRMS { flags.insert(.motionArtifact) }
        if total.longestRun >= dropoutSamples { flags.insert(.dropout) }
        return SignalQuality(
            flags: flags, quantisationLevels: levels, railFraction: rails,
            longestConstantRun: sampleRate.time(ofSample: total.longestRun),
            lowFrequencyRMS: lowRMS, mainsFraction: mains)
    }

    /// Returns to the initial state, without allocating.
    public mutating func reset() {
        for i in blocks.indices { blocks[i] = Block() }
        nextBlock = 0
        current = Block()
        let remainder = window.length % window.hop
        untilBoundary = remainder == 0 ? window.hop : remainder
        previous = 0
        started = false
        run = 0
        for i in delay.indices { delay[i] = 0 }
        position = 0
        inFrame = 0
        frameSum = 0
        offset = nil
        lowFrequency.reset()
    }

    private mutating func lowFrequencyFrame(_ mean: Float, into block: inout Block) {
        let offset = self.offset ?? mean
        self.offset = offset
        let y = lowFrequency.process(mean - offset)
        block.lowFrequencySquares += Double(y * y)
        block.lowFrequencyFrames += 1
    }
}
