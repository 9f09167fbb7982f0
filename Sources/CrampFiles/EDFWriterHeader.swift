// SPDX-License-Identifier: MIT

/// What ``EDFWriter`` writes into the header of a new EDF+C (or, with ``discontinuous``, EDF+D)
/// file.
///
/// Only the data signals are listed; the writer appends the `EDF Annotations` signal itself,
/// with ``annotationBytesPerRecord`` bytes of TAL space in every data record.
public struct EDFWriterHeader: Sendable {
    /// The EDF+ patient identification, 80 ASCII characters at most. The EDF+ subfields are
    /// `code sex birthdate name`, `X` for unknown: the default `X X X X` says nothing.
    public var patientIdentification: String
    /// The EDF+ recording identification, 80 ASCII characters at most, starting with
    /// `Startdate` (`Startdate dd-MMM-yyyy admincode technician equipment`, `X` for unknown).
    public var recordingIdentification: String
    /// The start date and time of the recording (years 1985…2084).
    public var start: EDFDateTime
    /// The duration of one data record, in seconds (> 0; written in 8 characters).
    public var recordDurationSeconds: Double
    /// The data signals, in file order.
    public var signals: [EDFSignalSpec]
    /// Bytes of annotation space in each data record (even, ≥ 32). Annotations that do not fit
    /// in one record are carried over to the next ones.
    public var annotationBytesPerRecord: Int
    /// `false` (the default): EDF+C, data records back to back from the start. `true`: EDF+D,
    /// each data record at the onset its time-keeping TAL gives, so a recording can have gaps
    /// (pauses, dropouts) without samples invented for them (EDF+ spec 2.2.4).
    public var discontinuous: Bool

    /// Creates a header.
    ///
    /// - Parameters:
    ///   - signals: the data signals, in file order (not the annotation signal).
    ///   - start: the start date and time of the recording.
    ///   - recordDurationSeconds: the duration of one data record, in seconds.
    ///   - patientIdentification: the EDF+ patient subfields.
    ///   - recordingIdentification: the EDF+ recording subfields.
    ///   - annotationBytesPerRecord: TAL space per data record, in bytes (even).
    ///   - discontinuous: write EDF+D (records with explicit onsets) instead of EDF+C.
    public init(
        signals: [EDFSignalSpec],
        start: EDFDateTime,
        recordDurationSeconds: Double = 1,
        patientIdentification: String = "X X X X",
        recordingIdentification: String = "Startdate X X X X",
        annotationBytesPerRecord: Int = 512,
        discontinuous: Bool = false
    ) {
        self.signals = signals
        self.start = start
        self.recordDurationSeconds = recordDurationSeconds
        self.patientIdentification = patientIdentification
        self.recordingIdentification = recordingIdentification
        self.annotationBytesPerRecord = annotationBytesPerRecord
        self.discontinuous = discontinuous
    }
}
