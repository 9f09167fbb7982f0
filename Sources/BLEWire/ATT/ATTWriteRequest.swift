// SPDX-License-Identifier: MIT

/// ATT_WRITE_REQ (Core Specification 5.4, Vol 3, Part F, 3.4.5.1): "used to request the server
/// to write the value of an attribute and acknowledge that this has been achieved in an
/// ATT_WRITE_RSP PDU." The value is at most ATT_MTU − 3 octets.
public struct ATTWriteRequest: ATTHandleValuePDU, Hashable {
    public static let opcode = ATTOpcode.writeRequest

    public var attributeHandle: UInt16
    public var attributeValue: [UInt8]

    public init(attributeHandle: UInt16, attributeValue: [UInt8]) {
        self.attributeHandle = attributeHandle
        self.attributeValue = attributeValue
    }

}
