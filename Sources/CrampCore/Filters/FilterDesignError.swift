// SPDX-License-Identifier: MIT

/// Why a filter could not be designed.
///
/// Every filter in crampd is validated when it is designed, so that running it (`process`)
/// can neither fail nor throw. Each case carries the values that were rejected.
public enum FilterDesignError: Error, Hashable, Sendable {
    /// The sample rate is not a finite, positive frequency.
    case invalidSampleRate(Hertz)
    /// The filter order is outside `1...Butterworth.maximumOrder`.
    case invalidOrder(Int)
    /// A cut-off or centre frequency is not a finite, positive frequency.
    case invalidCutoff(Hertz)
    /// A cut-off or centre frequency is at or above the Nyquist frequency (half the rate).
    case cutoffAboveNyquist(cutoff: Hertz, nyquist: Hertz)
    /// A band whose lower edge is not strictly below its upper edge.
    case invalidBand(lower: Hertz, upper: Hertz)
    /// A notch quality factor that is not finite and positive.
    case invalidQualityFactor(Double)
    /// A biquad whose `a0` is zero or whose coefficients are not finite.
    case invalidCoefficients
    /// The sample rate is too low to analyse `band`: its Nyquist frequency leaves too little of
    /// the band to filter it or to compute spectral features from it (e.g. 200 Hz Myo-style EMG
    /// against the 20–450 Hz surface-EMG band).
    case rateTooLowForBand(rate: Hertz, band: FrequencyBand)
}
