// SPDX-License-Identifier: MIT
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// An ``ATTTransport`` over a connected `SOCK_SEQPACKET` socket: an L2CAP LE ATT socket or one
/// end of an `AF_UNIX` socketpair. All the socket calls of the ATT path live in this file.
///
/// The transport owns the descriptor and closes it when reading stops.
public final class SeqPacketSocketTransport: ATTTransport, @unchecked Sendable {
    // Mutable state is touched only on the queue given to `start` (after `start`), except
    // `fd`, which is immutable.
    public let fileDescriptor: Int32
    private var source: DispatchSourceRead?
    private var stopped = false
    /// Large enough for any ATT PDU: ATT_MTU is at most 517 octets (Core 5.4, Vol 3, Part F,
    /// 3.2.9: "The maximum length of an attribute value shall be 512 octets", plus headers).
    private static let bufferSize = 1024

    /// - Parameter fileDescriptor: a connected `SOCK_SEQPACKET` socket; the transport closes it.
    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    public func start(queue: DispatchQueue, receive: @escaping @Sendable (ArraySlice<UInt8>) -> Void,
                      closed: @escaping @Sendable (ATTDisconnectReason) -> Void) {
        let fd = fileDescriptor
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        self.source = source
        var buffer = [UInt8](repeating: 0, count: Self.bufferSize)
        source.setEventHandler { [unowned self] in
            // Drain every queued message: one event may stand for several.
            while !self.stopped {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n > 0 {
                    receive(buffer[0 ..< n])
                    continue
                }
                if n == 0 {
                    self.stop()
                    closed(.closedByPeer)
                    return
                }
                let code = errno
                if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return }
                self.stop()
                closed(code == ECONNRESET || code == ENOTCONN ? .closedByPeer : .transportError(errno: code))
                return
            }
        }
        source.setCancelHandler { _ = Glibc.close(fd) }
        source.resume()
    }

    public func send(_ pdu: [UInt8]) -> Int32? {
        let n = pdu.withUnsafeBytes { Glibc.send(fileDescriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        return n == pdu.count ? nil : (n < 0 ? errno : EMSGSIZE)
    }

    public func shutdown() {
        // Once stopped, the descriptor is closed (or about to be) and its number may already
        // belong to another socket: never touch it again.
        guard !stopped else { return }
        _ = Glibc.shutdown(fileDescriptor, Int32(SHUT_RDWR))
        stop()
    }

    private func stop() {
        guard !stopped else { return }
        stopped = true
        if let source {
            source.cancel()  // its cancel handler closes the descriptor
        } else {
            _ = Glibc.close(fileDescriptor)
        }
    }

    deinit {
        stop()
    }
}

/// A connected pair of `AF_UNIX` `SOCK_SEQPACKET` sockets: message boundaries like an L2CAP
/// socket, for scripted tests and in-process peers.
///
/// - Throws: the `errno` of `socketpair(2)` as ``SocketError``.
public func makeSeqPacketSocketPair() throws(SocketError) -> (Int32, Int32) {
    var fds: [Int32] = [-1, -1]
    let rc = fds.withUnsafeMutableBufferPointer { socketpair(AF_UNIX, linuxSockSeqPacket | linuxSockCloexec, 0, $0.baseAddress) }
    guard rc == 0 else { throw SocketError(call: "socketpair", errno: errno) }
    return (fds[0], fds[1])
}

// Linux's values (<bits/socket_type.h>). Spelled out because the C enum that defines them
// becomes invisible to this file once the libbluetooth module (which includes the same header)
// is part of the target.
let linuxSockSeqPacket: Int32 = 5
let linuxSockCloexec: Int32 = 0o2000000

/// A failed socket call and its `errno`.
public struct SocketError: Error, Hashable, Sendable, CustomStringConvertible {
    public var call: String
    public var errno: Int32

    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    public var description: String {
        "\(call): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
