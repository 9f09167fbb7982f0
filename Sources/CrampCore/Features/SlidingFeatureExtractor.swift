// SPDX-License-Identifier: MIT

/// Slides a window over one conditioned channel and emits its `WindowFeatures` once per hop.
///
/// The first window is emitted when `window.length` samples have arrived, then one every
/// `window.hop` samples; each carries its sample range and the end time computed from the
/// sample count and rate (no clock). Samples go into a `RingWindow`, so the analysed window is
/// read in place; nothing is allocated per sample or per window.
///
/// When the length is a multiple of the hop (the defaults are), the time-domain sums of each
/// hop-sized block are computed once, when the block completes, and a window's sums are
/// assembled from its blocks (`TimeDomainSums`): at 75 % overlap that is a quarter of the work
/// of summing every window. The result equals the direct definition up to Float rounding
/// (the tests compare both paths with the NumPy reference).
///
/// Extractors for several channels at one rate can share one `WindowAnalyzer`
/// (`init(analyzer:hop:)`), which is how `MultiChannelEMGFeatureExtractor` drives eight
/// channels. An extractor is a value whose `analyzer` is a shared reference to scratch space:
/// copies keep independent windows, but must stay on one thread with the analyzer.
public struct SlidingFeatureExtractor {
    /// The window length and hop.
    public let window: WindowConfiguration
    /// The analyzer (possibly shared with other channels' extractors).
    public let analyzer: WindowAnalyzer
    /// How many samples have been taken since creation or `reset()`.
    public private(set) var sampleCount = 0

    private var ring: RingWindow
    /// Samples until the next hop boundary (block mode) or the next window (direct mode).
    private var untilNextEvent: Int
    /// Block mode: per block of the current window, its `tail` and `lead` sums, oldest at
    /// `oldestBlock`. Empty in direct mode.
    private var blockTails: [TimeDomainSums]
    private var blockLeads: [TimeDomainSums]
    private var oldestBlock = 0

    private var usesBlocks: Bool { !blockTails.isEmpty }

    /// An extractor using `analyzer`'s window length and rate, hopping by `hop` samples.
    ///
    /// - Throws: `FeatureConfigurationError.invalidHop` for a hop outside
    ///   `1...analyzer.length`.
    public init(analyzer: WindowAnalyzer, hop: Int) throws(FeatureConfigurationError) {
        let window = try WindowConfiguration(length: analyzer.length, hop: hop)
        self.window = window
        self.analyzer = analyzer
        ring = RingWindow(length: analyzer.length)
        // Blocks need the window to be whole blocks, and two samples before each block.
        let blocks = window.length.isMultiple(of: hop) && hop >= 2 && window.length >= hop + 2
        let count = blocks ? window.length / hop : 0
        blockTails = Array(repeating: TimeDomainSums(), count: count)
        blockLeads = Array(repeating: TimeDomainSums(), count: count)
        untilNextEvent = blocks ? hop : window.length
    }

    /// An extractor with its own analyzer.
    ///
    /// - Parameters:
    ///   - sampleRate: The channel's rate.
    ///   - window: Length and hop; default `WindowConfiguration.standard(sampleRate:)`.
    ///   - spectralBand: The conditioner's `status.spectralBand` (`nil`: no spectral features).
    ///   - zeroCrossingThreshold: ε in the signal's unit (µV), default 1.
    /// - Throws: What `WindowConfiguration.standard(sampleRate:)` and `WindowAnalyzer.init`
    ///   throw.
    public init(
        sampleRate: Hertz, window: WindowConfiguration? = nil, spectralBand: FrequencyBand?,
        zeroCrossingThreshold: Float = 1
    ) throws(FeatureConfigurationError) {
        let window = if let window { window } else { try WindowConfiguration.standard(sampleRate: sampleRate) }
        let analyzer = try WindowAnalyzer(
            sampleRate: sampleRate, length: window.length, spectralBand: spectralBand,
            zeroCrossingThreshold: zeroCrossingThreshold)
        try self.init(analyzer: analyzer, hop: window.hop)
    }

    /// Takes one sample; returns the features of the window it completes, if any.
    public mutating func process(_ x: Float) -> WindowFeatures? {
        ring.append(x)
        sampleCount += 1
        untilNextEvent -= 1
        guard untilNextEvent == 0 else { return nil }
        return event()
    }

    /// Takes a block; calls `emit` with the features of every window it completes, in order.
    public mutating func process(_ block: UnsafeBufferPointer<Float>, emit: (WindowFeatures) -> Void) {
        guard let base = block.baseAddress else { return }
        process(from: base, stride: 1, count: block.count, emit: emit)
    }

    /// Takes `count` samples spaced `stride` apart from `base` (one channel of interleaved
    /// frames); calls `emit` with the features of every window they complete, in order.
    public mutating func process(
        from base: UnsafePointer<Float>, stride: Int, count: Int, emit: (WindowFeatures) -> Void
    ) {
        var offset = 0
        while offset < count {
            let run = min(untilNextEvent, count - offset)
            ring.append(from: base + offset * stride, stride: stride, count: run)
            offset += run
            sampleCount += run
            untilNextEvent -= run
            if untilNextEvent == 0, let features = event() { emit(features) }
        }
    }

    /// Empties the window and restarts the sample count at zero, without allocating.
    public mutating func reset() {
        ring.reset()
        sampleCount = 0
        oldestBlock = 0
        untilNextEvent = usesBlocks ? window.hop : window.length
    }

    // MARK: - Implementation

    /// A hop boundary (block mode) or a window end (direct mode) has been reached.
    private mutating func event() -> WindowFeatures? {
        untilNextEvent = window.hop
        let end = sampleCount
        let analyzer = self.analyzer
        guard usesBlocks else {
            return ring.withContiguousSamples { analyzer.features(of: $0, endingAt: end) }
        }
        // The newest block replaces the oldest.
        let threshold = analyzer.zeroCrossingThreshold
        let (tail, lead) = ring.withLastSamples(window.hop + 2) {
            (TimeDomainSums.tail($0, threshold: threshold), TimeDomainSums.lead($0, threshold: threshold))
        }
        let blockCount = blockTails.count
        blockTails[oldestBlock] = tail
        blockLeads[oldestBlock] = lead
        oldestBlock = (oldestBlock + 1) % blockCount
        guard end >= window.length else { return nil }
        // Sum oldest to newest, so the rounding does not depend on where the ring index is.
        var sums = TimeDomainSums()
        for k in 0..<blockCount { sums = sums + blockTails[(oldestBlock + k) % blockCount] }
        sums = sums - blockLeads[oldestBlock]
        // The newest block is the window's last quarter when the hop is a quarter (the default).
        let tailSquares = window.hop == window.length / 4 ? tail.squares : nil
        return ring.withContiguousSamples {
            analyzer.features(
                of: $0, endingAt: end, sums: sums, tailSquares: tailSquares ?? analyzer.tailSquares(of: $0))
        }
    }
}
