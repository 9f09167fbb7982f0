// SPDX-License-Identifier: MIT

/// ATT_WRITE_CMD (Core Specification 5.4, Vol 3, Part F, 3.4.5.3): a write without response.
///
/// A peer may send it to crampd's minimal server, which ignores it: "If the server cannot
/// write this attribute for any reason the command shall be ignored."
public struct ATTWriteCommand: ATTHandleValuePDU, Hashable {
    public static let opcode = ATTOpcode.writeCommand

    public var attributeHandle: UInt16
    public var attributeValue: [UInt8]

    public init(attributeHandle: UInt16, attributeValue: [UInt8]) {
        self.attributeHandle = attributeHandle
        self.attributeValue = attributeValue
    }

}
