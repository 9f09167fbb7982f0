// SPDX-License-Identifier: MIT

/// Advertising data (Core Specification 5.4, Vol 3, Part C, 11: "The data consists of a
/// significant part and a non-significant part. The significant part contains a sequence of
/// AD structures. Each AD structure shall have a Length field of one octet, which contains the
/// Length value, and a Data field of Length octets." The first octet of the Data field is the AD
/// type). A Length of 0 ends the significant part.
///
/// Decodes what `crampd scan` shows: flags, local name, service UUIDs (16- and 128-bit),
/// TX power, manufacturer data. Unknown AD types are kept raw.
public struct BLEAdvertisingData: Hashable, Sendable {
    public struct Structure: Hashable, Sendable {
        public var type: UInt8
        public var data: [UInt8]

        public init(type: UInt8, data: [UInt8]) {
            self.type = type
            self.data = data
        }
    }

    public var structures: [Structure]

    public init(structures: [Structure]) { self.structures = structures }

    /// - Throws: ``ATTDecodeError`` when an AD structure's length runs past the end or its
    ///   fixed-size payload (UUID lists, TX power, flags) has the wrong length.
    public init(decoding bytes: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = ByteReader(bytes, type: "BLEAdvertisingData")
        structures = []
        while !r.isAtEnd {
            let length = Int(try r.uint8())
            if length == 0 { break }  // the non-significant part (zero padding) follows
            let type = try r.uint8()
            let at = r
            let data = Array(try r.bytes(length - 1))
            let unit: Int? = switch type {
            case 0x02, 0x03: 2
            case 0x06, 0x07: 16
            case 0x01, 0x0A: 1
            default: nil
            }
            if let unit, data.count % unit != 0 || (unit == 1 && data.count != 1) {
                throw at.error(.invalidValue("AD type 0x\(hex2(type)) has \(data.count) octets"), needing: data.count)
            }
            structures.append(Structure(type: type, data: data))
        }
    }

    /// The Complete Local Name (0x09), else the Shortened Local Name (0x08), as UTF-8 (invalid
    /// sequences replaced).
    public var localName: String? {
        let s = structures.first { $0.type == 0x09 } ?? structures.first { $0.type == 0x08 }
        return s.map { String(decoding: $0.data, as: UTF8.self) }
    }

    /// Every advertised service UUID, 16-bit lists (0x02, 0x03) then 128-bit (0x06, 0x07).
    public var serviceUUIDs: [BluetoothUUID] {
        var out: [BluetoothUUID] = []
        for s in structures {
            let width = (s.type == 0x02 || s.type == 0x03) ? 2 : (s.type == 0x06 || s.type == 0x07) ? 16 : 0
            guard width > 0 else { continue }
            var k = 0
            while k + width <= s.data.count {
                if let uuid = try? BluetoothUUID(littleEndian: s.data[k ..< k + width]) { out.append(uuid) }
                k += width
            }
        }
        return out
    }

    /// Flags (0x01), if present.
    public var flags: UInt8? { structures.first { $0.type == 0x01 }?.data.first }

    /// TX Power Level (0x0A) in dBm, if present.
    public var txPower: Int8? { structures.first { $0.type == 0x0A }?.data.first.map { Int8(bitPattern: $0) } }

    /// Manufacturer Specific Data (0xFF): company identifier and the rest.
    public var manufacturerData: (company: UInt16, data: [UInt8])? {
        guard let s = structures.first(where: { $0.type == 0xFF }), s.data.count >= 2 else { return nil }
        return (UInt16(s.data[0]) | UInt16(s.data[1]) << 8, Array(s.data.dropFirst(2)))
    }

    public var encoded: [UInt8] {
        var out: [UInt8] = []
        for s in structures {
            out.append(UInt8(truncatingIfNeeded: s.data.count + 1))
            out.append(s.type)
            out += s.data
        }
        return out
    }
}

/// One report of an HCI LE Advertising Report event (Core 5.4, Vol 4, Part E, 7.7.65.2):
/// Event_Type, Address_Type, Address, Data_Length, Data, RSSI.
public struct HCILEAdvertisingReport: Hashable, Sendable {
    /// ADV_IND 0x00, ADV_DIRECT_IND 0x01, ADV_SCAN_IND 0x02, ADV_NONCONN_IND 0x03, SCAN_RSP 0x04.
    public var eventType: UInt8
    /// 0x00 public, 0x01 random (0x02/0x03 resolved identities).
    public var addressType: UInt8
    /// The address as printed: `AA:BB:CC:DD:EE:FF` (the wire order is little-endian).
    public var address: String
    public var data: [UInt8]
    /// dBm; 127 means "not available".
    public var rssi: Int8

    public init(eventType: UInt8, addressType: UInt8, address: String, data: [UInt8], rssi: Int8) {
        self.eventType = eventType
        self.addressType = addressType
        self.address = address
        self.data = data
        self.rssi = rssi
    }

    /// Decodes the parameters of an LE Meta event whose subevent is LE Advertising Report
    /// (0x02): Subevent_Code, Num_Reports, then the reports one after the other.
    ///
    /// - Throws: ``ATTDecodeError`` for another subevent, a report count of 0 or above 25, or a
    ///   truncated report.
    public static func decode(leMetaEvent bytes: ArraySlice<UInt8>) throws(ATTDecodeError) -> [HCILEAdvertisingReport] {
        var r = ByteReader(bytes, type: "HCILEAdvertisingReport")
        let subAt = r
        let subevent = try r.uint8()
        guard subevent == 0x02 else {
            throw subAt.error(.invalidValue("subevent 0x\(hex2(subevent)) is not LE Advertising Report (0x02)"), needing: 1)
        }
        let countAt = r
        let count = Int(try r.uint8())
        guard (1 ... 25).contains(count) else {
            throw countAt.error(.invalidValue("Num_Reports \(count) is outside 1–25"), needing: 1)
        }
        var reports: [HCILEAdvertisingReport] = []
        for _ in 0 ..< count {
            let eventType = try r.uint8()
            let addressType = try r.uint8()
            let raw = try r.bytes(6)
            let address = raw.reversed().map { b in
                let s = String(b, radix: 16, uppercase: true)
                return s.count < 2 ? "0" + s : s
            }.joined(separator: ":")
            let lengthAt = r
            let length = Int(try r.uint8())
            guard length <= 31 else {
                throw lengthAt.error(.invalidValue("Data_Length \(length) is above 31"), needing: 1)
            }
            let data = Array(try r.bytes(length))
            let rssi = try r.int8()
            reports.append(HCILEAdvertisingReport(eventType: eventType, addressType: addressType, address: address,
                                                  data: data, rssi: rssi))
        }
        try r.finish()
        return reports
    }
}
