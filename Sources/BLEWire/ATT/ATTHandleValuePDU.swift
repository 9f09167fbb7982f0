// SPDX-License-Identifier: MIT

/// The PDUs whose parameters are an attribute handle followed by the whole attribute value:
/// ATT_HANDLE_VALUE_NTF, ATT_HANDLE_VALUE_IND, ATT_WRITE_REQ and ATT_WRITE_CMD (Core
/// Specification 5.4, Vol 3, Part F, 3.4.7.1, 3.4.7.2, 3.4.5.1, 3.4.5.3). Their decoding and
/// encoding are the same; each keeps its own type and opcode.
public protocol ATTHandleValuePDU: ATTPDU {
    var attributeHandle: UInt16 { get }
    var attributeValue: [UInt8] { get }
    init(attributeHandle: UInt16, attributeValue: [UInt8])
}

extension ATTHandleValuePDU {
    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        let handle = try r.uint16()
        self.init(attributeHandle: handle, attributeValue: Array(r.rest()))
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        buffer.appendLE(attributeHandle)
        buffer.append(contentsOf: attributeValue)
    }
}
