// SPDX-License-Identifier: MIT
import Dispatch

/// A message-preserving link that carries one ATT PDU per message: an L2CAP LE socket on the
/// ATT fixed channel (CID 4), or an `AF_UNIX` `SOCK_SEQPACKET` socketpair in tests.
///
/// The bearer calls ``start(queue:receive:closed:)`` once and everything the transport reports
/// arrives on that queue, in order. `closed` is called at most once; after it, `receive` is not
/// called again.
public protocol ATTTransport: AnyObject, Sendable {
    /// Starts reading; callbacks run on `queue`.
    func start(queue: DispatchQueue, receive: @escaping @Sendable (ArraySlice<UInt8>) -> Void,
               closed: @escaping @Sendable (ATTDisconnectReason) -> Void)
    /// Writes one PDU as one message.
    ///
    /// - Returns: `nil` on success, else the `errno` of the failure.
    func send(_ pdu: [UInt8]) -> Int32?
    /// Tears the link down both ways (the peer sees the end of the stream). Reading stops
    /// without a `closed` callback: the bearer already knows why.
    func shutdown()
}
