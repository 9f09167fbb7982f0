// SPDX-License-Identifier: MIT
import SystemPackage

/// Why an EDF, EDF+ or BDF file could not be read or written.
///
/// Every error names the file, the byte offset where the problem is (when there is one), what
/// was expected and what was found, so that a user can open the file in a hex viewer and see it.
/// ``description`` renders all of it on one line:
///
/// ```
/// crampd: run.edf: byte 236: record count is -1 (the file was never closed); expected a record count ≥ 0, found "-1"
/// ```
public struct EDFError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The class of problem, for callers (and tests) that branch on it.
    public enum Kind: String, Hashable, Sendable {
        /// The version field is neither EDF's `0` nor BDF's `\xFFBIOSEMI`.
        case notEDF
        /// The file has no bytes at all.
        case emptyFile
        /// The file ends inside the header.
        case truncatedHeader
        /// The data section does not hold a whole number of data records.
        case truncatedData
        /// The record count is −1: the writer never finished the file.
        case unfinishedRecording
        /// The record count and the file size disagree.
        case recordCountMismatch
        /// The header-size field is not 256 × (number of signals + 1).
        case headerSizeMismatch
        /// A numeric header field does not hold a number.
        case invalidNumber
        /// A header field holds a value outside what the format allows (text that is not
        /// printable ASCII, a text that is too long, a date that does not exist).
        case invalidField
        /// The number of signals is zero or negative.
        case invalidSignalCount
        /// A signal has zero (or fewer) samples per data record.
        case invalidSamplesPerRecord
        /// A signal's digital minimum is not below its digital maximum, or outside the format.
        case invalidDigitalRange
        /// A signal's physical minimum equals its physical maximum (or is not finite).
        case invalidPhysicalRange
        /// The data-record duration is zero or negative while the file has data signals.
        case invalidRecordDuration
        /// An EDF+ annotation signal holds a malformed TAL.
        case malformedAnnotation
        /// EDF+ record onsets go backwards, or are not contiguous in an EDF+C file.
        case recordOnsetOutOfOrder
        /// The samples handed to the writer do not match the header (wrong count, NaN).
        case invalidRecord
        /// Annotations did not fit in the records written before `close()`.
        case annotationsNotWritten
        /// The writer or reader was used after `close()`.
        case closed
        /// The operating system refused an operation (open, read, write, seek).
        case io
    }

    /// The class of problem.
    public var kind: Kind
    /// The file.
    public var path: FilePath
    /// The byte offset in the file where the problem is, if it has one place.
    public var byteOffset: Int?
    /// What is wrong, in a few words (`record count is -1 (the file was never closed)`).
    public var what: String
    /// What the format requires there.
    public var expected: String
    /// What the file (or the caller) has there.
    public var found: String

    /// Creates an error; ``description`` renders it.
    public init(
        _ kind: Kind, path: FilePath, byteOffset: Int?, what: String, expected: String, found: String
    ) {
        self.kind = kind
        self.path = path
        self.byteOffset = byteOffset
        self.what = what
        self.expected = expected
        self.found = found
    }

    /// One line: `crampd: PATH: byte N: WHAT; expected E, found F`.
    public var description: String {
        FileProblem.line(path: path, places: byteOffset.map { ["byte \($0)"] } ?? [], what: what, expected: expected, found: found)
    }
}

extension EDFError {
    /// An operating-system error from `operation` on `path`.
    static func io(_ error: any Error, _ operation: String, path: FilePath, byteOffset: Int? = nil) -> EDFError {
        EDFError(.io, path: path, byteOffset: byteOffset, what: "cannot \(operation): \(error)",
                 expected: "", found: "")
    }
}
