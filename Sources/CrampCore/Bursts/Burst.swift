// SPDX-License-Identifier: MIT

/// One burst of activity on one conditioned EMG channel: from the onset to the offset found by
/// `BurstDetector`, with its amplitude.
///
/// Times are sample indices of the channel's stream (0 = first sample) converted with the
/// channel's rate, never a clock. Onset and offset have the resolution of the detector's
/// envelope frame (5 ms by default).
public struct Burst: Hashable, Sendable {
    /// The samples of the burst, onset (inclusive) to offset (exclusive).
    public let sampleRange: Range<Int>
    /// The onset, `sampleRange.lowerBound / sampleRate`.
    public let onsetTime: Duration
    /// The offset, `sampleRange.upperBound / sampleRate`.
    public let offsetTime: Duration
    /// The largest absolute value of the conditioned signal in the burst, in µV.
    public let peakAmplitude: Float
    /// The root mean square of the conditioned signal over the burst, in µV.
    public let rms: Float
    /// The largest value of the smoothed Teager–Kaiser envelope in the burst (µV, see
    /// `BurstDetector`).
    public let peakEnvelope: Float
    /// The channel's noise floor (envelope units, µV) when the burst began; the onset threshold
    /// was `onsetRatio` times this.
    public let noiseFloor: Float
    /// The spectral features of the burst's samples (`SegmentSpectrum`), filled in by
    /// `SessionFeaturePipeline`; `nil` from `BurstDetector` alone, when the rate is too low
    /// for the band, or when the burst has no power in the band.
    public var spectral: SpectralFeatures?

    /// The burst's length, `offsetTime − onsetTime`.
    public var duration: Duration { offsetTime - onsetTime }

    /// The burst's energy in µV²·samples, `rms² · sample count`: how gait-burst candidates are
    /// compared (`StrideSegmenter`).
    public var energy: Double { Double(rms) * Double(rms) * Double(sampleRange.count) }

    /// A burst with its measures (made by `BurstDetector`; `spectral` by the pipeline).
    public init(
        sampleRange: Range<Int>, onsetTime: Duration, offsetTime: Duration, peakAmplitude: Float, rms: Float,
        peakEnvelope: Float, noiseFloor: Float, spectral: SpectralFeatures? = nil
    ) {
        self.sampleRange = sampleRange
        self.onsetTime = onsetTime
        self.offsetTime = offsetTime
        self.peakAmplitude = peakAmplitude
        self.rms = rms
        self.peakEnvelope = peakEnvelope
        self.noiseFloor = noiseFloor
        self.spectral = spectral
    }
}
