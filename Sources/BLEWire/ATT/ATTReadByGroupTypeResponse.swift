// SPDX-License-Identifier: MIT

/// ATT_READ_BY_GROUP_TYPE_RSP (Core Specification 5.4, Vol 3, Part F, 3.4.4.10).
///
/// "Length: The size of each Attribute Data"; each Attribute Data is "Attribute Handle, End
/// Group Handle, Attribute Value", so the length is at least 4 and the list a whole number of
/// elements, at least one.
public struct ATTReadByGroupTypeResponse: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.readByGroupTypeResponse

    public struct AttributeData: Hashable, Sendable {
        public var attributeHandle: UInt16
        public var endGroupHandle: UInt16
        public var value: [UInt8]
        public init(attributeHandle: UInt16, endGroupHandle: UInt16, value: [UInt8]) {
            self.attributeHandle = attributeHandle
            self.endGroupHandle = endGroupHandle
            self.value = value
        }
    }

    public var attributeDataList: [AttributeData]

    /// - Precondition: every value has the same length.
    public init(attributeDataList: [AttributeData]) {
        self.attributeDataList = attributeDataList
    }

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        attributeDataList = try decodePairList(&r, headerLength: 4, type: Self.typeName) { (r: inout ByteReader, valueLength: Int) throws(ATTDecodeError) in
            AttributeData(attributeHandle: try r.uint16(), endGroupHandle: try r.uint16(),
                          value: Array(try r.bytes(valueLength)))
        }
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        buffer.append(UInt8(truncatingIfNeeded: 4 + (attributeDataList.first?.value.count ?? 0)))
        for data in attributeDataList {
            buffer.appendLE(data.attributeHandle)
            buffer.appendLE(data.endGroupHandle)
            buffer.append(contentsOf: data.value)
        }
    }
}
