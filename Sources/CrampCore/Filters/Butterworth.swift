// SPDX-License-Identifier: MIT
import RealModule

/// Digital Butterworth filters as second-order sections, identical to SciPy's
/// `scipy.signal.butter(order, …, fs=sampleRate, output="sos")`.
///
/// **What "order" means.** As in SciPy, MATLAB and LibEMG, `order` is the order *N of the
/// low-pass prototype*. A low- or high-pass of order N has N poles (⌈N/2⌉ sections); a band-pass
/// of order N has 2N poles and N sections. crampd's EMG band-pass is
/// `butter(4, [20, 450], btype="bandpass", fs=fs, output="sos")`: 4 sections, 8 poles, 24 dB
/// per octave on either side of the band, with 4 zeros at DC (so it also removes DC) and 4 at
/// Nyquist. That is the same filter LibEMG's `Filter` builds for "bandpass, order 4".
///
/// Design follows SciPy step by step (see `PoleZeroDesign`): prototype poles, the frequency
/// pre-warped with `4·tan(π·f/fs)` (SciPy's normalised `fs = 2`), the analog low-pass →
/// band-pass (or → high/low-pass) transformation, the bilinear transform, then `zpk2sos` with
/// "nearest" pairing, the gain folded into the first section.
public enum Butterworth {
    /// The largest prototype order accepted. Higher orders in single precision gain nothing
    /// for EMG and start to lose accuracy near the band edges.
    public static let maximumOrder = 12

    /// A band-pass over `band`.
    ///
    /// - Parameters:
    ///   - order: The prototype order N (N sections, 2N poles), `1...maximumOrder`.
    ///   - band: The −3 dB edges; the upper edge must be below Nyquist.
    ///   - sampleRate: The rate the filter runs at.
    /// - Returns: N sections in SciPy's order (gain in the first, poles nearest the unit circle
    ///   last).
    /// - Throws: `FilterDesignError.invalidOrder`, `.invalidSampleRate`, `.invalidCutoff`,
    ///   `.cutoffAboveNyquist`.
    public static func bandPass(order: Int, band: FrequencyBand, sampleRate: Hertz)
        throws(FilterDesignError) -> [BiquadCoefficients]
    {
        try validate(order: order, sampleRate: sampleRate)
        try BiquadCoefficients.validate(cutoff: band.lower, sampleRate: sampleRate)
        try BiquadCoefficients.validate(cutoff: band.upper, sampleRate: sampleRate)
        let low = warped(band.lower, sampleRate: sampleRate)
        let high = warped(band.upper, sampleRate: sampleRate)
        return PoleZeroDesign.butterworthPrototype(order: order)
            .lowPassToBandPass(centre: (low * high).squareRoot(), bandwidth: high - low)
            .bilinear(sampleRate: 2)
            .secondOrderSections()
    }

    /// A high-pass with its −3 dB corner at `cutoff`.
    ///
    /// - Parameters:
    ///   - order: The order N (N poles, ⌈N/2⌉ sections), `1...maximumOrder`.
    ///   - cutoff: The corner frequency; must be below Nyquist.
    ///   - sampleRate: The rate the filter runs at.
    /// - Throws: `FilterDesignError.invalidOrder`, `.invalidSampleRate`, `.invalidCutoff`,
    ///   `.cutoffAboveNyquist`.
    public static func highPass(order: Int, cutoff: Hertz, sampleRate: Hertz)
        throws(FilterDesignError) -> [BiquadCoefficients]
    {
        try validate(order: order, sampleRate: sampleRate)
        try BiquadCoefficients.validate(cutoff: cutoff, sampleRate: sampleRate)
        return PoleZeroDesign.butterworthPrototype(order: order)
            .lowPassToHighPass(cutoff: warped(cutoff, sampleRate: sampleRate))
            .bilinear(sampleRate: 2)
            .secondOrderSections()
    }

    /// A low-pass with its −3 dB corner at `cutoff`.
    ///
    /// - Parameters:
    ///   - order: The order N (N poles, ⌈N/2⌉ sections), `1...maximumOrder`.
    ///   - cutoff: The corner frequency; must be below Nyquist.
    ///   - sampleRate: The rate the filter runs at.
    /// - Throws: `FilterDesignError.invalidOrder`, `.invalidSampleRate`, `.invalidCutoff`,
    ///   `.cutoffAboveNyquist`.
    public static func lowPass(order: Int, cutoff: Hertz, sampleRate: Hertz)
        throws(FilterDesignError) -> [BiquadCoefficients]
    {
        try validate(order: order, sampleRate: sampleRate)
        try BiquadCoefficients.validate(cutoff: cutoff, sampleRate: sampleRate)
        return PoleZeroDesign.butterworthPrototype(order: order)
            .lowPassToLowPass(cutoff: warped(cutoff, sampleRate: sampleRate))
            .bilinear(sampleRate: 2)
            .secondOrderSections()
    }

    // MARK: - Helpers

    private static func validate(order: Int, sampleRate: Hertz) throws(FilterDesignError) {
        guard (1...maximumOrder).contains(order) else { throw .invalidOrder(order) }
        try BiquadCoefficients.validate(sampleRate: sampleRate)
    }

    /// SciPy's pre-warping with the normalised rate `fs = 2`: `Wn = f/(fs/2)`,
    /// `warped = 2·2·tan(π·Wn/2)`.
    private static func warped(_ frequency: Hertz, sampleRate: Hertz) -> Double {
        let wn = frequency.value / (sampleRate.value / 2)
        return 2 * 2 * Double.tan(Double.pi * wn / 2)
    }
}
