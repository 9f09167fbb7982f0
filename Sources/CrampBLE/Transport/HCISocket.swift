// SPDX-License-Identifier: MIT
import CBluetooth
#if canImport(Glibc)
import Glibc
#endif

/// A local Bluetooth adapter (controller) as the kernel lists it.
public struct HCIAdapterInfo: Hashable, Sendable {
    /// The index in `hciN`.
    public var index: Int32
    /// `hci0`, `hci1`, …
    public var name: String
    /// Its public address, `AA:BB:CC:DD:EE:FF`.
    public var address: String
    /// Whether the kernel has it up (powered).
    public var isUp: Bool
}

/// The kernel's adapters, and the one a command should use.
public enum HCIAdapters {
    /// Every adapter the kernel knows (`hci_devinfo` for each possible index).
    ///
    /// - Throws: ``BluetoothError`` `.kernelLacksBluetooth` when the kernel has no Bluetooth.
    public static func list() throws(BluetoothError) -> [HCIAdapterInfo] {
        // A Bluetooth socket tells a kernel without Bluetooth from one without adapters.
        let probe = socket(AF_BLUETOOTH, linuxSockRaw | linuxSockCloexec, BTPROTO_HCI)
        guard probe >= 0 else { throw BluetoothError(call: "socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI)", errno: errno) }
        close(probe)
        var out: [HCIAdapterInfo] = []
        // HCI_MAX_DEV in the kernel's hci_sock.c is 16 (the index range an ioctl may ask).
        for index in Int32(0) ..< 16 {
            var info = hci_dev_info()
            guard hci_devinfo(index, &info) == 0 else { continue }
            var address = [CChar](repeating: 0, count: 18)
            _ = ba2str(&info.bdaddr, &address)
            let up = withUnsafeMutableBytes(of: &info.flags) { hci_test_bit(Int32(HCI_UP), $0.baseAddress) != 0 }
            out.append(HCIAdapterInfo(index: index, name: "hci\(index)", address: decodeCString(address), isUp: up))
        }
        return out
    }

    /// The adapter named by `spec` (`hci1`, `1` or an address), or the first that is up.
    ///
    /// - Throws: ``BluetoothError``: no Bluetooth in the kernel, no such adapter (`noAdapter`,
    ///   naming the adapters there are), or the adapter is down (`adapterDown`, with how to
    ///   power it on).
    public static func resolve(_ spec: String?) throws(BluetoothError) -> HCIAdapterInfo {
        let all = try list()
        guard !all.isEmpty else {
            throw BluetoothError(kind: .noAdapter, call: "hci_devinfo", errno: ENODEV)
        }
        let chosen: HCIAdapterInfo
        if let spec {
            let index = spec.hasPrefix("hci") ? Int32(spec.dropFirst(3)) : Int32(spec)
            guard let found = all.first(where: { $0.index == index || $0.address.uppercased() == spec.uppercased() }) else {
                throw BluetoothError(kind: .noAdapter, call: "adapter \(spec)", errno: ENODEV,
                                     detail: "there is no adapter \(spec); the kernel has \(all.map(\.name).joined(separator: ", "))")
            }
            chosen = found
        } else {
            guard let up = all.first(where: \.isUp) else {
                throw BluetoothError(kind: .adapterDown, call: "adapter \(all[0].name)", errno: ENETDOWN, adapter: all[0].index)
            }
            chosen = up
        }
        guard chosen.isUp else {
            throw BluetoothError(kind: .adapterDown, call: "adapter \(chosen.name)", errno: ENETDOWN, adapter: chosen.index)
        }
        return chosen
    }
}

/// A raw HCI socket bound to one adapter: HCI commands and their results (libbluetooth's
/// `hci_send_req`), and LE Meta events on a separate socket. All raw HCI socket calls of the
/// project are in this file.
///
/// Sending LE commands needs CAP_NET_RAW (the kernel's `hci_sock_sendmsg` lets unprivileged
/// processes send only a few harmless commands); reading needs nothing.
public final class HCISocket {
    public let adapter: HCIAdapterInfo
    private let fd: Int32

    /// Opens a raw HCI socket on `adapter`.
    public init(adapter: HCIAdapterInfo) throws(BluetoothError) {
        let fd = hci_open_dev(adapter.index)
        guard fd >= 0 else { throw BluetoothError(call: "hci_open_dev(\(adapter.name))", errno: errno) }
        self.adapter = adapter
        self.fd = fd
    }

    deinit { hci_close_dev(fd) }

