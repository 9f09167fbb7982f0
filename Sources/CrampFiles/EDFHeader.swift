// SPDX-License-Identifier: MIT
import CrampCore

/// The parsed and validated header of an EDF, EDF+ or BDF(+) file.
///
/// ``signals`` lists the data signals only; annotation signals (`EDF Annotations`,
/// `BDF Annotations`) are decoded into annotations by ``EDFReader`` and counted in
/// ``annotationSignalCount``.
public struct EDFHeader: Hashable, Sendable {
    /// The file's format.
    public var format: EDFFormat
    /// The patient identification field (EDF+: `code sex birthdate name`).
    public var patientIdentification: String
    /// The recording identification field (EDF+: `Startdate dd-MMM-yyyy …`).
    public var recordingIdentification: String
    /// The start date and time of the recording.
    public var start: EDFDateTime
    /// Size of the header record in bytes: 256 × (all signals + 1).
    public var headerBytes: Int
    /// The number of data records.
    public var recordCount: Int
    /// The duration of one data record, in seconds (0 only for annotation-only files).
    public var recordDurationSeconds: Double
    /// The data signals, in file order.
    public var signals: [EDFSignalSpec]
    /// The number of annotation signals (0 in plain EDF/BDF).
    public var annotationSignalCount: Int
    /// Size of one data record in bytes, all signals included.
    public var recordBytes: Int

    /// The recorded time covered by the data records: record count × record duration, in
    /// seconds (EDF+D files can span more wall time, between their records' onsets).
    public var durationSeconds: Double { Double(recordCount) * recordDurationSeconds }

    /// The sample rate of data signal `index`: samples per record ÷ record duration.
    public func sampleRate(of index: Int) -> Hertz {
        Hertz(Double(signals[index].samplesPerRecord) / recordDurationSeconds)
    }
}
