// SPDX-License-Identifier: MIT

/// Why a window, a feature extractor or a detector could not be set up.
public enum FeatureConfigurationError: Error, Hashable, Sendable {
    /// The sample rate is not a finite, positive frequency.
    case invalidSampleRate(Hertz)
    /// A window length (in samples) below `minimum`.
    case invalidWindowLength(Int, minimum: Int)
    /// A hop (in samples) outside `1...length`.
    case invalidHop(Int, length: Int)
    /// A spectral band that holds fewer than two FFT bins at this rate and window length.
    case spectralBandTooNarrow(FrequencyBand, binWidth: Hertz)
    /// A threshold or ratio that is negative or not finite.
    case invalidThreshold(Double)
    /// FFTW could not plan a transform of this length (or could not allocate its buffers).
    case fftPlanningFailed(length: Int)
    /// A duration parameter (named) that is not positive, or too short for the sample rate.
    case invalidDuration(String, Duration)
    /// A ratio or count parameter (named) outside its allowed range.
    case invalidParameter(String, Double)
    /// A channel description the pipeline cannot run (which channel, and why).
    case invalidChannel(index: Int, reason: String)
}
