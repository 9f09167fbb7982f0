// SPDX-License-Identifier: MIT

/// ATT_HANDLE_VALUE_CFM (Core Specification 5.4, Vol 3, Part F, 3.4.7.3): the opcode alone,
/// "sent in response to a received ATT_HANDLE_VALUE_IND PDU".
public struct ATTHandleValueConfirmation: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.handleValueConfirmation

    public init() {}

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        let r = try Self.reader(pdu)
        try r.finish()
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
    }
}
