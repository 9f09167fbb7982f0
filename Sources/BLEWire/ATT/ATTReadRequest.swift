// SPDX-License-Identifier: MIT

/// ATT_READ_REQ (Core Specification 5.4, Vol 3, Part F, 3.4.4.3): "used to request the server
/// to read the value of an attribute and return its value in an ATT_READ_RSP PDU."
public struct ATTReadRequest: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.readRequest

    public var attributeHandle: UInt16

    public init(attributeHandle: UInt16) { self.attributeHandle = attributeHandle }

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        attributeHandle = try r.uint16()
        try r.finish()
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        buffer.appendLE(attributeHandle)
    }
}
