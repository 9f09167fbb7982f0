// SPDX-License-Identifier: MIT
import CBluetooth
#if canImport(Glibc)
import Glibc
#endif

/// How an LE device's address is to be read (Core 5.4, Vol 6, Part B, 1.3).
public enum BluetoothAddressType: String, Hashable, Sendable {
    case `public`
    case random

    /// `l2_bdaddr_type` for `sockaddr_l2`.
    var l2Type: UInt8 { self == .public ? UInt8(BDADDR_LE_PUBLIC) : UInt8(BDADDR_LE_RANDOM) }
}

/// Connects an L2CAP socket on the LE ATT fixed channel (CID 4) to a peer, the descriptor an
/// ``ATTBearer`` runs on through ``SeqPacketSocketTransport``. All the socket and `sockaddr_l2`
/// code for it is in this file.
///
/// The kernel does the LE work (it scans for the peer's advertising, then creates the
/// connection); the peer must be advertising connectably.
public enum L2CAPATTSocket {
    /// The ATT fixed channel (Core 5.4, Vol 3, Part A, 2.1: "0x0004 Attribute protocol").
    public static let attChannel: UInt16 = 4

    /// Opens, binds and connects.
    ///
    /// - Parameters:
    ///   - peer: the device address, `AA:BB:CC:DD:EE:FF`.
    ///   - type: the device's address type.
    ///   - adapter: the local adapter's address, or `nil` for any.
    ///   - timeout: how long to wait for the connection.
    ///   - shouldAbandon: asked every 100 ms while waiting; true gives up (a `timeout` error).
    /// - Returns: a connected descriptor; the caller (or its transport) closes it.
    /// - Throws: ``BluetoothError`` saying why, with what to do (no Bluetooth in the kernel, no
    ///   adapter, adapter down, missing capability, timeout).
    public static func connect(to peer: String, type: BluetoothAddressType, adapter: String? = nil,
                               timeout: Duration = .seconds(20),
                               shouldAbandon: () -> Bool = { false }) throws(BluetoothError) -> Int32 {
        var peerAddress = bdaddr_t()
        guard str2ba(peer, &peerAddress) == 0, isAddress(peer) else {
            throw BluetoothError(kind: .other, call: "str2ba(\(peer))", errno: EINVAL)
        }
        var localAddress = bdaddr_t()
        if let adapter {
            guard str2ba(adapter, &localAddress) == 0, isAddress(adapter) else {
                throw BluetoothError(kind: .other, call: "str2ba(\(adapter))", errno: EINVAL)
            }
        }
        let fd = socket(AF_BLUETOOTH, linuxSockSeqPacket | linuxSockCloexec, BTPROTO_L2CAP)
        guard fd >= 0 else { throw BluetoothError(call: "socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP)", errno: errno) }
        do throws(BluetoothError) {
            // Local side: CID 4, LE public (the kernel picks the adapter's own address type).
            var local = sockaddr_l2()
            local.l2_family = sa_family_t(AF_BLUETOOTH)
            local.l2_bdaddr = localAddress
            local.l2_cid = attChannel.littleEndian
            local.l2_bdaddr_type = UInt8(BDADDR_LE_PUBLIC)
            try call("bind") { withSockaddr(&local) { bind(fd, $0, $1) } }

            var remote = sockaddr_l2()
            remote.l2_family = sa_family_t(AF_BLUETOOTH)
            remote.l2_bdaddr = peerAddress
            remote.l2_cid = attChannel.littleEndian
            remote.l2_bdaddr_type = type.l2Type
            // Non-blocking connect so that the timeout is ours, not the kernel's 40 s.
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            if withSockaddr(&remote, { Glibc.connect(fd, $0, $1) }) != 0 {
                guard errno == EINPROGRESS else { throw BluetoothError(call: "connect(\(peer))", errno: errno) }
                let clock = ContinuousClock()
                let end = clock.now + timeout
                while true {
                    if shouldAbandon() {
                        throw BluetoothError(kind: .timeout, call: "connect(\(peer))", errno: ECANCELED,
                                             detail: "abandoned: the session is ending")
                    }
                    let left = end - clock.now
                    guard left > .zero else { throw BluetoothError(kind: .timeout, call: "connect(\(peer))", errno: ETIMEDOUT) }
                    var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    let ms = Int32(min(100, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1))
                    let ready = poll(&pfd, 1, ms)
                    if ready < 0, errno == EINTR { continue }
                    if ready > 0 { break }
                }
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                guard error == 0 else { throw BluetoothError(call: "connect(\(peer))", errno: error) }
            }
            _ = fcntl(fd, F_SETFL, flags)
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    /// Listens on the ATT fixed channel of a local adapter: the peripheral side, for
    /// simulated sensors and tests.
    ///
    /// - Parameters:
    ///   - adapter: the local adapter's address.
    ///   - type: the address type the adapter advertises with (a random static address needs
    ///     `.random`: the kernel hands an incoming link to the listener of the same type).
    /// - Returns: the listening descriptor (close it with `close(2)`).
    public static func listen(adapter: String, type: BluetoothAddressType = .public) throws(BluetoothError) -> Int32 {
        var localAddress = bdaddr_t()
        guard str2ba(adapter, &localAddress) == 0, isAddress(adapter) else {
            throw BluetoothError(kind: .other, call: "str2ba(\(adapter))", errno: EINVAL)
        }
        let fd = socket(AF_BLUETOOTH, linuxSockSeqPacket | linuxSockCloexec, BTPROTO_L2CAP)
        guard fd >= 0 else { throw BluetoothError(call: "socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP)", errno: errno) }
        var local = sockaddr_l2()
        local.l2_family = sa_family_t(AF_BLUETOOTH)
        local.l2_bdaddr = localAddress
        local.l2_cid = attChannel.littleEndian
        local.l2_bdaddr_type = type.l2Type
        do throws(BluetoothError) {
            try call("bind") { withSockaddr(&local) { bind(fd, $0, $1) } }
            try call("listen") { Glibc.listen(fd, 4) }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Accepts one link on a listening descriptor.
    ///
    /// - Returns: the connected descriptor and the peer's address and type, or `nil` when none
    ///   came within `timeout`.
    public static func accept(_ listener: Int32, timeout: Duration) throws(BluetoothError)
        -> (fd: Int32, peer: String, type: BluetoothAddressType)? {
        var pfd = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        let ms = Int32(min(Int64(Int32.max), timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        let ready = poll(&pfd, 1, ms)
        if ready < 0 { throw BluetoothError(call: "poll(listen)", errno: errno) }
        if ready == 0 { return nil }
        var remote = sockaddr_l2()
        var length = socklen_t(MemoryLayout<sockaddr_l2>.size)
        let fd = withUnsafeMutablePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(listener, $0, &length) }
        }
        guard fd >= 0 else { throw BluetoothError(call: "accept", errno: errno) }
        var address = [CChar](repeating: 0, count: 18)
        _ = ba2str(&remote.l2_bdaddr, &address)
        return (fd, decodeCString(address), remote.l2_bdaddr_type == UInt8(BDADDR_LE_RANDOM) ? .random : .public)
    }

    /// The HCI connection handle of a connected L2CAP socket (`L2CAP_CONNINFO`), for an HCI
    /// Disconnect of the whole link.
    public static func connectionHandle(_ fd: Int32) throws(BluetoothError) -> UInt16 {
        var info = l2cap_conninfo()
        var length = socklen_t(MemoryLayout<l2cap_conninfo>.size)
        guard getsockopt(fd, SOL_L2CAP, L2CAP_CONNINFO, &info, &length) == 0 else {
            throw BluetoothError(call: "getsockopt(L2CAP_CONNINFO)", errno: errno)
        }
        return info.hci_handle
    }

    private static func call(_ name: String, _ body: () -> Int32) throws(BluetoothError) {
        guard body() == 0 else { throw BluetoothError(call: name, errno: errno) }
    }

    private static func withSockaddr<R>(_ address: inout sockaddr_l2, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_l2>.size)) }
        }
    }

    /// `XX:XX:XX:XX:XX:XX` (str2ba accepts less).
    public static func isAddress(_ text: String) -> Bool {
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        return groups.count == 6 && groups.allSatisfy { $0.count == 2 && UInt8($0, radix: 16) != nil }
    }
}
