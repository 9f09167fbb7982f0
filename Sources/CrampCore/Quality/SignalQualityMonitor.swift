// SPDX-License-Identifier: MIT

/// Turns one EMG channel's quality sums into a verdict per window: dead electrode, saturation,
/// mains dominance, motion artefact and dropouts (`SignalQualityFlags`).
///
/// The sums are made per hop-sized block, for all channels of a rate at once, by the pipeline's
/// lane kernel (`EMGLaneKernel`), which sees each sample raw (as the file or sensor gives it, in
/// µV) and band-passed before the notches; a window's verdict is assembled from its blocks
/// (exactly the window when its length is a multiple of the hop, as by default; otherwise the
/// `⌈length/hop⌉` hops ending with it).
///
/// ## Measures
///
/// - **Quantisation levels** (raw): `(max − min) / step` over the window, `step` being the
///   smallest non-zero `|x[n] − x[n−1]|` among the first 32 samples of each hop: how many
///   converter steps the signal spans, whatever the converter. (A signal at quantisation level
///   changes by one step all the time, so 32 samples find it; a real EMG signal spans hundreds
///   of steps either way.) Dead electrode if at most `deadQuantisationLevels`, or if the
///   window's conditioned RMS is below `deadRMS`.
/// - **Rails** (raw): the fraction of the window's 5 ms frames whose extremes come within
///   `railMargin × range` of the physical minimum or maximum (the channel's declared range,
///   e.g. the EDF header's); saturation if it reaches `saturationFraction` (by default one frame
///   of a 250 ms window is enough). Unknown range: never flagged.
/// - **Constant runs** (raw): the longest run of consecutive 5 ms frames in which the raw signal
///   is exactly constant and equal to the sample before the frame; dropout if it lasts
///   `dropoutDuration`. (Runs are counted in whole frames: a run is seen up to one frame short.)
/// - **Low-frequency RMS** (raw): the raw signal averaged over 5 ms frames (a boxcar whose nulls
///   fall on 200 Hz and its multiples), minus the first frame's mean (the electrode's DC
///   offset), then band-passed 1–20 Hz (Butterworth, order 2, at the frame rate); its RMS over
///   the window. Motion artefact if it is at least `motionRatio` times the window's conditioned
///   RMS *and* at least `motionMinimumRMS`: movement puts its energy below 20 Hz (De Luca et al.
///   2010), EMG above.
/// - **Mains fraction** (band-passed, not notched): hum repeats exactly every mains period, EMG
///   does not (its autocorrelation dies within a few milliseconds). So the correlation
///   coefficient `ρ(T) = Σ x[n]·x[n−T] / √(Σ x[n]² · Σ x[n−T]²)` over the window estimates the
///   fraction of the power that is hum. It is taken at two lags per grid — 50 Hz: one and two
///   periods; 60 Hz: three and six periods (whole samples at the usual rates) — and the smaller
///   of the two counts, so that EMG that happens to correlate at one lag does not pass for hum;
///   the larger grid's value is the window's (negative values count as 0). Mains dominance if it
///   reaches `mainsFraction`. Every harmonic has the same period, so all of them count, and no
///   notch or FFT is needed. The sums use every `fs/1000`-th sample (all of them up to 2 kHz
///   would be wasted: neighbouring samples of band-passed EMG are strongly correlated).
///
/// The monitor keeps the blocks of one window and judges them; it does not see samples.
/// Nothing is allocated after `init`.
public struct SignalQualityMonitor: Sendable {
    /// The rate of the channel.
    public let sampleRate: Hertz
    /// The thresholds.
    public let configuration: SignalQualityConfiguration
    /// The windows the verdicts are for.
    public let window: WindowConfiguration
    /// The channel's physical limits, if known.
    public let physicalRange: ClosedRange<Double>?
    /// Samples per low-frequency (and rail, and constant-run) frame.
    public let frameLength: Int

