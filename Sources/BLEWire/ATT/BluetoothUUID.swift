// SPDX-License-Identifier: MIT

/// A Bluetooth UUID: a 16-bit SIG-assigned number or a full 128-bit UUID.
///
/// Core Specification 5.4, Vol 3, Part B, 2.5.1: a 16-bit UUID stands for the 128-bit value
/// `0000xxxx-0000-1000-8000-00805F9B34FB` (the Bluetooth Base UUID). The value is stored as 128
/// bits, so `BluetoothUUID(0x180D)` equals the same UUID read in 128-bit form; it is encoded in
/// 16 bits whenever it lies on the Base UUID (Vol 3, Part F, 3.2.1: "All 16-bit UUIDs shall be
/// compared with 128-bit UUIDs by converting them").
public struct BluetoothUUID: Hashable, Sendable, CustomStringConvertible {
    /// The most significant 64 bits.
    public var high: UInt64
    /// The least significant 64 bits.
    public var low: UInt64

    static let baseHigh: UInt64 = 0x0000_0000_0000_1000
    static let baseLow: UInt64 = 0x8000_0080_5F9B_34FB

    /// A SIG-assigned 16-bit UUID.
    public init(_ uuid16: UInt16) {
        high = Self.baseHigh | UInt64(uuid16) << 32
        low = Self.baseLow
    }

    /// A 128-bit UUID from its two halves (most significant first, as written).
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The 16-bit form, if this UUID lies on the Bluetooth Base UUID.
    public var uuid16: UInt16? {
        guard low == Self.baseLow, high & 0xFFFF_0000_FFFF_FFFF == Self.baseHigh else { return nil }
        return UInt16(truncatingIfNeeded: high >> 32)
    }

    /// How many bytes ``encode(into:)`` writes: 2 or 16.
    public var encodedLength: Int { uuid16 == nil ? 16 : 2 }

    /// Decodes a UUID in ATT's little-endian form: exactly 2 or 16 bytes.
    ///
    /// - Throws: ``ATTDecodeError`` with reason `invalidLength` for any other length.
    public init(littleEndian bytes: ArraySlice<UInt8>) throws(ATTDecodeError) {
        switch bytes.count {
        case 2:
            let i = bytes.startIndex
            self.init(UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)
        case 16:
            var low: UInt64 = 0
            var high: UInt64 = 0
            for (k, byte) in bytes.enumerated() {
                if k < 8 { low |= UInt64(byte) << (8 * UInt64(k)) } else { high |= UInt64(byte) << (8 * UInt64(k - 8)) }
            }
            self.init(high: high, low: low)
        default:
            throw ATTDecodeError(type: "BluetoothUUID", reason: .invalidLength, offset: 0, expectedLength: 16,
                                 actualLength: bytes.count)
        }
    }

    /// Appends the little-endian form: 2 bytes on the Base UUID, else 16.
    public func encode(into buffer: inout [UInt8]) {
        if let short = uuid16 {
            buffer.appendLE(short)
        } else {
            encode128(into: &buffer)
        }
    }

    /// Appends the 16-byte little-endian form, whatever the value.
    public func encode128(into buffer: inout [UInt8]) {
        for k in 0 ..< 8 { buffer.append(UInt8(truncatingIfNeeded: low >> (8 * UInt64(k)))) }
        for k in 0 ..< 8 { buffer.append(UInt8(truncatingIfNeeded: high >> (8 * UInt64(k)))) }
    }

    /// Parses `180D`, `0x180d` or `6e400001-b5a3-f393-e0a9-e50e24dcca9e` (any letter case).
    public init?(string: String) {
        var text = string.lowercased()
        if text.hasPrefix("0x") { text.removeFirst(2) }
        if text.count == 4, let short = UInt16(text, radix: 16) {
            self.init(short)
            return
        }
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return nil }
        let hex = groups.joined()
        guard let high = UInt64(hex.prefix(16), radix: 16), let low = UInt64(hex.suffix(16), radix: 16) else {
            return nil
        }
        self.init(high: high, low: low)
    }

    /// `180D` for a SIG-assigned UUID, else the 36-character form in lower case.
    public var description: String {
        if let short = uuid16 { return hexDigits(UInt64(short), count: 4).uppercased() }
        return uuidString
    }

    /// The full 36-character form in lower case.
    public var uuidString: String {
        let h = hexDigits(high, count: 16)
        let l = hexDigits(low, count: 16)
        return "\(h.prefix(8))-\(h.dropFirst(8).prefix(4))-\(h.suffix(4))-\(l.prefix(4))-\(l.suffix(12))"
    }
}

func hexDigits(_ value: UInt64, count: Int) -> String {
    let s = String(value, radix: 16)
    return String(repeating: "0", count: max(0, count - s.count)) + s
}
