// SPDX-License-Identifier: MIT

/// One data message, as ``FITDecoder`` found it: its definition and a view of its bytes.
///
/// Values are read on demand (nothing is decoded that is not asked for) and come out raw, in
/// the base type's units; the profile's scale and offset are the caller's (see ``FITProfile``):
/// `record.speed` is `value(6)` / 1000 m/s. A value equal to its base type's invalid pattern
/// (`0xFF` for uint8, `0xFFFF` for uint16, `0x7FFF` for sint16, 0 for the `z` types, a NaN
/// float, …) is "no value": `nil`.
public struct FITMessage: Sendable {
    /// The layout shared by the data messages of this local type.
    public let definition: FITMessageDefinition
    /// Where the message's record header is in the file.
    public let byteOffset: Int
    /// The message time in seconds since the FIT epoch (1989-12-31T00:00:00Z): its
    /// `timestamp` field (253), or the time a compressed-timestamp header gives; `nil` if it has
    /// neither.
    public let timestamp: UInt32?
    /// True if the time came from a compressed-timestamp record header.
    public let hasCompressedTimestamp: Bool
    /// The whole file; the message's fields start at `contentOffset`.
    let bytes: [UInt8]
    let contentOffset: Int

    /// The global message number (profile: 20 = record, 21 = event, …).
    public var globalNumber: UInt16 { definition.globalNumber }

    /// True if the message has field `number` (valid or not).
    public func contains(_ number: UInt8) -> Bool { definition.slots[Int(number)] >= 0 }

    /// The raw numeric value of field `number`: `nil` if the message lacks the field, the
    /// value is invalid, or the field is not a single number (a string, an array, a size that
    /// is not its base type's).
    public func value(_ number: UInt8) -> Double? {
        let i = Int(definition.slots[Int(number)])
        guard i >= 0 else { return nil }
        return bytes.withUnsafeBytes { Self.scalar(definition.fields[i], in: $0, at: contentOffset, bigEndian: definition.isBigEndian) }
    }

    /// `value(number)` / `scale` − `offset`: the profile's conversion to physical units.
    public func value(_ number: UInt8, scale: Double, offset: Double = 0) -> Double? {
        value(number).map { $0 / scale - offset }
    }

    /// The raw value of an integer field as an unsigned integer (enums, counters, date_time),
    /// with the same "no value" rules as ``value(_:)``.
    public func integer(_ number: UInt8) -> UInt32? {
        guard let v = value(number), v >= 0, v <= Double(UInt32.max), v == v.rounded(.towardZero) else { return nil }
        return UInt32(v)
    }

    /// The text of a string field (UTF-8, up to its first NUL), or `nil` if absent or empty.
    public func string(_ number: UInt8) -> String? {
        guard let f = definition.field(number), f.baseType.isString else { return nil }
        let start = contentOffset + f.offset
        let slice = bytes[start..<(start + f.size)]
        let text = slice.prefix { $0 != 0 }
        return text.isEmpty ? nil : String(decoding: text, as: UTF8.self)
    }

    /// Reads one scalar field; `nil` for invalid values and non-scalar fields.
    @inline(__always)
    static func scalar(_ f: FITFieldDefinition, in raw: UnsafeRawBufferPointer, at content: Int, bigEndian: Bool) -> Double? {
        let type = f.baseType
        guard f.size == type.size, !type.isString else { return nil }
        let at = content + f.offset
        let bits: UInt64
        switch f.size {
        case 1: bits = UInt64(raw[at])
        case 2:
            let v = raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)
            bits = UInt64(bigEndian ? UInt16(bigEndian: v) : UInt16(littleEndian: v))
        case 4:
            let v = raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)
            bits = UInt64(bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v))
        default:
            let v = raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            bits = bigEndian ? UInt64(bigEndian: v) : UInt64(littleEndian: v)
        }
        guard bits != type.invalidPattern else { return nil }
        switch type.number {
        case 1: return Double(Int8(truncatingIfNeeded: bits))
        case 3: return Double(Int16(truncatingIfNeeded: bits))
        case 5: return Double(Int32(truncatingIfNeeded: bits))
        case 14: return Double(Int64(bitPattern: bits))
        case 8:
            let x = Float(bitPattern: UInt32(truncatingIfNeeded: bits))
            return x.isFinite ? Double(x) : nil
        case 9:
            let x = Double(bitPattern: bits)
            return x.isFinite ? x : nil
        default: return Double(bits)
        }
    }
}