    /// Sends a command and waits for its Command Complete.
    ///
    /// - Parameters:
    ///   - name: the command's name, for errors (`LE Set Scan Enable`).
    ///   - ogf: the command group (0x08 for LE controller commands).
    ///   - ocf: the command within the group.
    ///   - parameters: the command's parameters.
    /// - Returns: the return parameters after the status octet.
    /// - Throws: ``BluetoothError``: `.permissionDenied` (CAP_NET_RAW), `.adapterDown`,
    ///   `.timeout`, or `.commandRejected` with the controller's status.
    @discardableResult
    public func command(_ name: String, ogf: UInt16, ocf: UInt16, parameters: [UInt8] = [],
                        timeout: Duration = .seconds(2)) throws(BluetoothError) -> [UInt8] {
        var parameters = parameters
        var response = [UInt8](repeating: 0, count: 260)
        let ms = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let result: (Int32, Int32) = parameters.withUnsafeMutableBytes { cp in
            response.withUnsafeMutableBytes { rp in
                var request = hci_request()
                request.ogf = ogf
                request.ocf = ocf
                request.cparam = cp.baseAddress
                request.clen = Int32(cp.count)
                request.rparam = rp.baseAddress
                request.rlen = Int32(rp.count)
                let rc = hci_send_req(fd, &request, ms)
                return (rc, rc < 0 ? errno : request.rlen)
            }
        }
        guard result.0 == 0 else {
            let code = result.1
            throw BluetoothError(call: "\(name) on \(adapter.name)", errno: code == EPERM || code == EACCES ? EPERM : code)
        }
        let length = Int(result.1)
        guard length >= 1 else { return [] }
        guard response[0] == 0 else {
            throw BluetoothError(kind: .commandRejected, call: "\(name) on \(adapter.name)", errno: 0, status: response[0])
        }
        return Array(response[1 ..< length])
    }

    /// HCI Read Local Supported Commands (Core 5.4, Vol 4, Part E, 7.4.2): 64 octets, one bit
    /// per command.
    public func supportedCommands() throws(BluetoothError) -> [UInt8] {
        try command("Read Local Supported Commands", ogf: 0x04, ocf: 0x0002)
    }

    /// HCI Disconnect (Vol 4, Part E, 7.1.6) of an LE or ACL link, waiting for its
    /// Disconnection Complete.
    ///
    /// - Parameter reason: 0x13 "Remote User Terminated Connection" by default.
    public func disconnect(handle: UInt16, reason: UInt8 = 0x13, timeout: Duration = .seconds(5)) throws(BluetoothError) {
        let ms = Int32(timeout.components.seconds * 1000)
        guard hci_disconnect(fd, handle, reason, ms) == 0 else {
            throw BluetoothError(call: "Disconnect on \(adapter.name)", errno: errno)
        }
    }

    /// A second raw socket on the same adapter that receives LE Meta events only. Open it
    /// before enabling a scan: a controller may report each advertiser once, right after the
    /// scan starts, and `hci_send_req` drops every other event on the command socket while it
    /// waits for its Command Complete (shared/ble-lab/NOTES.md, pitfall 7).
    public func openLEMetaEvents() throws(BluetoothError) -> HCIEventSocket {
        try HCIEventSocket(adapter: adapter)
    }
}

/// A raw HCI socket filtered to LE Meta events.
public final class HCIEventSocket {
    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: Int(HCI_MAX_EVENT_SIZE) + 1)

    init(adapter: HCIAdapterInfo) throws(BluetoothError) {
        let fd = hci_open_dev(adapter.index)
        guard fd >= 0 else { throw BluetoothError(call: "hci_open_dev(\(adapter.name))", errno: errno) }
        var filter = hci_filter()
        hci_filter_clear(&filter)
        hci_filter_set_ptype(HCI_EVENT_PKT, &filter)
        hci_filter_set_event(EVT_LE_META_EVENT, &filter)
        guard setsockopt(fd, SOL_HCI, HCI_FILTER, &filter, socklen_t(MemoryLayout<hci_filter>.size)) == 0 else {
            let code = errno
            hci_close_dev(fd)
            throw BluetoothError(call: "setsockopt(HCI_FILTER)", errno: code)
        }
        self.fd = fd
    }

    deinit { hci_close_dev(fd) }

    /// The next LE Meta event's parameters (from the subevent code on), or `nil` when none came
    /// within `timeout`.
    public func next(timeout: Duration) throws(BluetoothError) -> [UInt8]? {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while true {
            let remaining = end - clock.now
            guard remaining > .zero else { return nil }
            let ms = Int32(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000)
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, max(ms, 1))
            if ready < 0 {
                if errno == EINTR { continue }
                throw BluetoothError(call: "poll(HCI)", errno: errno)
            }
            if ready == 0 { return nil }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw BluetoothError(call: "read(HCI)", errno: errno)
            }
            // Packet type (1), event code (1), parameter length (1), parameters.
            guard n >= 4, buffer[0] == UInt8(HCI_EVENT_PKT), buffer[1] == UInt8(EVT_LE_META_EVENT) else { continue }
            return Array(buffer[3 ..< min(n, 3 + Int(buffer[2]))])
        }
    }
}

/// Linux's SOCK_RAW (<bits/socket_type.h>); see `linuxSockSeqPacket`.
let linuxSockRaw: Int32 = 3

/// The string in a NUL-terminated C buffer (UTF-8, invalid sequences replaced).
func decodeCString(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}
