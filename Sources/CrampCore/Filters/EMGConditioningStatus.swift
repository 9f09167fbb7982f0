// SPDX-License-Identifier: MIT

/// What a channel's conditioning could do at its sample rate: say so explicitly rather than
/// report spectral features that would be wrong.
public enum EMGConditioningStatus: Hashable, Sendable {
    /// The configured band is band-passed as requested.
    case fullBand(FrequencyBand)
    /// The requested upper edge was above 90 % of Nyquist and was lowered to 90 % of Nyquist
    /// (for example 450 → 225 Hz at 500 Hz); spectral features cover `band` only.
    case upperEdgeLowered(band: FrequencyBand, requested: FrequencyBand)
    /// The rate is too low for the band (`FilterDesignError.rateTooLowForBand`). The channel is
    /// high-passed at the band's lower edge only (so DC and movement artefact are still
    /// removed and time-domain features stay usable), and spectral features are unavailable.
    case spectralFeaturesUnavailable(FilterDesignError)

    /// The band spectral features are computed over, or `nil` when they are unavailable.
    public var spectralBand: FrequencyBand? {
        switch self {
        case .fullBand(let band), .upperEdgeLowered(let band, _): band
        case .spectralFeaturesUnavailable: nil
        }
    }
}
