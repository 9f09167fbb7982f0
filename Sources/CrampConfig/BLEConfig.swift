// SPDX-License-Identifier: MIT
import BLEWire
import CrampBLE
import CrampCore
import TOMLKit

/// The live sensors of a session, from the `[ble]` table and the `[[device]]` tables of a TOML
/// file.
///
/// ```toml
/// [ble]
/// adapter = "hci0"                 # or its address; default: the first adapter that is up
/// connect_timeout_seconds = 20
/// reconnect_initial_seconds = 1    # then 2, 4, … up to the maximum
/// reconnect_max_seconds = 30
/// reconnect_jitter = 0.1           # each wait stretched by up to 10 %, per device
///
/// [[device]]
/// address = "F0:13:C3:5A:7E:21"
/// address_type = "random"          # "public" (default) or "random"
/// kind = "hr"                      # hr, rsc, emg, myo, or a list: ["hr", "rsc"]
/// name = "chest strap"             # a label for messages
///
/// [[device]]
/// address = "C8:4A:11:22:33:44"
/// kind = "rsc"
/// cadence = "one-foot"             # what the footpod counts: "two-foot" (default) or "one-foot"
///
/// [[device]]
/// address = "00:AA:01:00:00:00"
/// kind = "emg"
/// site = "gastroc"                 # fills what the sensor's channel map leaves unspecified
/// side = "L"
/// channels = ["gastroc L", "soleus L"]   # or name every channel, in the sensor's order
/// ```
/// Unknown keys are errors; every error names the file, the line and the key
/// (`device[2].kind`: the second `[[device]]` table).
public enum BLEConfig {
    /// The devices and session settings of `document`.
    ///
    /// - Throws: ``ConfigError`` for a missing or invalid key, an unknown key, or a device
    ///   listed twice. A file without `[[device]]` tables gives no devices (the caller decides
    ///   whether that is an error).
    public static func parse(_ document: TOMLDocument) throws(ConfigError) -> BLESessionConfiguration {
        var configuration = BLESessionConfiguration(devices: [])
        if let ble = try document.table(document.root, "ble", at: "") {
            try document.checkKeys(ble, at: "ble", allowed: ["adapter", "connect_timeout_seconds", "reconnect_initial_seconds",
                                                             "reconnect_max_seconds", "reconnect_jitter"])
            configuration.adapter = try document.string(ble, "adapter", at: "ble")
            if let s = try positive(document, ble, "connect_timeout_seconds") { configuration.connectTimeout = .seconds(s) }
            if let s = try positive(document, ble, "reconnect_initial_seconds") { configuration.reconnect.initial = .seconds(s) }
            if let s = try positive(document, ble, "reconnect_max_seconds") { configuration.reconnect.maximum = .seconds(s) }
            if let j = try document.number(ble, "reconnect_jitter", at: "ble") {
                guard (0 ... 1).contains(j) else { throw document.error("ble.reconnect_jitter", "expected a fraction from 0 to 1, found \(j)") }
                configuration.reconnect.jitter = j
            }
            if configuration.reconnect.maximum < configuration.reconnect.initial {
                throw document.error("ble.reconnect_max_seconds", "must not be below reconnect_initial_seconds")
            }
        }
        guard let value = document.root["device"] else { return configuration }
        guard let array = value.array else {
            throw document.error("device", "expected [[device]] tables, found \(value.type)")
        }
        for (k, element) in array.enumerated() {
            let key = "device[\(k + 1)]"
            guard let table = element.table else {
                throw ConfigError(path: document.path, line: document.line(ofArrayTable: "device", index: k), key: key,
                                  what: "expected a table, found \(element.type)")
            }
            let device = try parseDevice(document, table, index: k)
            if let first = configuration.devices.firstIndex(where: { $0.address == device.address }) {
                throw deviceError(document, k, "address", "\(device.address) is already device[\(first + 1)]")
            }
            configuration.devices.append(device)
        }
        return configuration
    }

