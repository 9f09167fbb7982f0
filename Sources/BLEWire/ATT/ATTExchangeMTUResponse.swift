// SPDX-License-Identifier: MIT

/// ATT_EXCHANGE_MTU_RSP (Core Specification 5.4, Vol 3, Part F, 3.4.2.2).
///
/// 3.4.2.2: "The Server Rx MTU shall be greater than or equal to the default ATT_MTU", and
/// "Both the server and client shall then set ATT_MTU to the minimum of the Client Rx MTU and
/// the Server Rx MTU." The decoder keeps the value as sent; ``negotiatedMTU(clientRxMTU:)``
/// applies both rules.
public struct ATTExchangeMTUResponse: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.exchangeMTUResponse

    /// The default LE ATT_MTU: 23 octets (Vol 3, Part G, 5.2.1).
    public static let defaultLEMTU: UInt16 = 23

    /// "ATT Server receive MTU size".
    public var serverRxMTU: UInt16

    public init(serverRxMTU: UInt16) { self.serverRxMTU = serverRxMTU }

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        serverRxMTU = try r.uint16()
        try r.finish()
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        buffer.appendLE(serverRxMTU)
    }

    /// The ATT_MTU both sides use after this exchange: the minimum of the two Rx MTUs, and
    /// never below the default 23 (a server announcing less is treated as announcing 23, as
    /// BlueZ does).
    public func negotiatedMTU(clientRxMTU: UInt16) -> UInt16 {
        max(Self.defaultLEMTU, min(clientRxMTU, serverRxMTU))
    }
}
