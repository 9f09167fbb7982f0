// SPDX-License-Identifier: MIT
import CrampFiles

/// Builds small FIT files byte by byte for the tests: any header, definitions in either
/// architecture, developer fields, compressed timestamps, and defects the real files lack.
/// Test-only; crampd does not write FIT.
struct FITTestEncoder {
    /// One field of a definition: number, size in bytes, base type byte.
    struct Field {
        var number: UInt8
        var size: UInt8
        var baseType: UInt8

        static func uint8(_ n: UInt8) -> Field { Field(number: n, size: 1, baseType: 0x02) }
        static func enumeration(_ n: UInt8) -> Field { Field(number: n, size: 1, baseType: 0x00) }
        static func uint16(_ n: UInt8) -> Field { Field(number: n, size: 2, baseType: 0x84) }
        static func sint16(_ n: UInt8) -> Field { Field(number: n, size: 2, baseType: 0x83) }
        static func uint32(_ n: UInt8) -> Field { Field(number: n, size: 4, baseType: 0x86) }
        static func uint32z(_ n: UInt8) -> Field { Field(number: n, size: 4, baseType: 0x8C) }
        static func float32(_ n: UInt8) -> Field { Field(number: n, size: 4, baseType: 0x88) }
        static func timestamp() -> Field { uint32(253) }
    }

    struct Definition {
        var global: UInt16
        var bigEndian: Bool
        var fields: [Field]
        var developerSizes: [UInt8]
    }

    var records: [UInt8] = []
    var definitions: [UInt8: Definition] = [:]
    /// Byte offset (in the file) of the next record to be appended.
    var nextOffset: Int { headerSize + records.count }
    var headerSize = 14
    var protocolVersion: UInt8 = 0x20
    var profileVersion: UInt16 = 2132

    /// Appends a definition message for `local`.
    mutating func define(local: UInt8, global: UInt16, bigEndian: Bool = false, _ fields: [Field],
                         developer: [(number: UInt8, size: UInt8, index: UInt8)] = []) {
        records.append(0x40 | (developer.isEmpty ? 0 : 0x20) | local)
        records.append(0)
        records.append(bigEndian ? 1 : 0)
        records += bigEndian ? [UInt8(global >> 8), UInt8(global & 0xFF)] : [UInt8(global & 0xFF), UInt8(global >> 8)]
        records.append(UInt8(fields.count))
        for f in fields { records += [f.number, f.size, f.baseType] }
        if !developer.isEmpty {
            records.append(UInt8(developer.count))
            for d in developer { records += [d.number, d.size, d.index] }
        }
        definitions[local] = Definition(global: global, bigEndian: bigEndian, fields: fields, developerSizes: developer.map(\.size))
    }

    /// Appends a data message of `local` with one raw value per field (masked to the field size)
    /// and filler bytes for its developer fields.
    mutating func data(local: UInt8, _ values: [UInt64], developerFill: UInt8 = 0xAB) {
        records.append(local)
        append(local: local, values, developerFill: developerFill)
    }

    /// Appends a data message with a compressed-timestamp header (local types 0–3).
    mutating func compressed(local: UInt8, timeOffset: UInt8, _ values: [UInt64]) {
        records.append(0x80 | (local << 5) | (timeOffset & 0x1F))
        append(local: local, values, developerFill: 0)
    }

