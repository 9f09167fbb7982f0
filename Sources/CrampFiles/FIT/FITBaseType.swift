// SPDX-License-Identifier: MIT

/// A FIT base type: how a field's bytes encode its values, and which value means "invalid".
///
/// The field definition's base-type byte holds the type number in its low 5 bits and the
/// "endian ability" flag in bit 7 (FIT SDK, "Base Types"); only the number decides the
/// decoding, so `0x84` and `0x04` are both uint16. Numbers above 16 are not FIT types.
public struct FITBaseType: Hashable, Sendable, CustomStringConvertible {
    /// The byte from the field definition, flag included.
    public let rawValue: UInt8

    /// The base type number (0…16).
    public var number: Int { Int(rawValue & 0x1F) }

    /// A base type from a field definition byte, or `nil` if its number is not defined.
    public init?(rawValue: UInt8) {
        guard Int(rawValue & 0x1F) < Self.sizes.count else { return nil }
        self.rawValue = rawValue
    }

    /// Bytes per value: 1, 2, 4 or 8.
    public var size: Int { Self.sizes[number] }

    /// The SDK's name (`uint16`, `sint32`, `float32`, …).
    public var name: String { Self.names[number] }

    public var description: String { name }

    /// True for the signed integer types.
    var isSigned: Bool { number == 1 || number == 3 || number == 5 || number == 14 }

    /// True for float32 and float64.
    var isFloat: Bool { number == 8 || number == 9 }

    /// True for the string type (null-terminated UTF-8, invalid if empty).
    var isString: Bool { number == 7 }

    /// The raw bit pattern that means "no value" (FIT SDK base type table), zero-extended to 64
    /// bits; for the `z` types it is 0.
    var invalidPattern: UInt64 { Self.invalid[number] }

    // Indexed by base type number: enum, sint8, uint8, sint16, uint16, sint32, uint32, string,
    // float32, float64, uint8z, uint16z, uint32z, byte, sint64, uint64, uint64z.
    static let sizes = [1, 1, 1, 2, 2, 4, 4, 1, 4, 8, 1, 2, 4, 1, 8, 8, 8]
    static let names = ["enum", "sint8", "uint8", "sint16", "uint16", "sint32", "uint32", "string",
                        "float32", "float64", "uint8z", "uint16z", "uint32z", "byte", "sint64", "uint64", "uint64z"]
    static let invalid: [UInt64] = [0xFF, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x00,
                                    0xFFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0x00, 0x0000, 0x0000_0000, 0xFF,
                                    0x7FFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0]
}
