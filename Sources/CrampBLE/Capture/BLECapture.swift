// SPDX-License-Identifier: MIT
import BLEWire

/// The raw BLE capture format: a provenance header, then one line per received value with its
/// time, exactly as the device sent it (gpsd's lesson: record raw bytes, so the decoders stay
/// under test). Specified in docs/BLE.md, "Raw captures".
///
/// ```
/// # crampd BLE capture 2
/// # Date: 2026-11-21
/// # Device: F0:00:00:00:00:01 Polar H10
/// # Firmware: 3.1.1
/// # Scenario: easy run, strap only
/// # Characteristic: F0:00:00:00:00:01 0x0010 2A37
/// # Value: F0:00:00:00:00:01 0x0014 5f
/// 1000000000 F0:00:00:00:00:01 link up
/// 1500000000 F0:00:00:00:00:01 0x0010 168cb501c001
/// 9000000000 F0:00:00:00:00:01 link down closed-by-peer
/// ```
///
/// `Characteristic` lines say which decoder each handle's values need, `Value` lines hold values
/// read at connection time (EMG sample rate, channel map, scale; battery; body sensor location),
/// `Cadence-Counting` lines a footpod's one-foot/two-foot setting. Record lines hold
/// `<t_ns> <device-address> <handle> <hex payload>`: nanoseconds from the capture's start
/// (never decreasing), the address in upper case, the handle as `0x` and four hex digits, the
/// value in lower-case hex (`-` for an empty value).
///
/// Version 2 adds what a live session with reconnections needs: link lines
/// (`<t_ns> <device-address> link up` and `… link down [reason]`), and `# Key: value` lines
/// between records, which describe a device that (re)connects later in the session (its
/// `Characteristic`, `Value`, `Firmware` lines, written just before its `link up`). Version 1
/// files are read as before.
public enum BLECapture {
    /// The version this code writes.
    public static let currentVersion = 2
    /// The versions this code reads.
    public static let readableVersions = 1 ... 2
    /// The first line of every capture this code writes.
    public static let magic = magic(version: currentVersion)
    /// Provenance fields every capture carries.
    public static let requiredFields = ["Date", "Device", "Firmware", "Scenario"]
    /// The key of the line a live session writes last (`# Session-End: <t_ns>`): the session
    /// clock when it ended, where its open gaps close.
    public static let sessionEndKey = "Session-End"
    /// A header line naming a device's EMG channels, as configured
    /// (`# EMG-Channels: <address> gastroc L, soleus R`), so that a replay labels them as the
    /// live session did.
    public static let emgChannelsKey = "EMG-Channels"
    /// A header line with the site and side configured for a device's unspecified EMG
    /// channels (`# EMG-Default: <address> gastroc L`, `-` for either unknown).
    public static let emgDefaultKey = "EMG-Default"

    /// The first line of a capture of `version`.
    public static func magic(version: Int) -> String { "# crampd BLE capture \(version)" }
}

/// The header of a capture.
public struct BLECaptureHeader: Hashable, Sendable {
    /// A handle's characteristic on one device.
    public struct Characteristic: Hashable, Sendable {
        public var device: String
        public var handle: UInt16
        public var uuid: BluetoothUUID
        public init(device: String, handle: UInt16, uuid: BluetoothUUID) {
            self.device = device
            self.handle = handle
            self.uuid = uuid
        }
    }

    /// A value read from a device at connection time.
    public struct ReadValue: Hashable, Sendable {
        public var device: String
        public var handle: UInt16
        public var value: [UInt8]
        public init(device: String, handle: UInt16, value: [UInt8]) {
            self.device = device
            self.handle = handle
            self.value = value
        }
    }

    /// Provenance and other `# Key: value` fields, in file order (keys may repeat: one
    /// `Device` line per device).
    public var fields: [(key: String, value: String)]
    /// The format version of the file (``BLECapture/currentVersion`` for a new capture).
    public var version: Int
    public var characteristics: [Characteristic]
    public var readValues: [ReadValue]
    public var cadenceCounting: [String: RSCCadenceCounting]

