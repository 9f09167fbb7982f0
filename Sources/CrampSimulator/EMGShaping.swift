// SPDX-License-Identifier: MIT
import RealModule

// MARK: - The spectral shape of surface EMG
//
// Surface EMG is modelled as Gaussian noise shaped by a filter and modulated in amplitude
// (Shwedyk, Balasubramanian & Scott 1977). The power spectrum is Shwedyk's
//
//     P(f) ∝ f_h⁴ f² / ((f² + f_l²)(f² + f_h²)²)
//
// the shape also used to synthesise signals of known spectral content by Farina & Merletti
// (2000): one high-pass pole at f_l and a double low-pass pole at f_h. Here each pole is a
// one-pole section (matched z-transform, pole at exp(−2πf/fs)). With f_l = 50 Hz and
// f_h = 130 Hz the mean frequency in 20–450 Hz is 117–133 Hz (4 kHz … 1 kHz sampling).
//
// Fatigue slows muscle-fibre conduction; the spectrum is then compressed along the frequency
// axis by the same factor (Lindström & Magnusson 1977), so both corners are multiplied by the
// conduction-velocity factor c ≤ 1 and MNF falls by about the same fraction.

/// The shaping filter of one EMG channel, with its output normalised to unit variance.
struct EMGShapingFilter: Sendable {
    private var lowState = 0.0
    private var high1 = 0.0
    private var high2 = 0.0
    private var aLow = 0.0
    private var aHigh = 0.0
    private var gain = 1.0

    /// Sets the corner frequencies. The state is kept: the corners move by a fraction of a
    /// percent per retune (once per 1-s record), far too little to disturb the one-pole
    /// sections, so the output stays continuous.
    mutating func retune(low: Double, high: Double, sampleRate: Double) {
        aLow = 1 - Double.exp(-2 * .pi * low / sampleRate)
        aHigh = 1 - Double.exp(-2 * .pi * high / sampleRate)
        // Unit variance for unit-variance white input: 1/√(energy of the impulse response).
        var l = 0.0, h1 = 0.0, h2 = 0.0, energy = 0.0
        var x = 1.0
        for n in 0..<100_000 {
            l += aLow * (x - l)
            let hp = x - l
            h1 += aHigh * (hp - h1)
            h2 += aHigh * (h1 - h2)
            energy += h2 * h2
            x = 0
            if n > 64 && h2 * h2 < 1e-16 * energy && abs(l) < 1e-8 { break }
        }
        gain = 1 / energy.squareRoot()
    }

    /// Filters one white-noise sample.
    @inline(__always)
    mutating func process(_ x: Double) -> Double {
        lowState += aLow * (x - lowState)
        let hp = x - lowState
        high1 += aHigh * (hp - high1)
        high2 += aHigh * (high1 - high2)
        return high2 * gain
    }
}

/// Corner frequencies of the unfatigued spectrum, Hz (modelling choice giving MNF ≈ 120 Hz).
enum EMGSpectrum {
    static let lowCorner = 50.0
    static let highCorner = 130.0
}
