// SPDX-License-Identifier: MIT

/// Little-endian field reads over a slice, each checked against the remaining length.
///
/// Offsets reported in errors are relative to the start of the slice, whatever its indices,
/// so an error means the same for a PDU read from a socket buffer and for a copied array.
struct ByteReader {
    let input: ArraySlice<UInt8>
    let type: String
    private(set) var position: Int

    init(_ bytes: ArraySlice<UInt8>, type: String) {
        self.input = bytes
        self.type = type
        self.position = bytes.startIndex
    }

    /// The offset of the next unread byte from the start of the input.
    var offset: Int { position - input.startIndex }
    var remaining: Int { input.endIndex - position }
    var isAtEnd: Bool { position == input.endIndex }

    func error(_ reason: ATTDecodeError.Reason, needing count: Int = 0) -> ATTDecodeError {
        ATTDecodeError(type: type, reason: reason, offset: offset, expectedLength: offset + count,
                       actualLength: input.count)
    }

    private mutating func take(_ count: Int) throws(ATTDecodeError) -> Int {
        guard remaining >= count else { throw error(.truncated, needing: count) }
        let start = position
        position += count
        return start
    }

    mutating func uint8() throws(ATTDecodeError) -> UInt8 {
        input[try take(1)]
    }

    mutating func int8() throws(ATTDecodeError) -> Int8 {
        Int8(bitPattern: try uint8())
    }

    mutating func uint16() throws(ATTDecodeError) -> UInt16 {
        let i = try take(2)
        return UInt16(input[i]) | UInt16(input[i + 1]) << 8
    }

    mutating func int16() throws(ATTDecodeError) -> Int16 {
        Int16(bitPattern: try uint16())
    }

    mutating func uint32() throws(ATTDecodeError) -> UInt32 {
        let i = try take(4)
        return UInt32(input[i]) | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2]) << 16 | UInt32(input[i + 3]) << 24
    }

    mutating func bytes(_ count: Int) throws(ATTDecodeError) -> ArraySlice<UInt8> {
        let i = try take(count)
        return input[i ..< i + count]
    }

    mutating func rest() -> ArraySlice<UInt8> {
        defer { position = input.endIndex }
        return input[position...]
    }

    /// Reads and checks the opcode octet.
    mutating func opcode(_ expected: ATTOpcode) throws(ATTDecodeError) {
        let at = self
        let raw = try uint8()
        guard raw == expected.rawValue else {
            throw at.error(.unexpectedOpcode(expected: expected.rawValue, actual: raw), needing: 1)
        }
    }

    /// Requires that nothing follows.
    func finish() throws(ATTDecodeError) {
        guard isAtEnd else {
            throw ATTDecodeError(type: type, reason: .trailingBytes, offset: offset, expectedLength: offset,
                                 actualLength: input.count)
        }
    }
}

extension Array where Element == UInt8 {
    @inline(__always) mutating func appendLE(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    @inline(__always) mutating func appendLE(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 24))
    }
}
