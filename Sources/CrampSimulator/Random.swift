// SPDX-License-Identifier: MIT
import RealModule

// MARK: - Draws used by the simulator

extension SplitMix64 {
    /// An independent generator for one named stream of a session.
    ///
    /// Every part of the model (the plan, the body, each EMG channel) draws from its own stream,
    /// so that the samples of one channel do not depend on which other channels are generated:
    /// `--sites gastroc` gives bit for bit the gastrocnemius channels of the full session.
    static func stream(seed: UInt64, id: UInt64) -> SplitMix64 {
        var mixer = SplitMix64(seed: seed ^ (id &* 0xD1B5_4A32_D192_ED03))
        _ = mixer.next()
        return SplitMix64(seed: mixer.next())
    }

    /// A uniform value in `range`.
    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUnit()
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { nextUnit() < p }

    /// A uniform index in `0..<count` (`count` small; the modulo bias is below 2⁻⁵⁰).
    mutating func index(_ count: Int) -> Int { Int(next() % UInt64(count)) }

    /// A standard normal value (Box–Muller). For plan and control-rate draws only: it calls
    /// `log` and `cos`.
    mutating func gaussian() -> Double {
        let u1 = 1 - nextUnit()  // (0, 1]
        let u2 = nextUnit()
        return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * .pi * u2)
    }

    /// An approximately normal value with zero mean and unit variance, for the per-sample path.
    ///
    /// The sum of the four 16-bit words of one 64-bit draw (Irwin–Hall, n = 4), centred and
    /// scaled. Its tails stop at ±3.46σ and its kurtosis is 2.7 instead of 3; both vanish once
    /// the value has passed through the EMG shaping filter (whose output is a sum of many
    /// inputs). It costs one draw and no libm call, which keeps the inner loop fast and free of
    /// platform-dependent elementary functions.
    @inline(__always)
    mutating func fastGaussian() -> Double {
        let r = next()
        let sum = (r & 0xFFFF) &+ ((r >> 16) & 0xFFFF) &+ ((r >> 32) & 0xFFFF) &+ (r >> 48)
        // mean 4·32767.5; standard deviation √((65536² − 1)/3)
        return (Double(sum) - 131_070) * 2.6428997921303014e-05
    }
}

// MARK: - Small shape functions

/// 0 below `0`, 1 above `1`, a smooth cubic (3x² − 2x³) in between.
@inline(__always)
func smoothstep(_ x: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    return x * x * (3 - 2 * x)
}

/// `x` limited to `range`.
@inline(__always)
func clamp(_ x: Double, _ range: ClosedRange<Double>) -> Double {
    min(max(x, range.lowerBound), range.upperBound)
}
