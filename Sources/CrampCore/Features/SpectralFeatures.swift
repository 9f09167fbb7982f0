// SPDX-License-Identifier: MIT

/// Spectral features of one window of one channel (see `WindowAnalyzer` for the exact
/// definitions, and docs/FEATURES.md).
public struct SpectralFeatures: Hashable, Sendable {
    /// The band the moments were summed over (bins with `lower ≤ f ≤ upper`).
    public let band: FrequencyBand
    /// Mean frequency MNF = M₁/M₀.
    public let meanFrequency: Hertz
    /// Median frequency MDF: the first bin at which the cumulative power reaches half the
    /// band's total (bin resolution, `sampleRate / length`).
    public let medianFrequency: Hertz
    /// Dimitrov's spectral index FInsm5 = M₋₁/M₅ (Dimitrov et al. 2006), with frequencies in
    /// hertz, so in Hz⁻⁶. It rises with fatigue; only ratios of it to a baseline are meaningful.
    public let dimitrovIndexFInsm5: Double
}