    public init(fields: [(key: String, value: String)], characteristics: [Characteristic] = [],
                readValues: [ReadValue] = [], cadenceCounting: [String: RSCCadenceCounting] = [:],
                version: Int = BLECapture.currentVersion) {
        self.fields = fields
        self.version = version
        self.characteristics = characteristics
        self.readValues = readValues
        self.cadenceCounting = cadenceCounting
    }

    /// The values of a field, in file order.
    public func values(of key: String) -> [String] { fields.filter { $0.key == key }.map(\.value) }

    /// The devices that appear in `Characteristic` lines, in first-appearance order.
    public var devices: [String] {
        var seen: [String] = []
        for c in characteristics where !seen.contains(c.device) { seen.append(c.device) }
        return seen
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.fields.map { "\($0.key)\u{0}\($0.value)" } == b.fields.map { "\($0.key)\u{0}\($0.value)" }
            && a.characteristics == b.characteristics && a.readValues == b.readValues
            && a.cadenceCounting == b.cadenceCounting && a.version == b.version
    }

    public func hash(into hasher: inout Hasher) {
        for f in fields {
            hasher.combine(f.key)
            hasher.combine(f.value)
        }
        hasher.combine(characteristics)
        hasher.combine(readValues)
    }

    /// The header's text, each line ending in `\n`.
    public var text: String {
        var out = BLECapture.magic(version: version) + "\n"
        for f in fields { out += "# \(f.key): \(f.value)\n" }
        for c in characteristics { out += "# Characteristic: \(c.device) \(handleText(c.handle)) \(c.uuid)\n" }
        for v in readValues { out += "# Value: \(v.device) \(handleText(v.handle)) \(payloadText(v.value))\n" }
        for (device, counting) in cadenceCounting.sorted(by: { $0.key < $1.key }) {
            out += "# Cadence-Counting: \(device) \(counting.rawValue)\n"
        }
        return out
    }
}

/// One received value.
public struct BLECaptureRecord: Hashable, Sendable {
    /// Nanoseconds from the start of the capture.
    public var timeNanoseconds: Int64
    /// The device address, `XX:XX:XX:XX:XX:XX` in upper case.
    public var device: String
    public var handle: UInt16
    public var value: [UInt8]

    public init(timeNanoseconds: Int64, device: String, handle: UInt16, value: [UInt8]) {
        self.timeNanoseconds = timeNanoseconds
        self.device = device
        self.handle = handle
        self.value = value
    }

    /// The record's line, without its line ending.
    public var text: String {
        "\(timeNanoseconds) \(device) \(handleText(handle)) \(payloadText(value))"
    }
}

/// A link coming up or going down (format version 2): the session's gaps are explicit in the
/// capture too.
public struct BLECaptureLinkEvent: Hashable, Sendable {
    public var timeNanoseconds: Int64
    public var device: String
    public var isUp: Bool
    /// Why the link went down, one word (`closed-by-peer`, `transaction-timeout`, …), if known.
    public var reason: String?

    public init(timeNanoseconds: Int64, device: String, isUp: Bool, reason: String? = nil) {
        self.timeNanoseconds = timeNanoseconds
        self.device = device
        self.isUp = isUp
        self.reason = isUp ? nil : reason
    }

    /// The event's line, without its line ending.
    public var text: String {
        "\(timeNanoseconds) \(device) link " + (isUp ? "up" : "down" + (reason.map { " \($0)" } ?? ""))
    }
}

/// A `# Key: value` line between records (format version 2): it describes a device that
/// (re)connects, and applies to the records after it.
public enum BLECaptureMetadata: Hashable, Sendable {
    case characteristic(BLECaptureHeader.Characteristic)
    case readValue(BLECaptureHeader.ReadValue)
    case cadenceCounting(device: String, counting: RSCCadenceCounting)
    /// Any other key (`Device`, `Firmware`, …), kept as written.
    case field(key: String, value: String)

