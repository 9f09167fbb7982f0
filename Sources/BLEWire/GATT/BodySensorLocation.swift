// SPDX-License-Identifier: MIT

/// Body Sensor Location, characteristic 0x2A38 (GATT Specification Supplement 5, 3.26): one
/// octet, 0 Other, 1 Chest, 2 Wrist, 3 Finger, 4 Hand, 5 Ear Lobe, 6 Foot; 7–255 "Reserved for
/// Future Use" (kept as their value).
public struct BodySensorLocation: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let other = Self(rawValue: 0)
    public static let chest = Self(rawValue: 1)
    public static let wrist = Self(rawValue: 2)
    public static let finger = Self(rawValue: 3)
    public static let hand = Self(rawValue: 4)
    public static let earLobe = Self(rawValue: 5)
    public static let foot = Self(rawValue: 6)

    /// - Throws: ``ATTDecodeError`` unless the value is exactly one octet.
    public init(decoding value: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = ByteReader(value, type: "BodySensorLocation")
        rawValue = try r.uint8()
        try r.finish()
    }

    public var description: String {
        switch rawValue {
        case 0: "other"
        case 1: "chest"
        case 2: "wrist"
        case 3: "finger"
        case 4: "hand"
        case 5: "ear lobe"
        case 6: "foot"
        default: "reserved (\(rawValue))"
        }
    }
}
