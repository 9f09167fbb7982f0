// SPDX-License-Identifier: MIT

/// ATT_READ_RSP (Core Specification 5.4, Vol 3, Part F, 3.4.4.4).
///
/// "If the attribute value is longer than (ATT_MTU-1) then the first (ATT_MTU-1) octets shall be
/// included in this response" (the rest is read with ATT_READ_BLOB_REQ).
public struct ATTReadResponse: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.readResponse

    public var attributeValue: [UInt8]

    public init(attributeValue: [UInt8]) { self.attributeValue = attributeValue }

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        attributeValue = Array(r.rest())
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        buffer.append(contentsOf: attributeValue)
    }
}
