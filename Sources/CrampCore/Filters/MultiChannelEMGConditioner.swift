// SPDX-License-Identifier: MIT

/// Conditions several EMG channels recorded at one rate, in lockstep, eight channels per SIMD
/// vector (`MultiChannelSOS`). Each channel gets exactly what `EMGConditioner` would give it.
public struct MultiChannelEMGConditioner: Sendable {
    /// The filters every channel runs.
    public let design: EMGConditioningDesign
    private var cascade: MultiChannelSOS

    /// Conditioners at rest for `channelCount` channels.
    ///
    /// - Parameters:
    ///   - design: The filters, designed once for the channels' common rate.
    ///   - channelCount: At least 1.
    public init(design: EMGConditioningDesign, channelCount: Int) {
        self.design = design
        cascade = MultiChannelSOS(coefficients: design.sections, channelCount: channelCount)
    }

    /// The number of channels.
    public var channelCount: Int { cascade.channelCount }

    /// What the conditioning could do at this rate.
    public var status: EMGConditioningStatus { design.status }

    /// Conditions interleaved frames (`x[frame * channelCount + channel]`) in place.
    public mutating func process(interleaved: UnsafeMutableBufferPointer<Float>) {
        cascade.process(interleaved: interleaved)
    }

    /// Returns every channel's filters to rest, without allocating.
    public mutating func reset() { cascade.reset() }
}
