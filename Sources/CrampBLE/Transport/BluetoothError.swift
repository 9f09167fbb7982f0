// SPDX-License-Identifier: MIT
#if canImport(Glibc)
import Glibc
#endif

/// Why a Bluetooth socket could not be opened, bound, connected or used, with what to do.
public struct BluetoothError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// `AF_BLUETOOTH` is not supported: the kernel has no Bluetooth (or the module is not
        /// loaded).
        case kernelLacksBluetooth
        /// No Bluetooth adapter (controller) is present, or not the one asked for.
        case noAdapter
        /// The adapter exists but is powered off or down.
        case adapterDown
        /// The process lacks a capability the call needs (CAP_NET_RAW for raw HCI commands).
        case permissionDenied
        /// The peer did not answer within the time allowed.
        case timeout
        /// The controller answered an HCI command with an error status (``status``).
        case commandRejected
        /// Anything else, with its errno.
        case other
    }

    public var kind: Kind
    /// The call that failed (`socket`, `bind`, `connect`, `LE Set Scan Enable on hci0`, …).
    public var call: String
    public var errno: Int32
    /// The controller's status for `.commandRejected` (Core 5.4, Vol 1, Part F).
    public var status: UInt8?
    /// The adapter index, when the advice names it (`btmgmt --index N power on`).
    public var adapter: Int32?
    /// A sentence that replaces the generic advice.
    public var detail: String?

    public init(kind: Kind, call: String, errno: Int32, status: UInt8? = nil, adapter: Int32? = nil, detail: String? = nil) {
        self.kind = kind
        self.call = call
        self.errno = errno
        self.status = status
        self.adapter = adapter
        self.detail = detail
    }

    /// Classifies a failed call by its errno.
    public init(call: String, errno: Int32) {
        let kind: Kind = switch errno {
        case EAFNOSUPPORT, EPROTONOSUPPORT: .kernelLacksBluetooth
        case ENODEV, EHOSTUNREACH: .noAdapter
        case ENETDOWN: .adapterDown
        case EPERM, EACCES: .permissionDenied
        case ETIMEDOUT: .timeout
        default: .other
        }
        self.init(kind: kind, call: call, errno: errno)
    }

    /// Whether retrying cannot help: no Bluetooth, no adapter, no permission.
    public var isFatal: Bool {
        kind == .kernelLacksBluetooth || kind == .noAdapter || kind == .permissionDenied
    }

    public var description: String {
        if kind == .commandRejected, let status {
            return "\(call): the controller refused the command: \(HCIStatus.name(status)) (0x\(hex(status)))"
                + (detail.map { "; \($0)" } ?? "")
        }
        let what = String(cString: strerror(errno))
        let advice: String = detail ?? {
            switch kind {
            case .kernelLacksBluetooth:
                return "this kernel has no Bluetooth support (AF_BLUETOOTH is not available; load the bluetooth module or use a kernel built with CONFIG_BT)"
            case .noAdapter: return "no Bluetooth adapter found (check `btmgmt info` or `hciconfig -a`)"
            case .adapterDown:
                let index = adapter.map { "\($0)" } ?? "0"
                return "the Bluetooth adapter hci\(index) is down (power it on: `btmgmt --index \(index) power on`, or `bluetoothctl power on` when bluetoothd runs)"
            case .permissionDenied: return ProcessCapabilities.current().advice(for: call)
            case .timeout: return "the device did not answer in time (is it advertising and in range?)"
            case .commandRejected, .other: return what
            }
        }()
        return "\(call): \(advice) (errno \(errno): \(what))"
    }
}

/// HCI error codes (Core 5.4, Vol 1, Part F, 1.3) crampd may meet, by name.
enum HCIStatus {
    static func name(_ status: UInt8) -> String {
        switch status {
        case 0x01: "Unknown HCI Command"
        case 0x02: "Unknown Connection Identifier"
        case 0x07: "Memory Capacity Exceeded"
        case 0x0B: "Connection Already Exists"
        case 0x0C: "Command Disallowed"
        case 0x11: "Unsupported Feature or Parameter Value"
        case 0x12: "Invalid HCI Command Parameters"
        case 0x13: "Remote User Terminated Connection"
        case 0x3E: "Connection Failed to be Established"
        default: "HCI error"
        }
    }
}

/// The process's effective capabilities that matter to Bluetooth (from /proc/self/status).
struct ProcessCapabilities {
    var netAdmin: Bool
    var netRaw: Bool

    static func current() -> ProcessCapabilities {
        guard let file = fopen("/proc/self/status", "r") else { return ProcessCapabilities(netAdmin: false, netRaw: false) }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = decodeCString(line)
            guard text.hasPrefix("CapEff:") else { continue }
            let bits = UInt64(String(text.dropFirst(7)).trimmingCharacters(in: " \t\n"), radix: 16) ?? 0
            // <linux/capability.h>: CAP_NET_ADMIN 12, CAP_NET_RAW 13.
            return ProcessCapabilities(netAdmin: bits & (1 << 12) != 0, netRaw: bits & (1 << 13) != 0)
        }
        return ProcessCapabilities(netAdmin: false, netRaw: false)
    }

    /// Which capability is missing for `call`, and the three ways to grant it.
    func advice(for call: String) -> String {
        let fix = "run crampd as root, give the binary the capabilities (`sudo setcap cap_net_raw,cap_net_admin+ep \"$(command -v crampd)\"`), or under systemd add `AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN` (and the same CapabilityBoundingSet) to the unit"
        if !netRaw {
            return "permission denied: raw HCI commands (scanning) need CAP_NET_RAW, which this process lacks; \(fix)"
        }
        return "permission denied although this process has CAP_NET_RAW\(netAdmin ? " and CAP_NET_ADMIN" : ""): in a container or user namespace the kernel does not honour them for Bluetooth; \(fix) on the host"
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
