// SPDX-License-Identifier: MIT

/// ATT_READ_BY_GROUP_TYPE_REQ (Core Specification 5.4, Vol 3, Part F, 3.4.4.9): "used to obtain
/// the values of attributes where the attribute type is known, the type of a grouping attribute
/// as defined by a higher layer specification, but the handle is not known."
///
/// GATT's Discover All Primary Services (Vol 3, Part G, 4.4.1) sends it with the type
/// «Primary Service» (0x2800).
public struct ATTReadByGroupTypeRequest: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.readByGroupTypeRequest

    public var startingHandle: UInt16
    public var endingHandle: UInt16
    public var attributeGroupType: BluetoothUUID

    public init(startingHandle: UInt16, endingHandle: UInt16, attributeGroupType: BluetoothUUID) {
        self.startingHandle = startingHandle
        self.endingHandle = endingHandle
        self.attributeGroupType = attributeGroupType
    }

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        startingHandle = try r.uint16()
        endingHandle = try r.uint16()
        attributeGroupType = try decodeAttributeType(&r)
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        buffer.appendLE(startingHandle)
        buffer.appendLE(endingHandle)
        attributeGroupType.encode(into: &buffer)
    }
}
