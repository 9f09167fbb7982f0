// SPDX-License-Identifier: MIT
import SystemPackage

/// The header of one FIT file (FIT SDK, "FIT File Structure", "File Header").
///
/// ```
/// byte 0      header size: 12 (legacy) or 14
/// byte 1      protocol version (major in the high nibble: 0x10 = 1.0, 0x20 = 2.0)
/// bytes 2–3   profile version, little endian (2132 = 21.32)
/// bytes 4–7   data size: the bytes of records after the header, little endian
/// bytes 8–11  ".FIT"
/// bytes 12–13 CRC of bytes 0–11, little endian (14-byte header only; 0x0000 = not computed)
/// ```
///
/// The records follow the header; the 2-byte file CRC follows the records. Several FIT files may
/// be chained in one file, each with its own header and CRC.
public struct FITFileHeader: Hashable, Sendable {
    /// Where this header starts in the file (0, or later for a chained file).
    public var byteOffset: Int
    /// The header size, 12 or more.
    public var headerSize: Int
    /// The protocol version byte (`0x10` = 1.0, `0x20` = 2.0).
    public var protocolVersion: UInt8
    /// The profile version (`2132` = 21.32).
    public var profileVersion: UInt16
    /// Bytes of records between the header and the file CRC.
    public var dataSize: Int
    /// The header CRC as stored, `nil` in a 12-byte header (0 means "not computed").
    public var headerCRC: UInt16?

    /// The offset of the first record.
    public var dataStart: Int { byteOffset + headerSize }
    /// The offset just past the last record, where the file CRC is.
    public var dataEnd: Int { dataStart + dataSize }
    /// The offset just past the file CRC.
    public var end: Int { dataEnd + 2 }

    /// The highest protocol major version this decoder reads: FIT 2.x only adds developer
    /// fields (and 64-bit types) to 1.x, both of which it handles.
    static let supportedMajorVersion: UInt8 = 2

    /// Parses and checks the header at `offset` and the file CRC after its data.
    ///
    /// - Throws: ``FITError`` `.badHeader`, `.unsupportedProtocolVersion`,
    ///   `.headerCRCMismatch`, `.truncatedFile` or (when `verifyingChecksums`) `.fileCRCMismatch`.
    static func parse(_ bytes: UnsafeRawBufferPointer, at offset: Int, path: FilePath,
                      verifyingChecksums: Bool) throws(FITError) -> FITFileHeader {
        let available = bytes.count - offset
        func bad(_ at: Int, _ what: String, _ expected: String, _ found: String) -> FITError {
            FITError(.badHeader, path: path, byteOffset: at, what: what, expected: expected, found: found)
        }
        let chained = offset > 0 ? " (the bytes after a FIT file's CRC must start another FIT file)" : ""
        guard available >= 12 else {
            throw bad(offset, "the file ends inside a FIT file header\(chained)", "a header of at least 12 bytes", "\(available) bytes")
        }
        let size = Int(bytes[offset])
        let signature = Array(bytes[(offset + 8)..<(offset + 12)])
        guard signature == Array(".FIT".utf8) else {
            let shown = signature.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
                ? "\"\(String(decoding: signature, as: UTF8.self))\"" : signature.map { FITError.hex8($0) }.joined(separator: " ")
            throw bad(offset + 8, "not a FIT file: no \".FIT\" signature in the header\(chained)", "\".FIT\" at header bytes 8–11", shown)
        }
        guard size >= 12 else {
            throw bad(offset, "FIT header size is too small", "12 or 14", "\(size)")
        }
        guard available >= size else {
            throw bad(offset, "the file ends inside the FIT header", "a header of \(size) bytes", "\(available) bytes")
        }
        let version = bytes[offset + 1]
        guard version >> 4 <= supportedMajorVersion else {
            throw FITError(.unsupportedProtocolVersion, path: path, byteOffset: offset + 1,
                           what: "FIT protocol version \(version >> 4).\(version & 0xF) is not supported",
                           expected: "protocol 1.x or 2.x", found: FITError.hex8(version))
        }
        func le16(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
        let dataSize = Int(UInt32(le16(offset + 4)) | UInt32(le16(offset + 6)) << 16)
        var header = FITFileHeader(byteOffset: offset, headerSize: size, protocolVersion: version,
                                   profileVersion: le16(offset + 2), dataSize: dataSize, headerCRC: nil)
        if size >= 14 {
            let stored = le16(offset + 12)
            header.headerCRC = stored
            let computed = FITCRC.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + 12)]))
            if verifyingChecksums, stored != 0, stored != computed {
                throw FITError(.headerCRCMismatch, path: path, byteOffset: offset + 12,
                               what: "FIT header CRC does not match the header",
                               expected: "\(FITError.hex16(computed)) (computed over bytes \(offset)…\(offset + 11)) or 0x0000",
                               found: FITError.hex16(stored))
            }
        }
        guard bytes.count >= header.end else {
            throw FITError(.truncatedFile, path: path, byteOffset: bytes.count,
                           what: "the file ends before the data and CRC its header announces (truncated?)",
                           expected: "\(header.end - offset) bytes from byte \(offset) (header \(size) + data \(dataSize) + CRC 2)",
                           found: "\(available)")
        }
        if verifyingChecksums {
            let stored = le16(header.dataEnd)
            let computed = FITCRC.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset..<header.dataEnd]))
            guard stored == computed else {
                throw FITError(.fileCRCMismatch, path: path, byteOffset: header.dataEnd,
                               what: "file CRC does not match the data (the file is corrupt)",
                               expected: "\(FITError.hex16(computed)) (computed over bytes \(offset)…\(header.dataEnd - 1))",
                               found: FITError.hex16(stored))
            }
        }
        return header
    }
}
