// SPDX-License-Identifier: MIT

/// ATT_FIND_INFORMATION_RSP (Core Specification 5.4, Vol 3, Part F, 3.4.3.2).
///
/// "Format: 0x01 = A list of 1 or more handles with their 16-bit Bluetooth UUIDs; 0x02 = A list
/// of 1 or more handles with their 128-bit UUIDs." Every element of one response has the same
/// format, so the Information Data length must be a whole number of 4- or 18-octet elements.
public struct ATTFindInformationResponse: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.findInformationResponse

    /// One handle and the type of the attribute it names.
    public struct Element: Hashable, Sendable {
        public var handle: UInt16
        public var type: BluetoothUUID
        public init(handle: UInt16, type: BluetoothUUID) {
            self.handle = handle
            self.type = type
        }
    }

    /// The UUID width of every element.
    public enum Format: UInt8, Hashable, Sendable {
        case uuid16 = 0x01
        case uuid128 = 0x02
        var uuidLength: Int { self == .uuid16 ? 2 : 16 }
    }

    public var format: Format
    public var elements: [Element]

    /// - Precondition: every element's UUID fits `format` (a 128-bit format may carry any UUID).
    public init(format: Format, elements: [Element]) {
        self.format = format
        self.elements = elements
    }

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        let formatAt = r
        let rawFormat = try r.uint8()
        guard let format = Format(rawValue: rawFormat) else {
            throw formatAt.error(.invalidValue("format 0x\(hex2(rawFormat)) is neither 0x01 nor 0x02"), needing: 1)
        }
        self.format = format
        let elementLength = 2 + format.uuidLength
        guard r.remaining >= elementLength else { throw r.error(.truncated, needing: elementLength) }
        guard r.remaining % elementLength == 0 else {
            throw ATTDecodeError(type: Self.typeName, reason: .invalidLength, offset: r.offset,
                                 expectedLength: elementLength, actualLength: pdu.count)
        }
        elements = []
        elements.reserveCapacity(r.remaining / elementLength)
        while !r.isAtEnd {
            let handle = try r.uint16()
            let type = try BluetoothUUID(littleEndian: try r.bytes(format.uuidLength))
            elements.append(Element(handle: handle, type: type))
        }
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        buffer.append(format.rawValue)
        for element in elements {
            buffer.appendLE(element.handle)
            if format == .uuid16 { element.type.encode(into: &buffer) } else { element.type.encode128(into: &buffer) }
        }
    }
}
