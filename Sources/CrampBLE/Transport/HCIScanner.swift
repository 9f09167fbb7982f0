// SPDX-License-Identifier: MIT
import BLEWire

/// One advertising report seen while scanning (an advertisement or a scan response).
public struct BLEAdvertisement: Hashable, Sendable {
    public var address: String
    public var addressType: BluetoothAddressType
    /// dBm, `nil` when the controller does not know (127).
    public var rssi: Int?
    public var data: BLEAdvertisingData
    public var isConnectable: Bool
    public var isScanResponse: Bool

    public init(address: String, addressType: BluetoothAddressType, rssi: Int?, data: BLEAdvertisingData,
                isConnectable: Bool = true, isScanResponse: Bool = false) {
        self.address = address
        self.addressType = addressType
        self.rssi = rssi
        self.data = data
        self.isConnectable = isConnectable
        self.isScanResponse = isScanResponse
    }

    /// From a legacy LE Advertising Report: ADV_IND 0x00 and ADV_DIRECT_IND 0x01 are
    /// connectable, SCAN_RSP 0x04 is a scan response.
    init?(legacy r: HCILEAdvertisingReport) {
        guard let data = try? BLEAdvertisingData(decoding: r.data[...]) else { return nil }
        self.init(address: r.address, addressType: r.addressType & 0x01 == 0 ? .public : .random,
                  rssi: r.rssi == 127 ? nil : Int(r.rssi), data: data, isConnectable: r.eventType <= 0x01,
                  isScanResponse: r.eventType == 0x04)
    }
}

/// A device found by a scan: every report from one address merged.
public struct BLEScanResult: Hashable, Sendable {
    public var address: String
    public var addressType: BluetoothAddressType
    /// The Complete (else Shortened) Local Name from any report.
    public var name: String?
    /// The strongest RSSI seen, dBm; `nil` when the controller reports none.
    public var rssi: Int?
    /// Every advertised service UUID, in first-seen order.
    public var services: [BluetoothUUID]
    public var isConnectable: Bool
    /// Reports merged.
    public var reports: Int

    /// The `kind`s crampd would configure for this device, from its advertised services.
    public var suggestedKinds: [BLEDeviceKind] {
        var kinds: [BLEDeviceKind] = []
        if services.contains(.heartRateService) { kinds.append(.hr) }
        if services.contains(.runningSpeedAndCadenceService) { kinds.append(.rsc) }
        if services.contains(EMGProfile.service) { kinds.append(.emg) }
        if services.contains(MyoProfile.controlService) || services.contains(MyoProfile.emgDataService) { kinds.append(.myo) }
        return kinds
    }
}

/// Merges advertising reports into one result per address: names and services from
/// advertisements and scan responses together, the strongest RSSI. Pure.
public struct BLEScanCollector: Sendable {
    public private(set) var results: [BLEScanResult] = []
    private var index: [String: Int] = [:]

    public init() {}

    /// Adds one report.
    ///
    /// - Returns: true when this address was not seen before.
    @discardableResult
    public mutating func add(_ advertisement: BLEAdvertisement) -> Bool {
        let key = advertisement.address
        let isNew = index[key] == nil
        if isNew {
            index[key] = results.count
            results.append(BLEScanResult(address: key, addressType: advertisement.addressType, name: nil, rssi: nil,
                                         services: [], isConnectable: false, reports: 0))
        }
        var r = results[index[key]!]
        r.reports += 1
        if let name = advertisement.data.localName,
           r.name == nil || advertisement.data.structures.contains(where: { $0.type == 0x09 }) {
            r.name = name
        }
        if let rssi = advertisement.rssi { r.rssi = max(r.rssi ?? rssi, rssi) }
        for uuid in advertisement.data.serviceUUIDs where !r.services.contains(uuid) { r.services.append(uuid) }
        if !advertisement.isScanResponse { r.isConnectable = r.isConnectable || advertisement.isConnectable }
        results[index[key]!] = r
        return isNew
    }

    /// The results, strongest first (unknown RSSI last), then by address.
    public var sorted: [BLEScanResult] {
        results.sorted { a, b in
            switch (a.rssi, b.rssi) {
            case let (x?, y?) where x != y: return x > y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.address < b.address
            }
        }
    }
}

/// An active LE scan over raw HCI, legacy or extended as the controller requires.
///
/// Lessons from `shared/ble-lab/NOTES.md` built in:
/// - reports are read on a second raw HCI socket with the LE Meta filter, opened *before* the
///   scan is enabled (a controller may report each advertiser once; pitfall 7);
/// - a controller that supports LE Set Extended Scan Parameters/Enable gets those, as the
///   kernel does (`use_ext_scan()`): a Bluetooth 5 controller refuses the legacy commands once
///   the host used an extended one, and reports through LE Extended Advertising Report
///   (pitfall 6);
/// - "Command Disallowed" for disabling a scan that is not running is ignored; for enabling,
///   it means another scan runs (bluetoothd's discovery, the kernel's scan for a pending
///   connection): its reports are read instead.
/// - extended reports whose data comes in several fragments are joined before decoding.
public final class HCIScanner {
    public let adapter: HCIAdapterInfo
    private let socket: HCISocket
    /// Whether the last scan used the extended commands.
    public private(set) var usedExtendedScan = false
    /// Whether the last scan's enable was refused because another scan was running.
    public private(set) var sharedAnotherScan = false

