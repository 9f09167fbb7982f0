// SPDX-License-Identifier: MIT

/// ATT_HANDLE_VALUE_IND (Core Specification 5.4, Vol 3, Part F, 3.4.7.2): "sent by a server to a
/// client to indicate the value of an attribute."
///
/// "The client shall send an ATT_HANDLE_VALUE_CFM PDU in response to an ATT_HANDLE_VALUE_IND
/// PDU."
public struct ATTHandleValueIndication: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.handleValueIndication

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
