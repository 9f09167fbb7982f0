// SPDX-License-Identifier: MIT
import BLEWire

/// Why an ATT bearer's link went down.
public enum ATTDisconnectReason: Hashable, Sendable, CustomStringConvertible {
    /// The peer closed the link (end of stream).
    case closedByPeer
    /// The transport failed with this `errno`.
    case transportError(errno: Int32)
    /// A request got no response within 30 s (Core 5.4, Vol 3, Part F, 3.3.3: "If a
    /// transaction times out, no more attribute protocol requests, commands, indications or
    /// notifications shall be sent to the target device on this ATT Bearer").
    case transactionTimeout(request: UInt8)
    /// A response arrived while no request was outstanding (BlueZ: "Received unexpected ATT
    /// response" → disconnect).
    case unexpectedResponse(opcode: UInt8)
    /// A confirmation arrived although crampd never sends indications, or it carried
    /// parameters (BlueZ: "Received unexpected/invalid ATT confirmation" → disconnect).
    case unexpectedConfirmation
    /// crampd closed the link.
    case closedLocally

    public var description: String {
        switch self {
        case .closedByPeer: "closed by the peer"
        case let .transportError(errno): "transport error (errno \(errno))"
        case let .transactionTimeout(request): "no response to request 0x\(hex(request)) within 30 s"
        case let .unexpectedResponse(opcode): "unexpected response 0x\(hex(opcode)) with no request outstanding"
        case .unexpectedConfirmation: "unexpected confirmation"
        case .closedLocally: "closed locally"
        }
    }
}

/// Why one ATT operation failed at the bearer level (the peer's own Error Responses are not
/// bearer errors: they arrive as the response PDU).
public enum ATTBearerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The link is down, or went down while the operation was queued or outstanding.
    case disconnected(ATTDisconnectReason)
    /// This request was the one that timed out; the link is torn down.
    case transactionTimeout(request: UInt8)
    /// A response arrived that does not answer the outstanding request (another response
    /// opcode, or an Error Response naming another request). As in BlueZ's `handle_rsp`, the
    /// request fails and the link stays up.
    case mismatchedResponse(request: UInt8, response: UInt8)
    /// An Error Response arrived for the outstanding request but could not be decoded.
    case malformedErrorResponse(ATTDecodeError)
    /// The PDU is longer than the link's ATT_MTU and was not sent.
    case pduTooLong(length: Int, mtu: Int)
    /// The PDU's opcode is not one this operation may send (a request for `request`, a
    /// command for `send(command:)`).
    case invalidOpcode(UInt8)

    public var description: String {
        switch self {
        case let .disconnected(reason): "disconnected: \(reason)"
        case let .transactionTimeout(request): "request 0x\(hex(request)) timed out after 30 s; link torn down"
        case let .mismatchedResponse(request, response): "response 0x\(hex(response)) does not answer request 0x\(hex(request))"
        case let .malformedErrorResponse(error): "malformed error response: \(error)"
        case let .pduTooLong(length, mtu): "PDU of \(length) bytes exceeds ATT_MTU \(mtu)"
        case let .invalidOpcode(opcode): "opcode 0x\(hex(opcode)) cannot be sent this way"
        }
    }
}

func hex(_ byte: UInt8) -> String {
    let s = String(byte, radix: 16)
    return s.count < 2 ? "0" + s : s
}

/// Bytes as lower-case hex without separators (`1b0e00480102`).
public func hexString<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    var text = ""
    for byte in bytes {
        text += hex(byte)
    }
    return text
}

/// Parses lower- or upper-case hex without separators; `nil` for odd length or other characters.
public func bytes(fromHex text: Substring) -> [UInt8]? {
    let utf8 = Array(text.utf8)
    guard utf8.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(utf8.count / 2)
    var k = 0
    while k < utf8.count {
        guard let hi = nibble(utf8[k]), let lo = nibble(utf8[k + 1]) else { return nil }
        out.append(hi << 4 | lo)
        k += 2
    }
    return out
}

private func nibble(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0") ... UInt8(ascii: "9"): c - UInt8(ascii: "0")
    case UInt8(ascii: "a") ... UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A") ... UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
    default: nil
    }
}
