// SPDX-License-Identifier: MIT

/// ATT_READ_BY_TYPE_RSP (Core Specification 5.4, Vol 3, Part F, 3.4.4.2).
///
/// "Length: The size of each attribute handle-value pair"; "Attribute Data List: A list of
/// Attribute Data." Every pair has the same length, which includes the 2-octet handle, so the
/// length is at least 2 and the list a whole number of pairs, at least one.
public struct ATTReadByTypeResponse: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.readByTypeResponse

    public struct AttributeData: Hashable, Sendable {
        public var handle: UInt16
        public var value: [UInt8]
        public init(handle: UInt16, value: [UInt8]) {
            self.handle = handle
            self.value = value
        }
    }

    public var attributeDataList: [AttributeData]

    /// - Precondition: every value has the same length (at most 253 octets).
    public init(attributeDataList: [AttributeData]) {
        self.attributeDataList = attributeDataList
    }

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        attributeDataList = try decodePairList(&r, headerLength: 2, type: Self.typeName) { (r: inout ByteReader, valueLength: Int) throws(ATTDecodeError) in
            AttributeData(handle: try r.uint16(), value: Array(try r.bytes(valueLength)))
        }
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        buffer.append(UInt8(truncatingIfNeeded: 2 + (attributeDataList.first?.value.count ?? 0)))
        for data in attributeDataList {
            buffer.appendLE(data.handle)
            buffer.append(contentsOf: data.value)
        }
    }
}

/// Decodes `length` octet + a list of equal-length elements, each `headerLength` octets of
/// handles followed by a value (the shape of Read By Type and Read By Group Type responses).
func decodePairList<Element>(
    _ r: inout ByteReader, headerLength: Int, type: String,
    element: (inout ByteReader, Int) throws(ATTDecodeError) -> Element
) throws(ATTDecodeError) -> [Element] {
    let lengthAt = r
    let length = Int(try r.uint8())
    guard length >= headerLength else {
        throw lengthAt.error(.invalidValue("element length \(length) is shorter than its \(headerLength) handle octets"),
                             needing: 1)
    }
    guard r.remaining >= length else { throw r.error(.truncated, needing: length) }
    guard r.remaining % length == 0 else {
        throw ATTDecodeError(type: type, reason: .invalidLength, offset: r.offset, expectedLength: length,
                             actualLength: r.input.count)
    }
    var list: [Element] = []
    list.reserveCapacity(r.remaining / length)
    while !r.isAtEnd {
        list.append(try element(&r, length - headerLength))
    }
    return list
}
