// SPDX-License-Identifier: MIT

/// Battery Level, characteristic 0x2A19 (GATT Specification Supplement 5, 3.27; Battery Service
/// 1.0, 3.1): one octet, "The current charge level of a battery. 100% represents fully charged
/// while 0% represents fully discharged", allowed range 0–100.
public struct BatteryLevel: Hashable, Sendable {
    public var percent: UInt8

    /// - Precondition: `percent` ≤ 100.
    public init(percent: UInt8) { self.percent = percent }

    /// - Throws: ``ATTDecodeError`` unless the value is one octet in 0…100.
    public init(decoding value: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = ByteReader(value, type: "BatteryLevel")
        let at = r
        percent = try r.uint8()
        try r.finish()
        guard percent <= 100 else { throw at.error(.invalidValue("level \(percent) % is above 100 %"), needing: 1) }
    }

    public var encoded: [UInt8] { [percent] }
}
