// SPDX-License-Identifier: MIT

/// ATT_FIND_INFORMATION_REQ (Core Specification 5.4, Vol 3, Part F, 3.4.3.1): "used to obtain
/// the mapping of attribute handles with their associated types."
public struct ATTFindInformationRequest: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.findInformationRequest

    public var startingHandle: UInt16
    public var endingHandle: UInt16

    public init(startingHandle: UInt16, endingHandle: UInt16) {
        self.startingHandle = startingHandle
        self.endingHandle = endingHandle
    }

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        startingHandle = try r.uint16()
        endingHandle = try r.uint16()
        try r.finish()
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        buffer.appendLE(startingHandle)
        buffer.appendLE(endingHandle)
    }
}
