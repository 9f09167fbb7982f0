// SPDX-License-Identifier: MIT
import SystemPackage

/// Decodes the messages of a FIT file, one data message per ``next()``.
///
/// `init` checks the structure of the whole file before any message is decoded: each
/// (possibly chained) FIT file's header, header CRC, data size against the file size, and file
/// CRC. A corrupt file is therefore rejected up front, with the byte offset of the problem,
/// and never half-decoded. ``next()`` then walks the records (FIT SDK, "Record Header"):
///
/// - **normal header** `0b0TD0_LLLL`: T = 1 a definition message (``FITMessageDefinition``;
///   its developer field definitions, D = 1, are read so that their bytes can be skipped),
///   T = 0 a data message of local type L (0–15);
/// - **compressed timestamp header** `0b1LLT_TTTT`: a data message of local type L (0–3) whose
///   time is the last full timestamp with its low 5 bits replaced by T, plus 32 s if T is below
///   them (a rollover).
///
/// Definitions are kept per local type; data messages are returned as ``FITMessage`` views
/// that read fields on demand. Any message with a valid `timestamp` field (253) becomes the
/// reference for the compressed timestamps that follow. Memory: the file's bytes and 16
/// definitions; nothing per message is kept.
///
/// ```swift
/// var decoder = try FITDecoder(bytes: bytes, path: "run.fit")
/// while let m = try decoder.next() {
///     guard m.globalNumber == FITProfile.Message.record else { continue }
///     let bpm = m.value(FITProfile.Record.heartRate)
/// }
/// ```
public struct FITDecoder {
    /// The file (for errors).
    public let path: FilePath
    /// The headers of the FIT files in the file, in order (more than one if chained).
    public let headers: [FITFileHeader]
    /// Definition messages read so far.
    public private(set) var definitionCount = 0
    /// Data messages returned so far.
    public private(set) var messageCount = 0

    private let bytes: [UInt8]
    private var fileIndex = 0
    private var position: Int
    private var dataEnd: Int
    private var definitions = [FITMessageDefinition?](repeating: nil, count: 16)
    private var lastTimestamp: UInt32?

    /// Checks the file's structure and CRCs and prepares to decode its first message.
    ///
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - path: the file's name, for error messages.
    ///   - verifyingChecksums: `false` skips the header and file CRC checks (to salvage a file
    ///     known to be damaged); sizes are still checked.
    /// - Throws: ``FITError`` `.emptyFile`, `.badHeader`, `.unsupportedProtocolVersion`,
    ///   `.headerCRCMismatch`, `.truncatedFile`, `.fileCRCMismatch`.
    public init(bytes: [UInt8], path: FilePath, verifyingChecksums: Bool = true) throws(FITError) {
        self.path = path
        self.bytes = bytes
        guard !bytes.isEmpty else {
            throw FITError(.emptyFile, path: path, byteOffset: nil, what: "the file is empty",
                           expected: "a FIT file header of 12 or 14 bytes", found: "0 bytes")
        }
        let parsed = bytes.withUnsafeBytes { raw -> Result<[FITFileHeader], FITError> in
            var headers: [FITFileHeader] = []
            var offset = 0
            repeat {
                do throws(FITError) {
                    let h = try FITFileHeader.parse(raw, at: offset, path: path, verifyingChecksums: verifyingChecksums)
                    headers.append(h)
                    offset = h.end
                } catch {
                    return .failure(error)
                }
            } while offset < raw.count
            return .success(headers)
        }
        let headers = try parsed.get()
        self.headers = headers
        position = headers[0].dataStart
        dataEnd = headers[0].dataEnd
    }

    /// Reads the file at `path` whole and checks it like ``init(bytes:path:verifyingChecksums:)``.
    ///
    /// - Throws: ``FITError`` `.io` if the file cannot be read, or any of the structural errors.
    public init(path: FilePath, verifyingChecksums: Bool = true) throws(FITError) {
        try self.init(bytes: try Self.readFile(path), path: path, verifyingChecksums: verifyingChecksums)
    }

    /// The next data message, reading any definition messages before it; `nil` at the end.
    ///
    /// - Throws: ``FITError`` `.messageOverrun`, `.undefinedLocalMessageType`,
    ///   `.unknownBaseType`, `.invalidArchitecture`, `.compressedTimestampWithoutReference`.
    ///   After an error the decoder stays at the bad message.
    public mutating func next() throws(FITError) -> FITMessage? {
        while true {
            if position >= dataEnd {
                fileIndex += 1
                guard fileIndex < headers.count else {
                    position = bytes.count
                    dataEnd = bytes.count
                    return nil
                }
                // A chained file starts afresh: its own definitions and time reference.
                position = headers[fileIndex].dataStart
                dataEnd = headers[fileIndex].dataEnd
                for i in definitions.indices { definitions[i] = nil }
                lastTimestamp = nil
                continue
            }
            let header = bytes[position]
            if header & 0x80 != 0 {
                return try dataMessage(localType: (header >> 5) & 0x03, timeOffset: header & 0x1F)
            } else if header & 0x40 != 0 {
                try readDefinition(header)
            } else {
                return try dataMessage(localType: header & 0x0F, timeOffset: nil)
            }
        }
    }

    // MARK: - Definition messages

