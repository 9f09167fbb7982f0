// SPDX-License-Identifier: MIT

/// ATT_HANDLE_VALUE_IND (Core Specification 5.4, Vol 3, Part F, 3.4.7.2): "sent by a server to a
/// client to indicate the value of an attribute."
///
/// "The client shall send an ATT_HANDLE_VALUE_CFM PDU in response to an ATT_HANDLE_VALUE_IND
/// PDU."
public struct ATTHandleValueIndication: ATTHandleValuePDU, Hashable {
    public static let opcode = ATTOpcode.handleValueIndication

    public var attributeHandle: UInt16
    public var attributeValue: [UInt8]

    public init(attributeHandle: UInt16, attributeValue: [UInt8]) {
        self.attributeHandle = attributeHandle
        self.attributeValue = attributeValue
    }

}
