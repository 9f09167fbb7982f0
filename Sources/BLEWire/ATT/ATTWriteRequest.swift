// SPDX-License-Identifier: MIT

/// ATT_WRITE_REQ (Core Specification 5.4, Vol 3, Part F, 3.4.5.1): "used to request the server
/// to write the value of an attribute and acknowledge that this has been achieved in an
/// ATT_WRITE_RSP PDU." The value is at most ATT_MTU − 3 octets.
public struct ATTWriteRequest: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.writeRequest

    public var attributeHandle: UInt16
    public var attributeValue: [UInt8]

    public init(attributeHandle: UInt16, attributeValue: [UInt8]) {
        self.attributeHandle = attributeHandle
        self.attributeValue = attributeValue
    }

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        attributeHandle = try r.uint16()
        attributeValue = Array(r.rest())
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        buffer.appendLE(attributeHandle)
        buffer.append(contentsOf: attributeValue)
    }
}
