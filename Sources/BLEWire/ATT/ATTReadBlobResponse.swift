// SPDX-License-Identifier: MIT

/// ATT_READ_BLOB_RSP (Core Specification 5.4, Vol 3, Part F, 3.4.4.6): "Part of the value of the
/// attribute with the handle given" (at most ATT_MTU − 1 octets).
public struct ATTReadBlobResponse: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.readBlobResponse

    public var partAttributeValue: [UInt8]

    public init(partAttributeValue: [UInt8]) { self.partAttributeValue = partAttributeValue }

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        partAttributeValue = Array(r.rest())
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        buffer.append(contentsOf: partAttributeValue)
    }
}