    private mutating func readDefinition(_ header: UInt8) throws(FITError) {
        let start = position
        let localType = header & 0x0F
        let hasDeveloperFields = header & 0x20 != 0
        try need(6, at: start, "a definition message header (record header, reserved, architecture, global number, field count)")
        let architecture = bytes[start + 2]
        guard architecture <= 1 else {
            throw FITError(.invalidArchitecture, path: path, byteOffset: start + 2,
                           what: "definition message for local type \(localType) has an unknown architecture",
                           expected: "0 (little endian) or 1 (big endian)", found: "\(architecture)")
        }
        let bigEndian = architecture == 1
        let global = bigEndian
            ? UInt16(bytes[start + 3]) << 8 | UInt16(bytes[start + 4])
            : UInt16(bytes[start + 3]) | UInt16(bytes[start + 4]) << 8
        let fieldCount = Int(bytes[start + 5])
        var at = start + 6
        try need(3 * fieldCount, at: at, "\(fieldCount) field definitions of 3 bytes")
        var fields: [FITFieldDefinition] = []
        fields.reserveCapacity(fieldCount)
        var offset = 0
        for k in 0..<fieldCount {
            let number = bytes[at], size = Int(bytes[at + 1]), typeByte = bytes[at + 2]
            guard let type = FITBaseType(rawValue: typeByte) else {
                throw FITError(.unknownBaseType, path: path, byteOffset: at + 2,
                               what: "field \(k) (number \(number)) of the definition of global message \(global) (local type \(localType)) has an unknown base type",
                               expected: "a base type number 0…16 in the low 5 bits (FIT SDK base types)", found: FITError.hex8(typeByte))
            }
            fields.append(FITFieldDefinition(number: number, size: size, baseType: type, offset: offset))
            offset += size
            at += 3
        }
        var developerCount = 0, developerBytes = 0
        if hasDeveloperFields {
            try need(1, at: at, "the developer field count")
            developerCount = Int(bytes[at])
            at += 1
            try need(3 * developerCount, at: at, "\(developerCount) developer field definitions of 3 bytes")
            // Developer fields (number, size, developer data index) are described by
            // field_description messages; crampd needs none of them, so only their sizes count.
            for _ in 0..<developerCount {
                developerBytes += Int(bytes[at + 1])
                at += 3
            }
        }
        definitions[Int(localType)] = FITMessageDefinition(
            localType: localType, globalNumber: global, isBigEndian: bigEndian, fields: fields,
            developerFieldCount: developerCount, developerBytes: developerBytes, byteOffset: start)
        definitionCount += 1
        position = at
    }

    // MARK: - Data messages

    private mutating func dataMessage(localType: UInt8, timeOffset: UInt8?) throws(FITError) -> FITMessage {
        let start = position
        guard let definition = definitions[Int(localType)] else {
            let kind = timeOffset == nil ? "data message" : "compressed-timestamp data message"
            throw FITError(.undefinedLocalMessageType, path: path, byteOffset: start,
                           what: "\(kind) of local message type \(localType), which no definition message has defined",
                           expected: "a definition message for local type \(localType) before its data",
                           found: "record header \(FITError.hex8(bytes[start]))")
        }
        try need(1 + definition.contentSize, at: start,
                 "a data message of \(1 + definition.contentSize) bytes (global message \(definition.globalNumber), local type \(localType))")
        let content = start + 1
        var timestamp: UInt32?
        if definition.timestampSlot >= 0 {
            let f = definition.fields[definition.timestampSlot]
            timestamp = bytes.withUnsafeBytes {
                FITMessage.scalar(f, in: $0, at: content, bigEndian: definition.isBigEndian).map { UInt32($0) }
            }
        }
        if let timeOffset, timestamp == nil {
            guard let last = lastTimestamp else {
                throw FITError(.compressedTimestampWithoutReference, path: path, byteOffset: start,
                               what: "compressed-timestamp header before any message with a full timestamp",
                               expected: "a message with a timestamp field (253) earlier in the file",
                               found: "record header \(FITError.hex8(bytes[start]))")
            }
            let offset = UInt32(timeOffset)
            var t = (last & ~0x1F) &+ offset
            if offset < last & 0x1F { t &+= 0x20 }
            timestamp = t
        }
        if let timestamp { lastTimestamp = timestamp }
        position = content + definition.contentSize
        messageCount += 1
        return FITMessage(definition: definition, byteOffset: start, timestamp: timestamp,
                          hasCompressedTimestamp: timeOffset != nil, bytes: bytes, contentOffset: content)
    }

    /// Throws `.messageOverrun` unless `count` bytes from `at` lie inside the data section.
    /// (`what` is an autoclosure: building its text for every message would cost more than
    /// decoding the message.)
    @inline(__always)
    private func need(_ count: Int, at: Int, _ what: @autoclosure () -> String) throws(FITError) {
        guard at + count <= dataEnd else {
            throw FITError(.messageOverrun, path: path, byteOffset: at,
                           what: "message runs past the end of the data section (byte \(dataEnd), where the file CRC is)",
                           expected: what(), found: "\(max(0, dataEnd - at)) bytes left")
        }
    }

    // MARK: - File

    /// Reads a whole file.
    static func readFile(_ path: FilePath) throws(FITError) -> [UInt8] {
        do {
            let fd = try FileDescriptor.open(path, .readOnly)
            return try fd.closeAfter {
                let size = Int(try fd.seek(offset: 0, from: .end))
                _ = try fd.seek(offset: 0, from: .start)
                var bytes = [UInt8](repeating: 0, count: size)
                var done = 0
                try bytes.withUnsafeMutableBytes { raw in
                    while done < size {
                        let n = try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[done...]))
                        if n == 0 { break }
                        done += n
                    }
                }
                if done < size { bytes.removeLast(size - done) }
                return bytes
            }
        } catch {
            throw FITError(.io, path: path, byteOffset: nil, what: "cannot read the file: \(error)", expected: "", found: "")
        }
    }
}
