// SPDX-License-Identifier: MIT

/// The value of a Client Characteristic Configuration descriptor, 0x2902 (Core Specification 5.4,
/// Vol 3, Part G, 3.3.3.3, Table 3.11): "0x0001 Notification: The Characteristic Value shall be
/// notified"; "0x0002 Indication: The Characteristic Value shall be indicated". Two octets.
public struct GATTClientCharacteristicConfiguration: OptionSet, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let notification = Self(rawValue: 0x0001)
    public static let indication = Self(rawValue: 0x0002)

    /// - Throws: ``ATTDecodeError`` unless the value is exactly 2 octets.
    public init(decoding value: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = ByteReader(value, type: "GATTClientCharacteristicConfiguration")
        rawValue = try r.uint16()
        try r.finish()
    }

    /// The 2-octet little-endian value.
    public var encoded: [UInt8] {
        var buffer: [UInt8] = []
        buffer.appendLE(rawValue)
        return buffer
    }
}
