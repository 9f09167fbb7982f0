// SPDX-License-Identifier: MIT

/// ATT_ERROR_RSP (Core Specification 5.4, Vol 3, Part F, 3.4.1.1): "used to state that a given
/// request cannot be performed, and to provide the reason."
///
/// Fixed length: opcode, Request Opcode In Error, Attribute Handle In Error, Error Code (5 bytes).
public struct ATTErrorResponse: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.errorResponse

    /// "The request that generated this ATT_ERROR_RSP PDU" (the raw octet: the request may be
    /// one this implementation does not know).
    public var requestOpcode: UInt8
    /// "The attribute handle that generated this ATT_ERROR_RSP PDU"; 0x0000 when no handle applies.
    public var attributeHandle: UInt16
    public var errorCode: ATTErrorCode

    public init(requestOpcode: UInt8, attributeHandle: UInt16, errorCode: ATTErrorCode) {
        self.requestOpcode = requestOpcode
        self.attributeHandle = attributeHandle
        self.errorCode = errorCode
    }

    public init(request: ATTOpcode, attributeHandle: UInt16, errorCode: ATTErrorCode) {
        self.init(requestOpcode: request.rawValue, attributeHandle: attributeHandle, errorCode: errorCode)
    }

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        requestOpcode = try r.uint8()
        attributeHandle = try r.uint16()
        errorCode = ATTErrorCode(rawValue: try r.uint8())
        try r.finish()
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        buffer.append(requestOpcode)
        buffer.appendLE(attributeHandle)
        buffer.append(errorCode.rawValue)
    }
}
