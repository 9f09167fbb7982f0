// SPDX-License-Identifier: MIT

/// ATT_READ_BY_TYPE_REQ (Core Specification 5.4, Vol 3, Part F, 3.4.4.1): "used to obtain the
/// values of attributes where the attribute type is known but the handle is not known."
///
/// The Attribute Type is "2 or 16 octet UUID"; any other length is an invalid PDU.
public struct ATTReadByTypeRequest: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.readByTypeRequest

    public var startingHandle: UInt16
    public var endingHandle: UInt16
    public var attributeType: BluetoothUUID

    public init(startingHandle: UInt16, endingHandle: UInt16, attributeType: BluetoothUUID) {
        self.startingHandle = startingHandle
        self.endingHandle = endingHandle
        self.attributeType = attributeType
    }

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        startingHandle = try r.uint16()
        endingHandle = try r.uint16()
        attributeType = try decodeAttributeType(&r)
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        buffer.appendLE(startingHandle)
        buffer.appendLE(endingHandle)
        attributeType.encode(into: &buffer)
    }
}

/// Reads the rest of a request as a 2- or 16-octet UUID.
func decodeAttributeType(_ r: inout ByteReader) throws(ATTDecodeError) -> BluetoothUUID {
    let at = r
    let rest = r.rest()
    guard rest.count == 2 || rest.count == 16 else {
        throw ATTDecodeError(type: at.type, reason: rest.count < 2 ? .truncated : .invalidLength, offset: at.offset,
                             expectedLength: at.offset + (rest.count < 2 ? 2 : 16), actualLength: at.input.count)
    }
    return try BluetoothUUID(littleEndian: rest)
}
