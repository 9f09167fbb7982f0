// SPDX-License-Identifier: MIT

/// The CRC-16 of the FIT protocol (FIT SDK, "FIT File Structure", "CRC").
///
/// The SDK computes it a nibble at a time with a 16-entry table (`0x0000, 0xCC01, 0xD801, …`);
/// that is CRC-16/ARC (reflected polynomial 0xA001, initial value 0), computed here a byte at
/// a time with the equivalent 256-entry table: one lookup per byte instead of two.
/// A file's CRC covers the header and the data records; a 14-byte header's CRC covers its
/// first 12 bytes, and 0x0000 there means "not computed".
public struct FITCRC: Hashable, Sendable {
    /// The CRC of the bytes processed so far.
    public private(set) var value: UInt16 = 0

    public init() {}

    /// Folds `bytes` into the CRC.
    public mutating func process(_ bytes: UnsafeRawBufferPointer) {
        var crc = value
        Self.table.withUnsafeBufferPointer { table in
            for b in bytes {
                crc = (crc >> 8) ^ table[Int(UInt8(truncatingIfNeeded: crc) ^ b)]
            }
        }
        value = crc
    }

    /// The CRC of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var crc = FITCRC()
        crc.process(bytes)
        return crc.value
    }

    /// The CRC of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt16 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// CRC-16/ARC byte table, built from the reflected polynomial.
    static let table: [UInt16] = (0..<256).map { n in
        var c = UInt16(n)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0xA001 : c >> 1 }
        return c
    }
}
