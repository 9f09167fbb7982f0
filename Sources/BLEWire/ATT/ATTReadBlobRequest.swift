// SPDX-License-Identifier: MIT

/// ATT_READ_BLOB_REQ (Core Specification 5.4, Vol 3, Part F, 3.4.4.5): "used to request the
/// server to read part of the value of an attribute at a given offset".
///
/// crampd's minimal server answers it for its Device Name (a peer reads long values with it).
public struct ATTReadBlobRequest: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.readBlobRequest

    public var attributeHandle: UInt16
    public var valueOffset: UInt16

    public init(attributeHandle: UInt16, valueOffset: UInt16) {
        self.attributeHandle = attributeHandle
        self.valueOffset = valueOffset
    }

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        attributeHandle = try r.uint16()
        valueOffset = try r.uint16()
        try r.finish()
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        buffer.appendLE(attributeHandle)
        buffer.appendLE(valueOffset)
    }
}
