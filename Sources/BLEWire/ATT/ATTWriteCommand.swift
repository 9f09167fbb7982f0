// SPDX-License-Identifier: MIT

/// ATT_WRITE_CMD (Core Specification 5.4, Vol 3, Part F, 3.4.5.3): a write without response.
///
/// A peer may send it to crampd's minimal server, which ignores it: "If the server cannot
/// write this attribute for any reason the command shall be ignored."
public struct ATTWriteCommand: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.writeCommand

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