    private mutating func append(local: UInt8, _ values: [UInt64], developerFill: UInt8) {
        let d = definitions[local]!
        precondition(values.count == d.fields.count, "one value per field")
        for (f, v) in zip(d.fields, values) {
            var bytes = (0..<Int(f.size)).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0 % 8))) }
            if d.bigEndian { bytes.reverse() }
            records += bytes
        }
        for s in d.developerSizes { records += [UInt8](repeating: developerFill, count: Int(s)) }
    }

    /// Appends raw bytes (for defects).
    mutating func raw(_ bytes: [UInt8]) { records += bytes }

    /// The header, with a correct header CRC unless `headerCRC` is given.
    func header(dataSize: Int? = nil, headerCRC: UInt16? = nil) -> [UInt8] {
        let size = UInt32(dataSize ?? records.count)
        var h: [UInt8] = [UInt8(headerSize), protocolVersion, UInt8(profileVersion & 0xFF), UInt8(profileVersion >> 8)]
        h += (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * UInt32($0))) }
        h += Array(".FIT".utf8)
        if headerSize >= 14 {
            let crc = headerCRC ?? FITCRC.checksum(h)
            h += [UInt8(crc & 0xFF), UInt8(crc >> 8)]
            h += [UInt8](repeating: 0, count: headerSize - 14)
        }
        return h
    }

    /// The complete file: header, records, file CRC.
    func file() -> [UInt8] {
        let body = header() + records
        let crc = FITCRC.checksum(body)
        return body + [UInt8(crc & 0xFF), UInt8(crc >> 8)]
    }
}

extension [UInt8] {
    /// Recomputes the trailing file CRC of a single (unchained) FIT file after an edit.
    mutating func refreshFITCRC() {
        let crc = FITCRC.checksum(Array(self[0..<(count - 2)]))
        self[count - 2] = UInt8(crc & 0xFF)
        self[count - 1] = UInt8(crc >> 8)
    }
}

/// The FIT timestamps of the tests: 2024-05-01T07:30:00Z.
let fitTestStart: UInt32 = 1_714_548_600 - 631_065_600

/// A small running activity: file_id, a timer start, records every second with heart rate,
/// cadence (strides/min) + fractional cadence, speed, enhanced speed and distance, a timer
/// stop/start pause, a lap, a session (running), the activity.
func smallRunFIT(seconds: Int = 20, pauseAfter: Int? = nil, pauseSeconds: Int = 30, bigEndianRecords: Bool = false) -> [UInt8] {
    var e = FITTestEncoder()
    e.define(local: 0, global: 0, [.enumeration(0), .uint16(1), .uint16(2), .uint32(4)])
    e.data(local: 0, [4, 1, 2697, UInt64(fitTestStart)])
    e.define(local: 1, global: 21, [.timestamp(), .enumeration(0), .enumeration(1)])
    e.data(local: 1, [UInt64(fitTestStart), 0, 0])
    e.define(local: 2, global: 20, bigEndian: bigEndianRecords,
             [.timestamp(), .uint8(3), .uint8(4), .uint8(53), .uint16(6), .uint32(73), .uint32(5)])
    var t = fitTestStart
    var distance = 0.0
    for k in 0..<seconds {
        if let p = pauseAfter, k == p {
            e.data(local: 1, [UInt64(t), 0, 4])  // timer stop_all
            t += UInt32(pauseSeconds)
            e.data(local: 1, [UInt64(t), 0, 0])  // timer start
        }
        let speed = 3.0 + 0.01 * Double(k)
        e.data(local: 2, [UInt64(t), UInt64(120 + k), 85, 64, UInt64(speed * 1000), UInt64(speed * 1000), UInt64((distance * 100).rounded())])
        distance += speed
        t += 1
    }
    e.data(local: 1, [UInt64(t - 1), 0, 4])
    let elapsed = UInt64(t - 1 - fitTestStart) * 1000
    e.define(local: 3, global: 19, [.timestamp(), .uint32(2), .uint32(7)])
    e.data(local: 3, [UInt64(t - 1), UInt64(fitTestStart), elapsed])
    e.define(local: 4, global: 18, [.timestamp(), .uint32(2), .enumeration(5), .enumeration(6), .uint32(7)])
    e.data(local: 4, [UInt64(t - 1), UInt64(fitTestStart), 1, 0, elapsed])
    e.define(local: 5, global: 34, [.timestamp(), .uint32(5)])
    e.data(local: 5, [UInt64(t - 1), UInt64(t - 1 + 7200)])
    return e.file()
}
