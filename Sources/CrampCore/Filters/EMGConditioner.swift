// SPDX-License-Identifier: MIT

/// Conditions one EMG channel: band-pass 20–450 Hz (removing DC), then mains notches — see
/// `EMGConditioningDesign` for the filters and `EMGConditioningStatus` for what happens at
/// rates too low for the band.
///
/// A value type: copying a conditioner copies its filter state. `process` never allocates and
/// never fails. For several channels at one rate, `MultiChannelEMGConditioner` runs the same
/// filters on eight channels per SIMD vector and gives identical outputs.
public struct EMGConditioner: Sendable {
    /// The filters this conditioner runs.
    public let design: EMGConditioningDesign
    private var cascade: SOSCascade

    /// A conditioner at rest running `design`.
    public init(design: EMGConditioningDesign) {
        self.design = design
        cascade = SOSCascade(coefficients: design.sections)
    }

    /// Designs and creates a conditioner.
    ///
    /// - Throws: Whatever `EMGConditioningDesign.init(sampleRate:configuration:)` throws.
    public init(sampleRate: Hertz, configuration: EMGConditioningConfiguration = .init())
        throws(FilterDesignError)
    {
        self.init(design: try EMGConditioningDesign(sampleRate: sampleRate, configuration: configuration))
    }

    /// What the conditioning could do at this rate (and whether spectral features exist).
    public var status: EMGConditioningStatus { design.status }

    /// Conditions one sample.
    public mutating func process(_ x: Float) -> Float { cascade.process(x) }

    /// Conditions a block in place.
    public mutating func process(_ block: UnsafeMutableBufferPointer<Float>) { cascade.process(block) }

    /// Conditions a block in place.
    public mutating func process(_ block: inout [Float]) { cascade.process(&block) }

    /// Returns the filters to rest, without allocating.
    public mutating func reset() { cascade.reset() }
}