    /// The line, without its line ending.
    public var text: String {
        switch self {
        case let .characteristic(c): "# Characteristic: \(c.device) \(handleText(c.handle)) \(c.uuid)"
        case let .readValue(v): "# Value: \(v.device) \(handleText(v.handle)) \(payloadText(v.value))"
        case let .cadenceCounting(device, counting): "# Cadence-Counting: \(device) \(counting.rawValue)"
        case let .field(key, value): "# \(key): \(value)"
        }
    }
}

/// One line after the header: a value, a link event or a metadata line.
public enum BLECaptureEntry: Hashable, Sendable {
    case value(BLECaptureRecord)
    case link(BLECaptureLinkEvent)
    case metadata(BLECaptureMetadata)

    /// The line, without its line ending.
    public var text: String {
        switch self {
        case let .value(r): r.text
        case let .link(l): l.text
        case let .metadata(m): m.text
        }
    }
}

/// A capture that cannot be read: the file, the line (from 1) and what is wrong.
public struct BLECaptureError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    /// The line, or 0 for the file as a whole.
    public var line: Int
    public var message: String

    public init(path: String, line: Int, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(path): line \(line): \(message)" : "\(path): \(message)" }
}

func handleText(_ handle: UInt16) -> String {
    let s = String(handle, radix: 16)
    return "0x" + String(repeating: "0", count: 4 - s.count) + s
}

func payloadText(_ value: [UInt8]) -> String { value.isEmpty ? "-" : hexString(value) }

/// Parses capture text line by line: the header first, then records.
public struct BLECaptureParser: Sendable {
    public let path: String
    public private(set) var header = BLECaptureHeader(fields: [], version: 0)
    public private(set) var lineNumber = 0
    private var inRecords = false
    private var lastTime: Int64 = 0

    public init(path: String) { self.path = path }

    /// Feeds one line (without its line ending).
    ///
    /// - Returns: the value on this line, or `nil` for a header, empty, link or metadata line
    ///   (``parseEntry(line:)`` returns those too).
    /// - Throws: ``BLECaptureError`` naming the line.
    public mutating func parse(line raw: Substring) throws(BLECaptureError) -> BLECaptureRecord? {
        if case let .value(record) = try parseEntry(line: raw) { return record }
        return nil
    }

