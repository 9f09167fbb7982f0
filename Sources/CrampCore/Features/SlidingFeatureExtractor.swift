// SPDX-License-Identifier: MIT

/// Slides a window over one conditioned channel and emits its `WindowFeatures` once per hop.
///
/// The first window is emitted when `window.length` samples have arrived, then one every
/// `window.hop` samples; each carries its sample range and the end time computed from the
/// sample count and rate (no clock). Samples go into a `RingWindow`, so the analysed window is
/// read in place; nothing is allocated per sample or per window.
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
    private var untilNextWindow: Int

    /// An extractor using `analyzer`'s window length and rate, hopping by `hop` samples.
    ///
    /// - Throws: `FeatureConfigurationError.invalidHop` for a hop outside
    ///   `1...analyzer.length`.
    public init(analyzer: WindowAnalyzer, hop: Int) throws(FeatureConfigurationError) {
        window = try WindowConfiguration(length: analyzer.length, hop: hop)
        self.analyzer = analyzer
        ring = RingWindow(length: analyzer.length)
        untilNextWindow = analyzer.length
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
        untilNextWindow -= 1
        guard untilNextWindow == 0 else { return nil }
        untilNextWindow = window.hop
        return analyze()
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
            let run = min(untilNextWindow, count - offset)
            ring.append(from: base + offset * stride, stride: stride, count: run)
            offset += run
            sampleCount += run
            untilNextWindow -= run
            if untilNextWindow == 0 {
                untilNextWindow = window.hop
                emit(analyze())
            }
        }
    }

    /// Empties the window and restarts the sample count at zero, without allocating.
    public mutating func reset() {
        ring.reset()
        sampleCount = 0
        untilNextWindow = window.length
    }

    private func analyze() -> WindowFeatures {
        let end = sampleCount
        let analyzer = self.analyzer
        return ring.withContiguousSamples { analyzer.features(of: $0, endingAt: end) }
    }
}
