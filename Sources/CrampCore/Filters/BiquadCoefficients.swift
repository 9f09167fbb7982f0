// SPDX-License-Identifier: MIT
import RealModule

/// The design of one second-order section (biquad), normalised so that `a0 == 1`:
///
///     H(z) = (b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²)
///
/// This is one row `[b0, b1, b2, 1, a1, a2]` of a SciPy `sos` array. Coefficients are designed
/// and kept in `Double` so they can be compared with SciPy exactly; `Biquad` runs them in
/// `Float`. A design carries no state: the same coefficients can drive any number of filters.
public struct BiquadCoefficients: Hashable, Sendable {
    /// Feed-forward coefficient of x[n].
    public var b0: Double
    /// Feed-forward coefficient of x[n−1].
    public var b1: Double
    /// Feed-forward coefficient of x[n−2].
    public var b2: Double
    /// Feedback coefficient of y[n−1] (the denominator's z⁻¹ term, `a0` being 1).
    public var a1: Double
    /// Feedback coefficient of y[n−2].
    public var a2: Double

    /// Creates a section from a transfer function, normalising by `a0`.
    ///
    /// - Throws: `FilterDesignError.invalidCoefficients` if `a0` is zero or any coefficient is
    ///   not finite.
    public init(b0: Double, b1: Double, b2: Double, a0: Double = 1, a1: Double, a2: Double)
        throws(FilterDesignError)
    {
        let all = [b0, b1, b2, a0, a1, a2]
        guard a0 != 0, all.allSatisfy(\.isFinite) else { throw .invalidCoefficients }
        self.init(normalizedB0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0)
    }

    init(normalizedB0 b0: Double, b1: Double, b2: Double, a1: Double, a2: Double) {
        self.b0 = b0
        self.b1 = b1
        self.b2 = b2
        self.a1 = a1
        self.a2 = a2
    }

    /// The section as a SciPy `sos` row: `[b0, b1, b2, 1, a1, a2]`.
    public var sosRow: [Double] { [b0, b1, b2, 1, a1, a2] }
}

// MARK: - Notch

extension BiquadCoefficients {
    /// A second-order IIR notch at `frequency`, identical to SciPy's
    /// `scipy.signal.iirnotch(frequency, qualityFactor, fs=sampleRate)`.
    ///
    /// With `w0 = 2π·f0/fs` and `bw = w0/Q` (the −3 dB width), `β = tan(bw/2)`,
    /// `g = 1/(1+β)`:
    ///
    ///     b = g·[1, −2 cos w0, 1],  a = [1, −2 g cos w0, 2g − 1]
    ///
    /// (Orfanidis, *Introduction to Signal Processing*, eqs. 11.3.4–11.3.7, as cited by SciPy.)
    ///
    /// - Parameters:
    ///   - frequency: The centre of the notch; must lie strictly between 0 and Nyquist.
    ///   - qualityFactor: `Q = f0 / bandwidth(−3 dB)`; must be finite and positive.
    ///   - sampleRate: The rate the filter runs at.
    /// - Throws: `FilterDesignError.invalidSampleRate`, `.invalidCutoff`,
    ///   `.cutoffAboveNyquist` or `.invalidQualityFactor`.
    public static func notch(frequency: Hertz, qualityFactor: Double, sampleRate: Hertz)
        throws(FilterDesignError) -> BiquadCoefficients
    {
        try validate(sampleRate: sampleRate)
        try validate(cutoff: frequency, sampleRate: sampleRate)
        guard qualityFactor.isFinite, qualityFactor > 0 else {
            throw .invalidQualityFactor(qualityFactor)
        }
        // Same operation order as SciPy's _design_notch_peak_filter.
        var w0 = 2 * frequency.value / sampleRate.value
        var bw = w0 / qualityFactor
        bw *= Double.pi
        w0 *= Double.pi
        let beta = Double.tan(bw / 2)
        let gain = 1 / (1 + beta)
        let cosW0 = Double.cos(w0)
        return BiquadCoefficients(
            normalizedB0: gain, b1: gain * (-2 * cosW0), b2: gain,
            a1: -2 * gain * cosW0, a2: 2 * gain - 1)
    }
}

// MARK: - Validation shared by the designs

extension BiquadCoefficients {
    static func validate(sampleRate: Hertz) throws(FilterDesignError) {
        guard sampleRate.value.isFinite, sampleRate.value > 0 else {
            throw .invalidSampleRate(sampleRate)
        }
    }

    static func validate(cutoff: Hertz, sampleRate: Hertz) throws(FilterDesignError) {
        guard cutoff.value.isFinite, cutoff.value > 0 else { throw .invalidCutoff(cutoff) }
        let nyquist = Hertz(sampleRate.value / 2)
        guard cutoff < nyquist else { throw .cutoffAboveNyquist(cutoff: cutoff, nyquist: nyquist) }
    }
}