    private static func parseDevice(_ doc: TOMLDocument, _ table: TOMLTable, index k: Int) throws(ConfigError) -> BLEDeviceConfiguration {
        let key = "device[\(k + 1)]"
        let allowed: Set<String> = ["address", "address_type", "kind", "name", "cadence", "site", "side", "channels"]
        for name in table.keys.sorted() where !allowed.contains(name) {
            throw deviceError(doc, k, name, "unknown key; expected one of: \(allowed.sorted().joined(separator: ", "))")
        }
        guard let address = try string(doc, table, k, "address") else { throw deviceError(doc, k, nil, "missing key 'address'") }
        guard L2CAPATTSocket.isAddress(address) else {
            throw deviceError(doc, k, "address", "expected an address like \"F0:13:C3:5A:7E:21\", found \"\(address)\"")
        }
        var addressType = BluetoothAddressType.public
        if let t = try string(doc, table, k, "address_type") {
            guard let parsed = BluetoothAddressType(rawValue: t) else {
                throw deviceError(doc, k, "address_type", "expected \"public\" or \"random\", found \"\(t)\"")
            }
            addressType = parsed
        }
        guard let kindValue = table["kind"] else {
            throw deviceError(doc, k, nil, "missing key 'kind' (one of \(kindList), or a list of them)")
        }
        var names: [String] = []
        if let s = kindValue.string {
            names = [s]
        } else if let a = kindValue.array {
            for e in a {
                guard let s = e.string else { throw deviceError(doc, k, "kind", "expected strings, found \(e.type)") }
                names.append(s)
            }
        } else {
            throw deviceError(doc, k, "kind", "expected a string or a list of strings, found \(kindValue.type)")
        }
        var kinds: [BLEDeviceKind] = []
        for n in names {
            guard let kind = BLEDeviceKind(rawValue: n) else {
                throw deviceError(doc, k, "kind", "expected one of \(kindList), found \"\(n)\"")
            }
            if !kinds.contains(kind) { kinds.append(kind) }
        }
        guard !kinds.isEmpty else { throw deviceError(doc, k, "kind", "expected at least one of \(kindList)") }
        var device = BLEDeviceConfiguration(address: address, addressType: addressType, kinds: kinds,
                                            label: try string(doc, table, k, "name"))
        if let c = try string(doc, table, k, "cadence") {
            guard kinds.contains(.rsc) else { throw deviceError(doc, k, "cadence", "applies to footpods (kind \"rsc\") only") }
            guard let counting = RSCCadenceCounting(rawValue: c) else {
                throw deviceError(doc, k, "cadence", "expected \"two-foot\" or \"one-foot\", found \"\(c)\"")
            }
            device.cadenceCounting = counting
        }
        let emg = kinds.contains(.emg) || kinds.contains(.myo)
        if let s = try string(doc, table, k, "site") {
            guard emg else { throw deviceError(doc, k, "site", "applies to EMG sensors (kind \"emg\" or \"myo\") only") }
            guard let site = MuscleSite(rawValue: s) else {
                throw deviceError(doc, k, "site", "expected one of \(MuscleSite.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(s)\"")
            }
            device.emgSite = site
        }
        if let s = try string(doc, table, k, "side") {
            guard emg else { throw deviceError(doc, k, "side", "applies to EMG sensors (kind \"emg\" or \"myo\") only") }
            guard let side = BodySide(rawValue: s.uppercased()) else {
                throw deviceError(doc, k, "side", "expected \"L\" or \"R\", found \"\(s)\"")
            }
            device.emgSide = side
        }
        if let list = try doc.strings(table, "channels", at: key) {
            guard emg else { throw deviceError(doc, k, "channels", "applies to EMG sensors (kind \"emg\" or \"myo\") only") }
            var channels: [ChannelDescriptor] = []
            for entry in list {
                guard let c = ChannelDescriptor(label: "EMG " + entry), c.kind == .emg else {
                    throw deviceError(doc, k, "channels", "expected \"<site> <side>\" like \"gastroc L\", found \"\(entry)\"")
                }
                channels.append(c)
            }
            guard !channels.isEmpty else { throw deviceError(doc, k, "channels", "expected at least one channel") }
            device.emgChannels = channels
        }
        return device
    }

    private static let kindList = BLEDeviceKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")

    private static func string(_ doc: TOMLDocument, _ table: TOMLTable, _ k: Int, _ name: String) throws(ConfigError) -> String? {
        guard let v = table[name] else { return nil }
        guard let s = v.string else { throw deviceError(doc, k, name, "expected a string, found \(v.type)") }
        return s
    }

    private static func positive(_ doc: TOMLDocument, _ table: TOMLTable, _ name: String) throws(ConfigError) -> Double? {
        guard let v = try doc.number(table, name, at: "ble") else { return nil }
        guard v > 0, v.isFinite else { throw doc.error("ble.\(name)", "expected seconds > 0, found \(v)") }
        return v
    }

    private static func deviceError(_ doc: TOMLDocument, _ k: Int, _ name: String?, _ what: String) -> ConfigError {
        ConfigError(path: doc.path, line: doc.line(ofArrayTable: "device", index: k, key: name),
                    key: "device[\(k + 1)]" + (name.map { ".\($0)" } ?? ""), what: what)
    }
}
