// SPDX-License-Identifier: MIT

/// ATT_WRITE_RSP (Core Specification 5.4, Vol 3, Part F, 3.4.5.2): the opcode alone, "sent in
/// reply to a valid ATT_WRITE_REQ PDU".
public struct ATTWriteResponse: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.writeResponse

    public init() {}

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        let r = try Self.reader(pdu)
        try r.finish()
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
    }
}
