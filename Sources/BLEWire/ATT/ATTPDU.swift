// SPDX-License-Identifier: MIT

/// One ATT protocol data unit: its opcode, a throwing decoder and an encoder.
///
/// The bytes are the whole PDU, opcode first, as one L2CAP SDU on the ATT fixed channel
/// (Core Specification 5.4, Vol 3, Part F, 3.3). All multi-octet fields are little-endian
/// (3.3: "Multi-octet fields within the attribute protocol shall be sent least significant
/// octet first (little-endian)").
public protocol ATTPDU: Sendable {
    /// The opcode that starts this PDU.
    static var opcode: ATTOpcode { get }

    /// Decodes a whole PDU, opcode included.
    ///
    /// - Parameter pdu: the PDU's bytes; indices need not start at zero.
    /// - Throws: ``ATTDecodeError`` naming the offset, the expected and the actual length.
    init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError)

    /// Appends the whole PDU, opcode included.
    func encode(into buffer: inout [UInt8])
}

extension ATTPDU {
    /// The encoded PDU as a new array.
    public var encoded: [UInt8] {
        var buffer: [UInt8] = []
        encode(into: &buffer)
        return buffer
    }

    /// Decodes from an array.
    public init(decoding pdu: [UInt8]) throws(ATTDecodeError) {
        try self.init(decoding: pdu[...])
    }

    static var typeName: String { String(describing: Self.self) }

    /// A reader positioned after this PDU's opcode, which it has checked.
    static func reader(_ pdu: ArraySlice<UInt8>) throws(ATTDecodeError) -> ByteReader {
        var reader = ByteReader(pdu, type: typeName)
        try reader.opcode(opcode)
        return reader
    }
}

/// Checks a handle range from a request: Vol 3, Part F, 3.4.3.1 and others: "If the Starting
/// Handle parameter is greater than the Ending Handle parameter or the Starting Handle is 0x0000,
/// an ATT_ERROR_RSP PDU shall be sent with the Error Code parameter set to Invalid Handle."
public func isValidHandleRange(start: UInt16, end: UInt16) -> Bool {
    start != 0 && start <= end
}
