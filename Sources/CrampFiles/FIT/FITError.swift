// SPDX-License-Identifier: MIT
import SystemPackage

/// Why a FIT file could not be decoded.
///
/// Like ``EDFError``, every error names the file, the byte offset of the problem, what was
/// expected there and what was found, so that the place can be inspected in a hex viewer.
/// ``description`` renders it on one line:
///
/// ```
/// crampd: run.fit: byte 5589: file CRC does not match the data; expected 0x3A7C (computed over bytes 0…5588), found 0x3A7D
/// ```
public struct FITError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The class of problem, for callers (and tests) that branch on it.
    public enum Kind: String, Hashable, Sendable {
        /// The file has no bytes at all.
        case emptyFile
        /// The file header is not a FIT header: too short, a header size below 12, no `.FIT`
        /// signature, or bytes after the last FIT file that do not start another one.
        case badHeader
        /// The header's protocol major version is one this decoder does not know (above 2).
        case unsupportedProtocolVersion
        /// The 14-byte header's CRC does not match its first 12 bytes.
        case headerCRCMismatch
        /// The file ends before the data size in the header and the 2-byte file CRC.
        case truncatedFile
        /// The CRC after the data does not match the header and data.
        case fileCRCMismatch
        /// A definition or data message runs past the end of the data section.
        case messageOverrun
        /// A data message uses a local message type that no definition message has defined.
        case undefinedLocalMessageType
        /// A field definition names a base type that FIT does not define.
        case unknownBaseType
        /// A definition message's architecture byte is neither 0 (little) nor 1 (big endian).
        case invalidArchitecture
        /// A compressed-timestamp header comes before any message with a full timestamp.
        case compressedTimestampWithoutReference
        /// The operating system refused to read the file.
        case io
    }

    /// The class of problem.
    public var kind: Kind
    /// The file.
    public var path: FilePath
    /// The byte offset in the file where the problem is, if it has one place.
    public var byteOffset: Int?
    /// What is wrong, in a few words.
    public var what: String
    /// What the format requires there.
    public var expected: String
    /// What the file has there.
    public var found: String

    /// Creates an error; ``description`` renders it.
    public init(_ kind: Kind, path: FilePath, byteOffset: Int?, what: String, expected: String, found: String) {
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

extension FITError {
    /// `0x3A7C`: how CRCs and other 16-bit values appear in messages.
    static func hex16(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// `0x7A`: how single bytes appear in messages.
    static func hex8(_ value: UInt8) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + (digits.count < 2 ? "0" : "") + digits
    }
}
