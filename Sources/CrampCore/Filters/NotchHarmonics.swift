// SPDX-License-Identifier: MIT

/// Which multiples of the mains frequency get a notch.
public enum NotchHarmonics: Hashable, Sendable {
    /// The fundamental only.
    case fundamentalOnly
    /// Every multiple `k·f0` (k ≥ 1) at or below the band-pass's upper edge: the harmonics that
    /// the band-pass lets through. The default: harmonics above the band are already attenuated
    /// by the band-pass, and each notch costs as much as a band-pass section.
    case withinPassBand
    /// Every multiple strictly below the Nyquist frequency.
    case belowNyquist
}
