// SPDX-License-Identifier: MIT
import BLEWire
import CBluetooth
#if canImport(Glibc)
import Glibc
#endif

/// One device seen while scanning.
public struct BLEAdvertisement: Hashable, Sendable {
    public var address: String
    public var addressType: BluetoothAddressType
    /// dBm, `nil` when the controller does not know (127).
    public var rssi: Int?
    public var data: BLEAdvertisingData
}

/// An LE scan over a raw HCI socket (libbluetooth's `hci_lib`). All the HCI socket code is in
/// this file; the report parsing is `HCILEAdvertisingReport` and `BLEAdvertisingData` in
/// BLEWire.
///
/// Lessons from `shared/ble-lab/NOTES.md` built in: reports are read on a second raw HCI socket
/// with the LE Meta event filter, opened *before* scanning is enabled (a controller may report
/// each advertiser once, and `hci_send_req` drops events on the command socket); a "Command
/// Disallowed" answer to disabling a scan that is not running is ignored.
public final class HCIScanner {
    public let deviceID: Int32
    private let command: Int32

    /// Opens the adapter (`hci0` … or the first one that is up).
    ///
    /// - Parameter deviceID: the adapter's index, or `nil` for the default route.
    /// - Throws: ``BluetoothError``: kernel without Bluetooth, no adapter, missing capability.
    public init(deviceID requested: Int32? = nil) throws(BluetoothError) {
        let id: Int32
        if let requested {
            id = requested
        } else {
            errno = 0
            id = hci_get_route(nil)
            guard id >= 0 else {
                // hci_get_route fails with ENODEV when the kernel has Bluetooth but no adapter
                // is up, and with socket()'s errno when the kernel has no Bluetooth at all.
                throw BluetoothError(call: "hci_get_route", errno: errno == 0 ? ENODEV : errno)
            }
        }
        let dd = hci_open_dev(id)
        guard dd >= 0 else { throw BluetoothError(call: "hci_open_dev(hci\(id))", errno: errno) }
        self.deviceID = id
        command = dd
    }

    deinit { hci_close_dev(command) }

    /// Scans actively for `duration` and calls `report` with each advertising report (several
    /// per device: advertising and scan responses, repeated).
    ///
    /// - Throws: ``BluetoothError``: adapter down, missing capability, a failed HCI command.
    public func scan(for duration: Duration, report: (BLEAdvertisement) -> Void) throws(BluetoothError) {
        let events = hci_open_dev(deviceID)
        guard events >= 0 else { throw BluetoothError(call: "hci_open_dev(hci\(deviceID))", errno: errno) }
        defer { hci_close_dev(events) }
        var filter = hci_filter()
        hci_filter_clear(&filter)
        hci_filter_set_ptype(HCI_EVENT_PKT, &filter)
        hci_filter_set_event(EVT_LE_META_EVENT, &filter)
        guard setsockopt(events, SOL_HCI, HCI_FILTER, &filter, socklen_t(MemoryLayout<hci_filter>.size)) == 0 else {
            throw BluetoothError(call: "setsockopt(HCI_FILTER)", errno: errno)
        }
        // A scan left running by someone else: stop it (Command Disallowed when none runs).
        _ = hci_le_set_scan_enable(command, 0, 0, 1000)
        // Active scan, 10 ms interval and window (0x0010 × 0.625 ms), public own address, no
        // accept list.
        guard hci_le_set_scan_parameters(command, 0x01, UInt16(0x0010).littleEndian, UInt16(0x0010).littleEndian,
                                         0x00, 0x00, 1000) == 0 else {
            throw BluetoothError(call: "hci_le_set_scan_parameters", errno: errno)
        }
        guard hci_le_set_scan_enable(command, 0x01, 0x00, 1000) == 0 else {
            throw BluetoothError(call: "hci_le_set_scan_enable", errno: errno)
        }
        defer { _ = hci_le_set_scan_enable(command, 0x00, 0x00, 1000) }

        let clock = ContinuousClock()
        let end = clock.now + duration
        var buffer = [UInt8](repeating: 0, count: Int(HCI_MAX_EVENT_SIZE))
        while clock.now < end {
            let remaining = end - clock.now
            let ms = Int32(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000)
            var pfd = pollfd(fd: events, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, max(ms, 1))
            if ready < 0 {
                if errno == EINTR { continue }
                throw BluetoothError(call: "poll", errno: errno)
            }
            if ready == 0 { break }
            let n = buffer.withUnsafeMutableBytes { read(events, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw BluetoothError(call: "read(HCI)", errno: errno)
            }
            // Packet type (1), event code (1), parameter length (1), parameters.
            guard n >= 3, buffer[0] == UInt8(HCI_EVENT_PKT), buffer[1] == UInt8(EVT_LE_META_EVENT) else { continue }
            let end = min(n, 3 + Int(buffer[2]))
            guard let reports = try? HCILEAdvertisingReport.decode(leMetaEvent: buffer[3 ..< end]) else { continue }
            for r in reports {
                guard let data = try? BLEAdvertisingData(decoding: r.data[...]) else { continue }
                report(BLEAdvertisement(address: r.address, addressType: r.addressType & 0x01 == 0 ? .public : .random,
                                        rssi: r.rssi == 127 ? nil : Int(r.rssi), data: data))
            }
        }
    }
}
