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
        /// No Bluetooth adapter (controller) is present.
        case noAdapter
        /// The adapter exists but is powered off or down.
        case adapterDown
        /// The process lacks CAP_NET_RAW / CAP_NET_ADMIN.
        case permissionDenied
        /// The peer did not answer within the time allowed.
        case timeout
        /// Anything else, with its errno.
        case other
    }

    public var kind: Kind
    /// The call that failed (`socket`, `bind`, `connect`, `hci_le_set_scan_enable`, …).
    public var call: String
    public var errno: Int32

    public init(kind: Kind, call: String, errno: Int32) {
        self.kind = kind
        self.call = call
        self.errno = errno
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

    public var description: String {
        let what = String(cString: strerror(errno))
        let advice: String = switch kind {
        case .kernelLacksBluetooth:
            "this kernel has no Bluetooth support (AF_BLUETOOTH is not available; load the bluetooth module or use a kernel built with CONFIG_BT)"
        case .noAdapter: "no Bluetooth adapter found (check `btmgmt info` or `hciconfig -a`)"
        case .adapterDown: "the Bluetooth adapter is down (power it on: `btmgmt --index 0 power on`)"
        case .permissionDenied:
            "permission denied: crampd needs CAP_NET_RAW and CAP_NET_ADMIN for raw HCI (run as root, or `setcap cap_net_raw,cap_net_admin+eip` on the binary)"
        case .timeout: "the device did not answer in time (is it advertising and in range?)"
        case .other: what
        }
        return "\(call): \(advice) (errno \(errno): \(what))"
    }
}
