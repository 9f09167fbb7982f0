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
        // Local copies keep the state in registers for the whole block.
        var s1 = self.s1, s2 = self.s2
        let b0 = self.b0, b1 = self.b1, b2 = self.b2, a1 = self.a1, a2 = self.a2
        for i in block.indices {
            let x = block[i]
            let y = b0 * x + s1
            s1 = b1 * x - a1 * y + s2
            s2 = b2 * x - a2 * y
            block[i] = y
        }
        self.s1 = s1
        self.s2 = s2
        flushSubnormalState()
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

    /// Sets state that has decayed below `Float.leastNormalMagnitude` to zero.
    ///
    /// After a signal stops (exact zeros, e.g. a disconnected electrode) the state decays
    /// through subnormal numbers, which x86 processors handle up to ~100 times slower. Flushing
    /// once per block costs nothing measurable and changes outputs by less than 1e-38.
    @usableFromInline mutating func flushSubnormalState() {
        if abs(s1) < Float.leastNormalMagnitude { s1 = 0 }
        if abs(s2) < Float.leastNormalMagnitude { s2 = 0 }
    }
}
