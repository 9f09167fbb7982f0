// SPDX-License-Identifier: MIT

/// One second-order section running in single precision, transposed direct form II (DF2T):
///
///     y  = b0·x + s1
///     s1 = b1·x − a1·y + s2
///     s2 = b2·x − a2·y
///
/// DF2T needs two state variables per section and keeps its rounding noise low for the static
/// filters crampd uses; it is also what SciPy's `sosfilt` runs, so outputs compare closely.
/// (A filter that is retuned while running would be better served by direct form I, whose state
/// is plain past inputs and outputs; crampd never retunes a running filter.)
///
/// A `Biquad` is a value: copying it copies its state. It never allocates and never fails.
public struct Biquad: Sendable {
    /// The design this filter runs (in `Double`; the filter runs a `Float` copy).
    public let coefficients: BiquadCoefficients

    @usableFromInline let b0, b1, b2, a1, a2: Float
    @usableFromInline var s1: Float = 0
    @usableFromInline var s2: Float = 0

    /// A filter at rest (zero state) running `coefficients`.
    public init(coefficients: BiquadCoefficients) {
        self.coefficients = coefficients
        b0 = Float(coefficients.b0)
        b1 = Float(coefficients.b1)
        b2 = Float(coefficients.b2)
        a1 = Float(coefficients.a1)
        a2 = Float(coefficients.a2)
    }

    /// Filters one sample.
    @inlinable @inline(__always)
    public mutating func process(_ x: Float) -> Float {
        let y = b0 * x + s1
        s1 = b1 * x - a1 * y + s2
        s2 = b2 * x - a2 * y
        return y
    }

    /// Filters a block in place.
    public mutating func process(_ block: UnsafeMutableBufferPointer<Float>) {
        // Local copies keep the state in registers; the state is flushed every
        // `flushInterval` samples (see `flushNegligibleState`).
        var s1 = self.s1, s2 = self.s2
        let b0 = self.b0, b1 = self.b1, b2 = self.b2, a1 = self.a1, a2 = self.a2
        var start = 0
        while start < block.count {
            let end = min(start + Self.flushInterval, block.count)
            for i in start..<end {
                let x = block[i]
                let y = b0 * x + s1
                s1 = b1 * x - a1 * y + s2
                s2 = b2 * x - a2 * y
                block[i] = y
            }
            Self.flushNegligible(&s1)
            Self.flushNegligible(&s2)
            start = end
        }
        self.s1 = s1
        self.s2 = s2
    }

    /// Filters a block in place.
    public mutating func process(_ block: inout [Float]) {
        block.withUnsafeMutableBufferPointer { process($0) }
    }

    /// Returns the filter to rest (zero state), without allocating. The design is unchanged.
    public mutating func reset() {
        s1 = 0
        s2 = 0
    }

    /// Samples between two flushes of negligible state in block processing.
    static let flushInterval = 128

    /// State below this magnitude is set to zero: 1e-30 of the signal's unit (µV) is 25 orders
    /// of magnitude below any sensor's noise.
    static let negligibleState: Float = 1e-30

    /// Sets a state variable that has decayed below `negligibleState` to exact zero.
    ///
    /// After a signal stops (exact zeros, e.g. a disconnected electrode) the state decays
    /// geometrically and would pass through subnormal numbers (below 1.2e-38), which x86
    /// processors handle up to ~100 times slower. Checking every `flushInterval` samples costs
    /// nothing measurable; without it a dead channel would slow every channel in its SIMD group.
    @inline(__always)
    static func flushNegligible(_ s: inout Float) {
        if abs(s) < negligibleState { s = 0 }
    }
}
