// SPDX-License-Identifier: MIT

/// Second-order sections in series, each a `Biquad` (DF2T, single precision): the causal
/// equivalent of SciPy's `sosfilt(sos, x)` for one channel.
///
/// A value: copying it copies every section's state. `process` never allocates and never
/// fails; all validation happened when the sections were designed.
public struct SOSCascade: Sendable {
    /// The sections, first to last, each with its state.
    public private(set) var sections: [Biquad]

    /// A cascade at rest running `coefficients` in order (row 0 first, as in a SciPy `sos`).
    public init(coefficients: [BiquadCoefficients]) {
        sections = coefficients.map(Biquad.init(coefficients:))
    }

    /// The designs of the sections, in order.
    public var coefficients: [BiquadCoefficients] { sections.map(\.coefficients) }

    /// Filters one sample through every section.
    public mutating func process(_ x: Float) -> Float {
        sections.withUnsafeMutableBufferPointer { sections in
            var y = x
            for i in sections.indices { y = sections[i].process(y) }
            return y
        }
    }

    /// Filters a block in place, one section at a time over the whole block (the state of a
    /// section stays in registers, and the block stays in L1 cache between sections).
    public mutating func process(_ block: UnsafeMutableBufferPointer<Float>) {
        sections.withUnsafeMutableBufferPointer { sections in
            for i in sections.indices { sections[i].process(block) }
        }
    }

    /// Filters a block in place.
    public mutating func process(_ block: inout [Float]) {
        block.withUnsafeMutableBufferPointer { process($0) }
    }

    /// Returns every section to rest, without allocating.
    public mutating func reset() {
        sections.withUnsafeMutableBufferPointer { sections in
            for i in sections.indices { sections[i].reset() }
        }
    }
}
