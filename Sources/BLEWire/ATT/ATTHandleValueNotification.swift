// SPDX-License-Identifier: MIT

/// ATT_HANDLE_VALUE_NTF (Core Specification 5.4, Vol 3, Part F, 3.4.7.1): "sent by a server to a
/// client to notify the client of the value of an attribute."
///
/// "If the attribute value is longer than (ATT_MTU-3) octets, then only the first (ATT_MTU-3)
/// octets of this attribute value can be sent in a notification." The value may be empty.
public struct ATTHandleValueNotification: ATTHandleValuePDU, Hashable {
    public static let opcode = ATTOpcode.handleValueNotification

    public var attributeHandle: UInt16
    public var attributeValue: [UInt8]

    public init(attributeHandle: UInt16, attributeValue: [UInt8]) {
        self.attributeHandle = attributeHandle
        self.attributeValue = attributeValue
    }

}
