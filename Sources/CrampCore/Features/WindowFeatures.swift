// SPDX-License-Identifier: MIT

/// The features of one window of one conditioned EMG channel (see `WindowAnalyzer` for the
/// exact definitions, and docs/FEATURES.md). Amplitudes are in the channel's unit, µV for EMG.
public struct WindowFeatures: Hashable, Sendable {
    /// The samples the window covers, as indices into the channel's stream (0 = first sample).
    public let sampleRange: Range<Int>
    /// The time of the window's end, `sampleRange.upperBound / sampleRate` after the first
    /// sample: when the last sample of the window has been received. From the samples, never a
    /// clock.
    public let endTime: Duration
    /// Root mean square, `√(Σx²/N)`, µV.
    public let rms: Float
    /// Mean absolute value, `Σ|x|/N`, µV.
    public let meanAbsoluteValue: Float
    /// Zero crossings per second (threshold in `WindowAnalyzer.zeroCrossingThreshold`).
    public let zeroCrossingsPerSecond: Float
    /// Mean Teager–Kaiser energy, `mean(x[n]² − x[n−1]·x[n+1])` over the window's interior,
    /// µV².
    public let teagerKaiserEnergy: Float
    /// RMS of the window's newest quarter (its last `length / 4` samples: the newest hop at the
    /// default 75 % overlap), µV. Four times the window's time resolution, for tests of
    /// sustained activity: a 250 ms window that holds a 100 ms twitch is raised throughout,
    /// while its quarters are not all raised.
    public let tailRMS: Float
    /// Spectral features, or `nil` when unavailable: the rate is too low for the band
    /// (`EMGConditioningStatus.spectralFeaturesUnavailable`) or the window has no power in the
    /// band (a flat signal).
    public let spectral: SpectralFeatures?
}
