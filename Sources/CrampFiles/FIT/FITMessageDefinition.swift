// SPDX-License-Identifier: MIT

/// One field of a definition message: which field, how many bytes, which base type.
public struct FITFieldDefinition: Hashable, Sendable {
    /// The field definition number (profile field number; 253 is `timestamp` in every message).
    public var number: UInt8
    /// Bytes of this field in each data message: one value of the base type, or an array.
    public var size: Int
    /// How the bytes encode values.
    public var baseType: FITBaseType
    /// Offset of the field from the first byte after the record header.
    public var offset: Int

    /// True if the field holds exactly one value of its base type.
    public var isScalar: Bool { size == baseType.size }
}

/// A definition message: the layout of the data messages of one local message type, until the
/// next definition of that local type (FIT SDK, "Definition Message").
///
/// ```
/// header byte  0b01D0_LLLL (D: developer fields follow, L: local message type 0–15)
/// byte 0       reserved
/// byte 1       architecture: 0 little endian, 1 big endian (of this type's data messages)
/// bytes 2–3    global message number, in that architecture
/// byte 4       number of fields, then 3 bytes per field: number, size, base type
/// (if D)       number of developer fields, then 3 bytes each: number, size, developer data index
/// ```
///
/// A class so that every data message shares its definition without copying the field list.
public final class FITMessageDefinition: Sendable {
    /// The local message type, 0–15.
    public let localType: UInt8
    /// The global message number (profile: 0 file_id, 18 session, 19 lap, 20 record, …).
    public let globalNumber: UInt16
    /// True if multi-byte values of these data messages are big endian.
    public let isBigEndian: Bool
    /// The fields, in data-message order.
    public let fields: [FITFieldDefinition]
    /// The number of developer fields (their bytes are skipped, not decoded).
    public let developerFieldCount: Int
    /// Bytes of a data message after its header byte: all fields plus developer fields.
    public let contentSize: Int
    /// Where the definition message starts in the file.
    public let byteOffset: Int
    /// Field number → index into ``fields`` (−1: absent): O(1) lookup for every value read.
    let slots: [Int16]
    /// Index of the `timestamp` field (253) if it is a 4-byte scalar, else −1.
    let timestampSlot: Int

    init(localType: UInt8, globalNumber: UInt16, isBigEndian: Bool, fields: [FITFieldDefinition],
         developerFieldCount: Int, developerBytes: Int, byteOffset: Int) {
        self.localType = localType
        self.globalNumber = globalNumber
        self.isBigEndian = isBigEndian
        self.fields = fields
        self.developerFieldCount = developerFieldCount
        self.contentSize = fields.reduce(0) { $0 + $1.size } + developerBytes
        self.byteOffset = byteOffset
        var slots = [Int16](repeating: -1, count: 256)
        for (i, f) in fields.enumerated() where slots[Int(f.number)] < 0 { slots[Int(f.number)] = Int16(i) }
        self.slots = slots
        let t = Int(slots[Int(FITProfile.timestampField)])
        timestampSlot = t >= 0 && fields[t].size == 4 && fields[t].baseType.size == 4 && !fields[t].baseType.isFloat ? t : -1
    }

    /// The definition of field `number`, if this message type has it.
    public func field(_ number: UInt8) -> FITFieldDefinition? {
        let i = Int(slots[Int(number)])
        return i >= 0 ? fields[i] : nil
    }
}
