// SPDX-License-Identifier: MIT

/// ATT_EXCHANGE_MTU_REQ (Core Specification 5.4, Vol 3, Part F, 3.4.2.1): "used by the client to
/// inform the server of the client's maximum receive MTU size and request the server to respond
/// with its maximum receive MTU size."
public struct ATTExchangeMTURequest: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.exchangeMTURequest

    /// "Client receive MTU size".
    public var clientRxMTU: UInt16

    public init(clientRxMTU: UInt16) { self.clientRxMTU = clientRxMTU }

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        clientRxMTU = try r.uint16()
        try r.finish()
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        buffer.appendLE(clientRxMTU)
    }
}
