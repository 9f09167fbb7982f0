// SPDX-License-Identifier: MIT

/// ATT_FIND_BY_TYPE_VALUE_REQ (Core Specification 5.4, Vol 3, Part F, 3.4.3.3): "used to obtain
/// the handles of attributes that have a 16-bit UUID attribute type and attribute value."
///
/// crampd never sends it; a peer acting as GATT client does (Discover Primary Service by Service
/// UUID), and crampd's minimal server answers it.
public struct ATTFindByTypeValueRequest: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.findByTypeValueRequest

    public var startingHandle: UInt16
    public var endingHandle: UInt16
    /// "2 octet UUID to find".
    public var attributeType: UInt16
    /// "Attribute value to find" (0 to ATT_MTU − 7 octets).
    public var attributeValue: [UInt8]

    public init(startingHandle: UInt16, endingHandle: UInt16, attributeType: UInt16, attributeValue: [UInt8]) {
        self.startingHandle = startingHandle
        self.endingHandle = endingHandle
        self.attributeType = attributeType
        self.attributeValue = attributeValue
    }

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        startingHandle = try r.uint16()
        endingHandle = try r.uint16()
        attributeType = try r.uint16()
        attributeValue = Array(r.rest())
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        buffer.appendLE(startingHandle)
        buffer.appendLE(endingHandle)
        buffer.appendLE(attributeType)
        buffer.append(contentsOf: attributeValue)
    }
}
