// SPDX-License-Identifier: MIT

/// One report of an HCI LE Extended Advertising Report event (Core 5.4, Vol 4, Part E,
/// 7.7.65.13): what a controller sends while an *extended* scan runs (LE Set Extended Scan
/// Enable). Bluetooth 5 controllers whose host has once used an extended command refuse the
/// legacy scan commands ("Command Disallowed"), and the Linux kernel uses the extended ones
/// whenever the controller supports them, so a scanner on a 5.x controller reads these.
///
/// Each report: Event_Type (2), Address_Type, Address (6), Primary_PHY, Secondary_PHY,
/// Advertising_SID, TX_Power, RSSI, Periodic_Advertising_Interval (2), Direct_Address_Type,
/// Direct_Address (6), Data_Length, Data — 24 octets before the data.
public struct HCILEExtendedAdvertisingReport: Hashable, Sendable {
    /// Event_Type bits: 0 connectable, 1 scannable, 2 directed, 3 scan response, 4 legacy PDU,
    /// 5–6 data status (0 complete, 1 incomplete with more to come, 2 incomplete and truncated).
    public var eventType: UInt16
    /// 0x00 public, 0x01 random, 0x02/0x03 resolved identities, 0xFF anonymous.
    public var addressType: UInt8
    /// The address as printed: `AA:BB:CC:DD:EE:FF` (the wire order is little-endian).
    public var address: String
    public var advertisingSID: UInt8
    /// dBm; 127 means "not available".
    public var txPower: Int8
    /// dBm; 127 means "not available".
    public var rssi: Int8
    public var data: [UInt8]

    /// Whether the controller will deliver more data for this advertisement.
    public enum DataStatus: Hashable, Sendable {
        case complete, incompleteMoreToCome, incompleteTruncated
    }

    public init(eventType: UInt16, addressType: UInt8, address: String, advertisingSID: UInt8 = 0xFF,
                txPower: Int8 = 127, rssi: Int8, data: [UInt8]) {
        self.eventType = eventType
        self.addressType = addressType
        self.address = address
        self.advertisingSID = advertisingSID
        self.txPower = txPower
        self.rssi = rssi
        self.data = data
    }

    public var isConnectable: Bool { eventType & 0x01 != 0 }
    public var isScanResponse: Bool { eventType & 0x08 != 0 }
    public var isLegacy: Bool { eventType & 0x10 != 0 }
    public var dataStatus: DataStatus {
        switch (eventType >> 5) & 0x03 {
        case 0: .complete
        case 1: .incompleteMoreToCome
        default: .incompleteTruncated
        }
    }

    /// The subevent code of LE Extended Advertising Report.
    public static let subevent: UInt8 = 0x0D

    /// Decodes the parameters of an LE Meta event whose subevent is LE Extended Advertising
    /// Report (0x0D): Subevent_Code, Num_Reports, then the reports one after the other.
    ///
    /// - Throws: ``ATTDecodeError`` for another subevent, a report count of 0 or above 10, a
    ///   reserved data status (3), or a truncated report.
    public static func decode(leMetaEvent bytes: ArraySlice<UInt8>) throws(ATTDecodeError) -> [HCILEExtendedAdvertisingReport] {
        var r = ByteReader(bytes, type: "HCILEExtendedAdvertisingReport")
        let subAt = r
        let code = try r.uint8()
        guard code == subevent else {
            throw subAt.error(.invalidValue("subevent 0x\(hex2(code)) is not LE Extended Advertising Report (0x0d)"), needing: 1)
        }
        let countAt = r
        let count = Int(try r.uint8())
        // 7.7.65.13: "Num_Reports: 0x01 to 0x0A".
        guard (1 ... 10).contains(count) else {
            throw countAt.error(.invalidValue("Num_Reports \(count) is outside 1–10"), needing: 1)
        }
        var reports: [HCILEExtendedAdvertisingReport] = []
        for _ in 0 ..< count {
            let typeAt = r
            let eventType = try r.uint16()
            guard (eventType >> 5) & 0x03 != 3 else {
                throw typeAt.error(.invalidValue("Event_Type 0x\(String(eventType, radix: 16)) has the reserved data status 3"), needing: 2)
            }
            let addressType = try r.uint8()
            let address = formatAddress(try r.bytes(6))
            _ = try r.uint8()  // Primary_PHY
            _ = try r.uint8()  // Secondary_PHY
            let sid = try r.uint8()
            let txPower = try r.int8()
            let rssi = try r.int8()
            _ = try r.uint16()  // Periodic_Advertising_Interval
            _ = try r.uint8()  // Direct_Address_Type
            _ = try r.bytes(6)  // Direct_Address
            let length = Int(try r.uint8())
            let data = Array(try r.bytes(length))
            reports.append(HCILEExtendedAdvertisingReport(eventType: eventType, addressType: addressType, address: address,
                                                          advertisingSID: sid, txPower: txPower, rssi: rssi, data: data))
        }
        try r.finish()
        return reports
    }

    /// The event's parameters for these reports (after the packet type, event code and length):
    /// what a controller would send; for tests and simulated scanners.
    public static func encode(_ reports: [HCILEExtendedAdvertisingReport]) -> [UInt8] {
        var out: [UInt8] = [subevent, UInt8(truncatingIfNeeded: reports.count)]
        for report in reports {
            out += [UInt8(report.eventType & 0xFF), UInt8(report.eventType >> 8), report.addressType]
            out += addressBytes(report.address)
            out += [0x01, 0x00, report.advertisingSID, UInt8(bitPattern: report.txPower), UInt8(bitPattern: report.rssi),
                    0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, UInt8(truncatingIfNeeded: report.data.count)]
            out += report.data
        }
        return out
    }
}

/// `AA:BB:CC:DD:EE:FF` from six octets in wire (little-endian) order.
func formatAddress(_ raw: ArraySlice<UInt8>) -> String {
    raw.reversed().map { b in
        let s = String(b, radix: 16, uppercase: true)
        return s.count < 2 ? "0" + s : s
    }.joined(separator: ":")
}

/// Six octets in wire order from `AA:BB:CC:DD:EE:FF` (zeros for a malformed address).
func addressBytes(_ text: String) -> [UInt8] {
    let groups = text.split(separator: ":")
    guard groups.count == 6 else { return [UInt8](repeating: 0, count: 6) }
    return groups.reversed().map { UInt8($0, radix: 16) ?? 0 }
}
