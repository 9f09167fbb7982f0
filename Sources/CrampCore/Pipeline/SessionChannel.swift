// SPDX-License-Identifier: MIT

/// One signal of a session, as `SessionFeaturePipeline` needs to know it: what it is, its rate
/// and, for EMG, the physical limits of its converter.
public struct SessionChannel: Hashable, Sendable {
    /// The signal's label as recorded (`EMG gastroc L`, `EMG GL R`, `Cadence`).
    public var label: String
    /// What the pipeline does with it: `.emg` is conditioned and analysed, `.cadence` steers
    /// stride segmentation; `nil` (and, for now, HR, RR and speed) is not analysed.
    public var kind: ChannelKind?
    /// The crampd channel the label names, if it names one (an EMG channel on a muscle outside
    /// crampd's sites, such as `EMG GL R`, is analysed all the same).
    public var descriptor: ChannelDescriptor?
    /// The rate of a regularly sampled signal; required for EMG.
    public var sampleRate: Hertz?
    /// The smallest and largest physical values the converter can represent (the EDF header's
    /// physical minimum and maximum), in µV for EMG; `nil` if unknown (saturation is then
    /// never flagged).
    public var physicalRange: ClosedRange<Double>?

    /// A channel described field by field.
    public init(
        label: String, kind: ChannelKind?, descriptor: ChannelDescriptor? = nil, sampleRate: Hertz? = nil,
        physicalRange: ClosedRange<Double>? = nil
    ) {
        self.label = label
        self.kind = kind
        self.descriptor = descriptor
        self.sampleRate = sampleRate
        self.physicalRange = physicalRange
    }

    /// A channel described by its label alone: `EMG …` labels (any muscle) are EMG, the others
    /// as `ChannelDescriptor(label:)` reads them.
    public init(label: String, sampleRate: Hertz?, physicalRange: ClosedRange<Double>? = nil) {
        let descriptor = ChannelDescriptor(label: label)
        let words = label.split(whereSeparator: { $0 == " " || $0 == "_" })
        let isEMG = words.count >= 2 && words[0].lowercased() == "emg"
        self.init(
            label: label, kind: isEMG ? .emg : descriptor?.kind, descriptor: descriptor, sampleRate: sampleRate,
            physicalRange: physicalRange)
    }
}