    /// Opens the adapter.
    ///
    /// - Parameter adapter: `hci0`, `1`, an address, or `nil` for the first adapter that is up.
    /// - Throws: ``BluetoothError``: no Bluetooth in the kernel, no such adapter, adapter down.
    public init(adapter spec: String? = nil) throws(BluetoothError) {
        adapter = try HCIAdapters.resolve(spec)
        socket = try HCISocket(adapter: adapter)
    }

    /// Whether the controller supports the extended scan commands: Read Local Supported
    /// Commands octet 37, bits 5 (LE Set Extended Scan Parameters) and 6 (… Enable).
    public func supportsExtendedScan() throws(BluetoothError) -> Bool {
        let commands = try socket.supportedCommands()
        return commands.count > 37 && commands[37] & 0x60 == 0x60
    }

    /// Scans actively for `duration` and calls `report` with each advertising report
    /// (advertisements and scan responses; a device may be reported once or many times).
    ///
    /// - Throws: ``BluetoothError``: missing CAP_NET_RAW, adapter down, a refused command.
    public func scan(for duration: Duration, report: (BLEAdvertisement) -> Void) throws(BluetoothError) {
        let extended = try supportsExtendedScan()
        usedExtendedScan = extended
        sharedAnotherScan = false
        let events = try socket.openLEMetaEvents()
        // Active scan, 10 ms interval and window (0x0010 × 0.625 ms), public own address, no
        // accept list, no duplicate filtering (the collector merges).
        if extended {
            try ignoringDisallowed { () throws(BluetoothError) in
                try socket.command("LE Set Extended Scan Enable", ogf: 0x08, ocf: 0x0042, parameters: [0, 0, 0, 0, 0, 0])
            }
            try socket.command("LE Set Extended Scan Parameters", ogf: 0x08, ocf: 0x0041,
                               parameters: [0x00, 0x00, 0x01, 0x01, 0x10, 0x00, 0x10, 0x00])
            try enable { () throws(BluetoothError) in
                try socket.command("LE Set Extended Scan Enable", ogf: 0x08, ocf: 0x0042, parameters: [1, 0, 0, 0, 0, 0])
            }
        } else {
            try ignoringDisallowed { () throws(BluetoothError) in
                try socket.command("LE Set Scan Enable", ogf: 0x08, ocf: 0x000C, parameters: [0, 0])
            }
            try socket.command("LE Set Scan Parameters", ogf: 0x08, ocf: 0x000B,
                               parameters: [0x01, 0x10, 0x00, 0x10, 0x00, 0x00, 0x00])
            try enable { () throws(BluetoothError) in
                try socket.command("LE Set Scan Enable", ogf: 0x08, ocf: 0x000C, parameters: [1, 0])
            }
        }
        defer {
            if !sharedAnotherScan {
                // Best effort: a failure to stop shows as "Command Disallowed" on the next scan's
                // enable, which then reads the running scan's reports.
                try? ignoringDisallowed { () throws(BluetoothError) in
                    if extended {
                        try socket.command("LE Set Extended Scan Enable", ogf: 0x08, ocf: 0x0042, parameters: [0, 0, 0, 0, 0, 0])
                    } else {
                        try socket.command("LE Set Scan Enable", ogf: 0x08, ocf: 0x000C, parameters: [0, 0])
                    }
                }
            }
        }

        let clock = ContinuousClock()
        let end = clock.now + duration
        var fragments: [String: [UInt8]] = [:]
        while clock.now < end {
            guard let event = try events.next(timeout: end - clock.now), let subevent = event.first else { continue }
            if subevent == 0x02, let reports = try? HCILEAdvertisingReport.decode(leMetaEvent: event[...]) {
                for r in reports { if let a = BLEAdvertisement(legacy: r) { report(a) } }
            } else if subevent == HCILEExtendedAdvertisingReport.subevent,
                      let reports = try? HCILEExtendedAdvertisingReport.decode(leMetaEvent: event[...]) {
                for r in reports {
                    let key = "\(r.address)/\(r.advertisingSID)/\(r.isScanResponse)"
                    let data = (fragments.removeValue(forKey: key) ?? []) + r.data
                    if r.dataStatus == .incompleteMoreToCome {
                        fragments[key] = data
                        continue
                    }
                    guard let ad = try? BLEAdvertisingData(decoding: data[...]) else { continue }
                    report(BLEAdvertisement(address: r.address, addressType: r.addressType & 0x01 == 0 ? .public : .random,
                                            rssi: r.rssi == 127 ? nil : Int(r.rssi), data: ad, isConnectable: r.isConnectable,
                                            isScanResponse: r.isScanResponse))
                }
            }
        }
    }

    /// Scans for `duration` and merges the reports by address.
    public func collect(for duration: Duration) throws(BluetoothError) -> [BLEScanResult] {
        var collector = BLEScanCollector()
        try scan(for: duration) { collector.add($0) }
        return collector.sorted
    }

    private func enable(_ body: () throws(BluetoothError) -> Void) throws(BluetoothError) {
        do {
            try body()
        } catch where error.kind == .commandRejected && error.status == 0x0C {
            // Another scan runs (the kernel's, bluetoothd's): its reports reach this socket too.
            sharedAnotherScan = true
        }
    }

    private func ignoringDisallowed(_ body: () throws(BluetoothError) -> Void) throws(BluetoothError) {
        // Disabling a scan that is not running: "Command Disallowed" (pitfall 9).
        do {
            try body()
        } catch where error.kind == .commandRejected && error.status == 0x0C {}
    }
}
