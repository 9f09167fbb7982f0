// SPDX-License-Identifier: MIT
import BLEWire
import CrampBLE

/// Connectable LE advertising over raw HCI, legacy or extended as the controller supports.
///
/// A central on a Bluetooth 5 controller scans (and the Linux kernel connects) with the
/// extended commands; an emulated 5.x controller (BlueZ's btdev) then reports only advertising
/// sets made with the extended commands, never legacy advertising (shared/ble-lab/NOTES.md,
/// pitfall 6). So the advertiser uses extended advertising, with legacy ADV_IND PDUs (which
/// every scanner sees), whenever the controller has the LE Extended Advertising feature.
public final class HCIAdvertiser {
    public let socket: HCISocket
    /// Whether the extended advertising commands are used.
    public let extended: Bool
    private let handle: UInt8 = 1

    /// - Parameter extended: force one way; `nil` decides from the controller's LE features.
    public init(adapter: HCIAdapterInfo, extended: Bool? = nil) throws(BluetoothError) {
        socket = try HCISocket(adapter: adapter)
        if let extended {
            self.extended = extended
        } else {
            // LE Read Local Supported Features (Vol 4, Part E, 7.8.3): bit 12, LE Extended
            // Advertising (the kernel's ext_adv_capable()).
            let features = try socket.command("LE Read Local Supported Features", ogf: 0x08, ocf: 0x0003)
            self.extended = features.count > 1 && features[1] & 0x10 != 0
        }
    }

    /// Advertises connectably (ADV_IND every 20 ms) with `data`, answering scans with
    /// `scanResponse`.
    ///
    /// - Parameter randomAddress: a random static address to advertise from, else the public one.
    public func start(data: BLEAdvertisingData, scanResponse: BLEAdvertisingData,
                      randomAddress: String?) throws(BluetoothError) {
        stop()
        let ownType: UInt8 = randomAddress == nil ? 0x00 : 0x01
        let adv = data.encoded, rsp = scanResponse.encoded
        if extended {
            // LE Set Extended Advertising Parameters: handle, properties 0x0013 (legacy ADV_IND:
            // connectable, scannable, legacy), interval 20 ms (0x000020 × 0.625 ms), all three
            // channels, own address type, no peer, no filter, TX power "no preference", LE 1M,
            // SID 0, no scan request notifications.
            try socket.command("LE Set Extended Advertising Parameters", ogf: 0x08, ocf: 0x0036,
                               parameters: [handle, 0x13, 0x00, 0x20, 0x00, 0x00, 0x20, 0x00, 0x00, 0x07, ownType,
                                            0x00, 0, 0, 0, 0, 0, 0, 0x00, 0x7F, 0x01, 0x00, 0x01, 0x00, 0x00])
            if let randomAddress {
                try socket.command("LE Set Advertising Set Random Address", ogf: 0x08, ocf: 0x0035,
                                   parameters: [handle] + Self.wire(randomAddress))
            }
            // Operation 0x03: complete data; fragment preference 0x01: none.
            try socket.command("LE Set Extended Advertising Data", ogf: 0x08, ocf: 0x0037,
                               parameters: [handle, 0x03, 0x01, UInt8(adv.count)] + adv)
            try socket.command("LE Set Extended Scan Response Data", ogf: 0x08, ocf: 0x0038,
                               parameters: [handle, 0x03, 0x01, UInt8(rsp.count)] + rsp)
            // Enable one set, no duration, no event limit.
            try socket.command("LE Set Extended Advertising Enable", ogf: 0x08, ocf: 0x0039,
                               parameters: [0x01, 0x01, handle, 0x00, 0x00, 0x00])
        } else {
            if let randomAddress {
                try socket.command("LE Set Random Address", ogf: 0x08, ocf: 0x0005, parameters: Self.wire(randomAddress))
            }
            // LE Set Advertising Parameters: 20 ms, ADV_IND, own address type, no peer, all
            // channels, no filter.
            try socket.command("LE Set Advertising Parameters", ogf: 0x08, ocf: 0x0006,
                               parameters: [0x20, 0x00, 0x20, 0x00, 0x00, ownType, 0x00, 0, 0, 0, 0, 0, 0, 0x07, 0x00])
            try socket.command("LE Set Advertising Data", ogf: 0x08, ocf: 0x0008, parameters: Self.padded(adv))
            try socket.command("LE Set Scan Response Data", ogf: 0x08, ocf: 0x0009, parameters: Self.padded(rsp))
            try socket.command("LE Set Advertising Enable", ogf: 0x08, ocf: 0x000A, parameters: [0x01])
        }
    }

    /// Stops advertising; "Command Disallowed" (not advertising) is fine.
    public func stop() {
        if extended {
            _ = try? socket.command("LE Set Extended Advertising Enable", ogf: 0x08, ocf: 0x0039,
                                    parameters: [0x00, 0x01, handle, 0x00, 0x00, 0x00])
        } else {
            _ = try? socket.command("LE Set Advertising Enable", ogf: 0x08, ocf: 0x000A, parameters: [0x00])
        }
    }

    /// The legacy data commands carry a length octet and 31 octets.
    private static func padded(_ data: [UInt8]) -> [UInt8] {
        [UInt8(data.count)] + data + [UInt8](repeating: 0, count: max(0, 31 - data.count))
    }

    private static func wire(_ address: String) -> [UInt8] {
        address.split(separator: ":").reversed().map { UInt8($0, radix: 16) ?? 0 }
    }

    /// Advertising data for a simulated sensor: flags, its 16-bit services, the EMG profile's
    /// 128-bit service; the name in the scan response.
    public static func advertisingData(for configuration: SimulatedSensorConfiguration) -> (BLEAdvertisingData, BLEAdvertisingData) {
        var structures: [BLEAdvertisingData.Structure] = [.init(type: 0x01, data: [0x06])]  // LE General Discoverable, no BR/EDR
        var short: [UInt8] = []
        if configuration.kinds.contains(.hr) { BluetoothUUID.heartRateService.encode(into: &short) }
        if configuration.kinds.contains(.rsc) { BluetoothUUID.runningSpeedAndCadenceService.encode(into: &short) }
        BluetoothUUID.batteryService.encode(into: &short)
        structures.append(.init(type: 0x03, data: short))
        if configuration.kinds.contains(.emg) {
            var long: [UInt8] = []
            EMGProfile.service.encode128(into: &long)
            structures.append(.init(type: 0x07, data: long))
        } else if configuration.kinds.contains(.myo) {
            var long: [UInt8] = []
            MyoProfile.controlService.encode128(into: &long)
            structures.append(.init(type: 0x07, data: long))
        }
        let name = Array(configuration.name.utf8.prefix(29))
        return (BLEAdvertisingData(structures: structures), BLEAdvertisingData(structures: [.init(type: 0x09, data: name)]))
    }
}