    /// Feeds one line (without its line ending).
    ///
    /// - Returns: the entry on this line, or `nil` for a header or empty line.
    /// - Throws: ``BLECaptureError`` naming the line.
    public mutating func parseEntry(line raw: Substring) throws(BLECaptureError) -> BLECaptureEntry? {
        lineNumber += 1
        let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
        if lineNumber == 1 {
            guard let version = BLECapture.readableVersions.first(where: { line == BLECapture.magic(version: $0) }) else {
                throw fail("not a crampd BLE capture: expected \"\(BLECapture.magic)\" (or version 1)")
            }
            header.version = version
            return nil
        }
        if line.allSatisfy({ $0 == " " || $0 == "\t" }) { return nil }
        if line.hasPrefix("#") {
            if !inRecords {
                try parseHeader(line.dropFirst().drop { $0 == " " })
                return nil
            }
            guard header.version >= 2 else { throw fail("header line after the first record") }
            return .metadata(try metadata(line.dropFirst().drop { $0 == " " }))
        }
        if !inRecords {
            let missing = BLECapture.requiredFields.filter { header.values(of: $0).isEmpty }
            guard missing.isEmpty else {
                throw fail("the header lacks # \(missing.joined(separator: ":, # ")): (provenance is required; write \"unknown\" when it is)")
            }
            inRecords = true
        }
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        if header.version >= 2, parts.count >= 3, parts[2] == "link" {
            guard parts.count == 4 || (parts.count == 5 && parts[3] == "down") else {
                throw fail("expected \"<t_ns> <device-address> link up\" or \"<t_ns> <device-address> link down [reason]\"")
            }
            guard parts[3] == "up" || parts[3] == "down" else {
                throw fail("link state \"\(parts[3])\" is neither up nor down")
            }
            let t = try time(parts[0])
            return .link(BLECaptureLinkEvent(timeNanoseconds: t, device: try address(parts[1]), isUp: parts[3] == "up",
                                             reason: parts.count == 5 ? String(parts[4]) : nil))
        }
        guard parts.count == 4 else {
            throw fail("expected \"<t_ns> <device-address> <handle> <hex payload>\", found \(parts.count) fields")
        }
        let t = try time(parts[0])
        let device = try address(parts[1])
        let handle = try handle(parts[2])
        let value = try payload(parts[3])
        return .value(BLECaptureRecord(timeNanoseconds: t, device: device, handle: handle, value: value))
    }

    private mutating func time(_ text: Substring) throws(BLECaptureError) -> Int64 {
        guard let t = Int64(text), t >= 0 else { throw fail("time \"\(text)\" is not a non-negative integer of nanoseconds") }
        guard t >= lastTime else { throw fail("time \(t) ns goes back from \(lastTime) ns") }
        lastTime = t
        return t
    }

    private mutating func parseHeader(_ text: Substring) throws(BLECaptureError) {
        switch try metadata(text) {
        case let .characteristic(c): header.characteristics.append(c)
        case let .readValue(v): header.readValues.append(v)
        case let .cadenceCounting(device, counting): header.cadenceCounting[device] = counting
        case let .field(key, value): header.fields.append((key: key, value: value))
        }
    }

    private func metadata(_ text: Substring) throws(BLECaptureError) -> BLECaptureMetadata {
        guard let colon = text.firstIndex(of: ":") else { return .field(key: "", value: String(text)) }
        let key = String(text[..<colon])
        let value = text[text.index(after: colon)...].drop { $0 == " " }
        let words = value.split(separator: " ", omittingEmptySubsequences: true)
        switch key {
        case "Characteristic":
            guard words.count == 3, let uuid = BluetoothUUID(string: String(words[2])) else {
                throw fail("expected \"# Characteristic: <device-address> <handle> <uuid>\"")
            }
            return .characteristic(.init(device: try address(words[0]), handle: try handle(words[1]), uuid: uuid))
        case "Value":
            guard words.count == 3 else { throw fail("expected \"# Value: <device-address> <handle> <hex payload>\"") }
            return .readValue(.init(device: try address(words[0]), handle: try handle(words[1]), value: try payload(words[2])))
        case "Cadence-Counting":
            guard words.count == 2, let counting = RSCCadenceCounting(rawValue: String(words[1])) else {
                throw fail("expected \"# Cadence-Counting: <device-address> one-foot|two-foot\"")
            }
            return .cadenceCounting(device: try address(words[0]), counting: counting)
        default:
            return .field(key: key, value: String(value))
        }
    }
    private func address(_ text: Substring) throws(BLECaptureError) -> String {
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        guard groups.count == 6, groups.allSatisfy({ $0.count == 2 && UInt8($0, radix: 16) != nil }) else {
            throw fail("device address \"\(text)\" is not XX:XX:XX:XX:XX:XX")
        }
        return text.uppercased()
    }

    private func handle(_ text: Substring) throws(BLECaptureError) -> UInt16 {
        guard text.hasPrefix("0x"), text.count == 6, let value = UInt16(text.dropFirst(2), radix: 16) else {
            throw fail("handle \"\(text)\" is not 0x and four hex digits")
        }
        return value
    }

    private func payload(_ text: Substring) throws(BLECaptureError) -> [UInt8] {
        if text == "-" { return [] }
        guard let value = bytes(fromHex: text) else { throw fail("payload \"\(text.prefix(40))\" is not hex octets") }
        return value
    }

    private func fail(_ message: String) -> BLECaptureError {
        BLECaptureError(path: path, line: lineNumber, message: message)
    }
}
