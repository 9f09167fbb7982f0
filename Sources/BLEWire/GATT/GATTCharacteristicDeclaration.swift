// SPDX-License-Identifier: MIT

/// Characteristic Properties (Core Specification 5.4, Vol 3, Part G, 3.3.1.1, Table 3.5).
public struct GATTCharacteristicProperties: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let broadcast = Self(rawValue: 0x01)
    public static let read = Self(rawValue: 0x02)
    public static let writeWithoutResponse = Self(rawValue: 0x04)
    public static let write = Self(rawValue: 0x08)
    public static let notify = Self(rawValue: 0x10)
    public static let indicate = Self(rawValue: 0x20)
    public static let authenticatedSignedWrites = Self(rawValue: 0x40)
    public static let extendedProperties = Self(rawValue: 0x80)
}

/// The value of a «Characteristic» declaration (Vol 3, Part G, 3.3.1, Table 3.4): Characteristic
/// Properties (1 octet), Characteristic Value Handle (2), Characteristic UUID (2 or 16).
///
/// This is what each element of an ATT_READ_BY_TYPE_RSP carries during Discover All
/// Characteristics of a Service (4.6.1).
public struct GATTCharacteristicDeclaration: Hashable, Sendable {
    public var properties: GATTCharacteristicProperties
    public var valueHandle: UInt16
    public var uuid: BluetoothUUID

    public init(properties: GATTCharacteristicProperties, valueHandle: UInt16, uuid: BluetoothUUID) {
        self.properties = properties
        self.valueHandle = valueHandle
        self.uuid = uuid
    }

    /// - Throws: ``ATTDecodeError`` unless the value is 5 or 19 octets.
    public init(decoding value: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = ByteReader(value, type: "GATTCharacteristicDeclaration")
        properties = GATTCharacteristicProperties(rawValue: try r.uint8())
        valueHandle = try r.uint16()
        let rest = r.rest()
        guard rest.count == 2 || rest.count == 16 else {
            throw ATTDecodeError(type: "GATTCharacteristicDeclaration", reason: rest.count < 2 ? .truncated : .invalidLength,
                                 offset: 3, expectedLength: rest.count < 2 ? 5 : 19, actualLength: value.count)
        }
        uuid = try BluetoothUUID(littleEndian: rest)
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(properties.rawValue)
        buffer.appendLE(valueHandle)
        uuid.encode(into: &buffer)
    }
}
