// SPDX-License-Identifier: MIT

/// Why a PDU or an attribute value could not be decoded, and where.
///
/// Decoders never trap and never return a partial value: a malformed or truncated input is
/// this error, which says what was being decoded, the byte offset of the problem within the
/// input, how many bytes were needed and how many there were. Characteristic values are
/// attribute values, so the GATT profile decoders throw it too.
public struct ATTDecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Hashable, Sendable {
        /// The input ends before a field does.
        case truncated
        /// Bytes follow the last field although the format has no room for them.
        case trailingBytes
        /// The first octet is not this PDU's opcode.
        case unexpectedOpcode(expected: UInt8, actual: UInt8)
        /// A list's element length (or the input length) does not fit the format.
        case invalidLength
        /// A field holds a value the format does not allow; the text says which and why.
        case invalidValue(String)
    }

    /// The type being decoded (`ATTReadByTypeResponse`, `HeartRateMeasurement`, …).
    public var type: String
    public var reason: Reason
    /// The byte offset within the input where the problem is.
    public var offset: Int
    /// How many bytes the input needed (at least) for what was being read.
    public var expectedLength: Int
    /// How many bytes the input has.
    public var actualLength: Int

    public init(type: String, reason: Reason, offset: Int, expectedLength: Int, actualLength: Int) {
        self.type = type
        self.reason = reason
        self.offset = offset
        self.expectedLength = expectedLength
        self.actualLength = actualLength
    }

    public var description: String {
        let what: String = switch reason {
        case .truncated: "truncated: needs \(expectedLength) bytes, has \(actualLength)"
        case .trailingBytes: "\(actualLength - expectedLength) unexpected trailing byte(s) after \(expectedLength)"
        case let .unexpectedOpcode(expected, actual): "opcode 0x\(hex2(actual)), expected 0x\(hex2(expected))"
        case .invalidLength: "invalid length \(actualLength) (element or total length \(expectedLength))"
        case let .invalidValue(text): text
        }
        return "\(type): byte \(offset): \(what)"
    }
}

@inline(__always) func hex2(_ v: UInt8) -> String {
    let s = String(v, radix: 16)
    return s.count < 2 ? "0" + s : s
}