    private struct Block: Sendable {
        var minimum: Float = .infinity
        var maximum: Float = -.infinity
        var step: Float = .infinity
        var railFrames = 0
        var frames = 0
        var longestRun = 0
        var lowFrequencySquares: Double = 0
        var lowFrequencyFrames = 0
        var squares: Double = 0
        /// Σ x[n]·x[n−T] and Σ x[n−T]² for the four lags.
        var products = SIMD4<Double>()
        var lagged = SIMD4<Double>()
        var samples = 0
    }

    private var blocks: [Block]
    private var nextBlock = 0
    private var current = Block()

    private let lowRail: Float
    private let highRail: Float
    private let dropoutSamples: Int
    /// The 1–20 Hz band-pass at the frame rate (run by the kernel that makes the block sums).
    let lowFrequencySections: [BiquadCoefficients]

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
            lowFrequencySections = try Butterworth.bandPass(order: 2, band: band, sampleRate: frameRate)
        } catch {
            throw .invalidParameter("lowFrequencyFrameRate", frameRate.value)
        }
        self.sampleRate = sampleRate
        self.configuration = c
        self.window = window
        self.physicalRange = physicalRange
        self.frameLength = frame
        blocks = Array(repeating: Block(), count: (window.length + window.hop - 1) / window.hop)
        if let r = physicalRange {
            let margin = (r.upperBound - r.lowerBound) * c.railMargin
            lowRail = Float(r.lowerBound + margin)
            highRail = Float(r.upperBound - margin)
        } else {
            lowRail = -.infinity
            highRail = .infinity
        }
        dropoutSamples = dropout
    }

    /// The raw values at or beyond which a sample is on a rail (±∞ when the range is unknown).
    public var railLimits: (low: Float, high: Float) { (lowRail, highRail) }

    /// Samples from the start of the stream to the first block boundary (then one hop each).
    public var firstBoundary: Int {
        let remainder = window.length % window.hop
        return remainder == 0 ? window.hop : remainder
    }

    // MARK: - Input

    /// Completes the current block with the kernel's sums over its samples and starts the next.
    ///
    /// - Parameters:
    ///   - minimum, maximum: The raw extremes.
    ///   - step: The smallest non-zero raw change seen (∞ if none).
    ///   - railFrames: Frames whose extremes reached a rail; `frames`: frames that ended in the
    ///     block.
    ///   - longestConstantRun: The longest constant run reaching into the block, in samples.
    ///   - squares, products, lagged: The mains sums (see the type's documentation).
    ///   - lowFrequencySquares: The sum of the squared 1–20 Hz values of the frames that ended in
    ///     the block (`frames` of them).
    ///   - samples: Samples in the block.
    public mutating func completeBlock(
        minimum: Float, maximum: Float, step: Float, railFrames: Int, longestConstantRun: Int, squares: Double,
        products: SIMD4<Double>, lagged: SIMD4<Double>, lowFrequencySquares: Double, samples: Int, frames: Int
    ) {
        current.lowFrequencySquares = lowFrequencySquares
        current.lowFrequencyFrames = frames
        current.minimum = minimum
        current.maximum = maximum
        current.step = step
        current.railFrames = railFrames
        current.frames = frames
        current.longestRun = longestConstantRun
        current.squares = squares
        current.products = products
        current.lagged = lagged
        current.samples = samples
        blocks[nextBlock] = current
        nextBlock = (nextBlock + 1) % blocks.count
        current = Block()
    }

    // MARK: - Verdict

    /// The verdict on the window that ends at the last completed block.
    ///
    /// - Parameter conditionedRMS: The window's RMS after conditioning (`WindowFeatures.rms`).
    public func quality(conditionedRMS: Float) -> SignalQuality {
        var total = Block()
        for i in 0..<blocks.count {  // an index loop: for-in over an Array allocates in debug builds
            let b = blocks[i]
            total.minimum = min(total.minimum, b.minimum)
            total.maximum = max(total.maximum, b.maximum)
            total.step = min(total.step, b.step)
            total.railFrames += b.railFrames
            total.frames += b.frames
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
        let rails: Float? = physicalRange == nil || total.frames == 0 ? nil : Float(total.railFrames) / Float(total.frames)
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
}
