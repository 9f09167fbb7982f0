// SPDX-License-Identifier: MIT
import RealModule

/// The free oscillation of a notch filter: the damped sinusoid its poles ring with after the
/// input changes abruptly — at the end of every EMG burst.
///
/// A notch `H = 1 − R` removes the part of the input that a narrow resonator `R` passes. When a
/// burst ends, `R` keeps ringing at the notch frequency with its poles' decay, and the notched
/// output carries that ringing: with Q = 30 at 50 Hz the time constant is `Q/(π·f0)` ≈ 0.19 s,
/// as long as the quiet interval between two strides. The ringing of a 300 µV burst is about
/// 10–30 µV at first, several times the inter-stride baseline (a few µV), so a plain RMS of the
/// interval would report the notch, not the muscle. `InterBurstBaselineEstimator` removes this
/// ringing by least squares, knowing its exact frequency and decay from the poles.
public struct NotchRinging: Hashable, Sendable {
    /// The pole radius: the ringing's amplitude is multiplied by this each sample.
    public let radius: Double
    /// The pole angle in radians per sample (`2π·f/fs`, the notch frequency).
    public let radiansPerSample: Double

    /// The ringing of a notch section (`1 + a1 z⁻¹ + a2 z⁻²` with complex poles); `nil` when
    /// the section's poles are real or not inside the unit circle.
    public init?(notch: BiquadCoefficients) {
        // Poles z = ρ·e^{±iθ}: a2 = ρ², a1 = −2ρ·cos θ.
        guard notch.a2 > 0, notch.a2 < 1 else { return nil }
        let radius = notch.a2.squareRoot()
        let cosine = -notch.a1 / (2 * radius)
        guard cosine > -1, cosine < 1 else { return nil }
        self.radius = radius
        radiansPerSample = Double.acos(cosine)
    }

    /// The ringing's time constant in samples, `−1/ln ρ`.
    public var timeConstantSamples: Double { -1 / Double.log(radius) }
}

extension NotchRinging {
    var cosine: Double { Double.cos(radiansPerSample) }
    var sine: Double { Double.sin(radiansPerSample) }
}
