// SPDX-License-Identifier: MIT

/// Conditions and analyses several EMG channels recorded at one rate: the per-window feature
/// stage of the pipeline for, typically, eight channels.
///
/// Interleaved frames are conditioned in place, eight channels per SIMD vector
/// (`MultiChannelEMGConditioner`); each channel's samples are then read, strided, into its own
/// `SlidingFeatureExtractor`; all extractors share one `WindowAnalyzer` (one FFT plan, one Hann
/// table, one scratch spectrum). All channels complete their windows at the same sample, so
/// features arrive per hop for channel 0, 1, … in order. Nothing is allocated after `init`.
public struct MultiChannelEMGFeatureExtractor {
    /// The conditioning every channel gets.
    public var design: EMGConditioningDesign { conditioner.design }
    /// The window length and hop.
    public let window: WindowConfiguration
    /// The number of channels.
    public var channelCount: Int { conditioner.channelCount }

    private var conditioner: MultiChannelEMGConditioner
    private var extractors: [SlidingFeatureExtractor]

    /// Conditioners and extractors for `channelCount` channels at `design.sampleRate`.
    ///
    /// Spectral features are computed over `design.status.spectralBand` and are `nil` when the
    /// rate is too low for the band.
    ///
    /// - Parameters:
    ///   - design: The conditioning, designed once for the common rate.
    ///   - channelCount: At least 1.
    ///   - window: Length and hop; default `WindowConfiguration.standard(sampleRate:)`.
    ///   - zeroCrossingThreshold: ε in µV, default 1.
    /// - Throws: What `WindowConfiguration.standard(sampleRate:)` and `WindowAnalyzer.init`
    ///   throw.
    public init(
        design: EMGConditioningDesign, channelCount: Int, window: WindowConfiguration? = nil,
        zeroCrossingThreshold: Float = 1
    ) throws(FeatureConfigurationError) {
        let window = if let window { window } else { try WindowConfiguration.standard(sampleRate: design.sampleRate) }
        let analyzer = try WindowAnalyzer(
            sampleRate: design.sampleRate, length: window.length,
            spectralBand: design.status.spectralBand, zeroCrossingThreshold: zeroCrossingThreshold)
        var extractors: [SlidingFeatureExtractor] = []
        for _ in 0..<channelCount {
            extractors.append(try SlidingFeatureExtractor(analyzer: analyzer, hop: window.hop))
        }
        self.window = window
        self.conditioner = MultiChannelEMGConditioner(design: design, channelCount: channelCount)
        self.extractors = extractors
    }

    /// Conditions `interleaved` frames in place (`x[frame * channelCount + channel]`, raw µV
    /// in, conditioned µV out) and calls `emit(channel, features)` for every window completed.
    public mutating func process(
        interleaved: UnsafeMutableBufferPointer<Float>, emit: (_ channel: Int, _ features: WindowFeatures) -> Void
    ) {
        conditioner.process(interleaved: interleaved)
        guard let base = interleaved.baseAddress else { return }
        let channels = channelCount
        let frames = interleaved.count / channels
        // Walk in hop-sized runs so that windows are emitted channel by channel per hop.
        var start = 0
        while start < frames {
            let run = min(frames - start, window.hop)
            extractors.withUnsafeMutableBufferPointer { extractors in
                for channel in 0..<channels {
                    extractors[channel].process(
                        from: UnsafePointer(base + start * channels + channel), stride: channels, count: run,
                        emit: { emit(channel, $0) })
                }
            }
            start += run
        }
    }

    /// Returns every channel to its initial state (filters at rest, empty windows).
    public mutating func reset() {
        conditioner.reset()
        extractors.withUnsafeMutableBufferPointer { extractors in
            for i in extractors.indices { extractors[i].reset() }
        }
    }
}
