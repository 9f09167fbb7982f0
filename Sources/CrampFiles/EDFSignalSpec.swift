// SPDX-License-Identifier: MIT
import CrampCore

/// How one signal is stored in an EDF+/BDF file: the per-signal header fields.
///
/// Physical values map linearly onto the digital range:
/// `physical = physicalMinimum + (digital − digitalMinimum) · (physicalMaximum − physicalMinimum)
///  / (digitalMaximum − digitalMinimum)` (EDF spec, "physical minimum/maximum").
public struct EDFSignalSpec: Hashable, Sendable {
    /// The signal label, 16 ASCII characters at most (`EMG gastroc L`, `HR`, `EDF Annotations`).
    public var label: String
    /// Transducer type, 80 characters at most (`AgAgCl electrode`).
    public var transducer: String
    /// Physical dimension, 8 characters at most (`uV`, `bpm`, `spm`).
    public var physicalDimension: String
    public var physicalMinimum: Double
    public var physicalMaximum: Double
    public var digitalMinimum: Int32
    public var digitalMaximum: Int32
    /// Prefiltering, 80 characters at most (`HP:20Hz LP:450Hz`).
    public var prefiltering: String
    /// Samples of this signal in each data record.
    public var samplesPerRecord: Int

    public init(
        label: String,
        transducer: String = "",
        physicalDimension: String,
        physicalMinimum: Double,
        physicalMaximum: Double,
        digitalMinimum: Int32 = -32768,
        digitalMaximum: Int32 = 32767,
        prefiltering: String = "",
        samplesPerRecord: Int
    ) {
        self.label = label
        self.transducer = transducer
        self.physicalDimension = physicalDimension
        self.physicalMinimum = physicalMinimum
        self.physicalMaximum = physicalMaximum
        self.digitalMinimum = digitalMinimum
        self.digitalMaximum = digitalMaximum
        self.prefiltering = prefiltering
        self.samplesPerRecord = samplesPerRecord
    }

    /// The label of the EDF+ annotation signal.
    public static let annotationLabel = "EDF Annotations"

    /// True for the EDF+ annotation signal (TALs, not samples).
    public var isAnnotations: Bool { label == Self.annotationLabel }

    /// The crampd channel this signal carries, if its label names one.
    public var channel: ChannelDescriptor? { ChannelDescriptor(label: label) }
}
