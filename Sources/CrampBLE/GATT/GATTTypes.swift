// SPDX-License-Identifier: MIT
import BLEWire

/// A primary service found by discovery: its UUID and its handle range.
public struct GATTService: Hashable, Sendable {
    public var uuid: BluetoothUUID
    /// The service declaration's handle.
    public var startHandle: UInt16
    /// The last handle of the service's group.
    public var endHandle: UInt16

    public init(uuid: BluetoothUUID, startHandle: UInt16, endHandle: UInt16) {
        self.uuid = uuid
        self.startHandle = startHandle
        self.endHandle = endHandle
    }
}

/// A characteristic found by discovery.
public struct GATTCharacteristic: Hashable, Sendable {
    public var uuid: BluetoothUUID
    public var properties: GATTCharacteristicProperties
    /// The characteristic declaration's handle.
    public var declarationHandle: UInt16
    /// The handle of the value (what notifications name).
    public var valueHandle: UInt16
    /// The last handle of the characteristic's definition (its descriptors lie in
    /// `valueHandle + 1 ... endHandle`).
    public var endHandle: UInt16

    public init(uuid: BluetoothUUID, properties: GATTCharacteristicProperties, declarationHandle: UInt16,
                valueHandle: UInt16, endHandle: UInt16) {
        self.uuid = uuid
        self.properties = properties
        self.declarationHandle = declarationHandle
        self.valueHandle = valueHandle
        self.endHandle = endHandle
    }
}

/// A characteristic descriptor found by discovery.
public struct GATTDescriptor: Hashable, Sendable {
    public var uuid: BluetoothUUID
    public var handle: UInt16

    public init(uuid: BluetoothUUID, handle: UInt16) {
        self.uuid = uuid
        self.handle = handle
    }
}

/// Why a GATT procedure failed.
public enum GATTError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The peer answered with an ATT Error Response.
    case errorResponse(ATTErrorResponse)
    /// The peer's response could not be decoded.
    case malformedResponse(ATTDecodeError)
    /// The response decoded but breaks the procedure (handles out of range or not increasing,
    /// a declaration that is not one): the procedure stops rather than loop.
    case invalidResponse(String)
    /// The bearer failed: link down, timeout, mismatched response.
    case bearer(ATTBearerError)
    /// The characteristic has no Client Characteristic Configuration descriptor.
    case noClientCharacteristicConfiguration(valueHandle: UInt16)

    public var description: String {
        switch self {
        case let .errorResponse(error):
            "error response \(error.errorCode) to request 0x\(hex(error.requestOpcode)) at handle 0x\(String(error.attributeHandle, radix: 16))"
        case let .malformedResponse(error): "malformed response: \(error)"
        case let .invalidResponse(text): "invalid response: \(text)"
        case let .bearer(error): "\(error)"
        case let .noClientCharacteristicConfiguration(handle): "characteristic 0x\(String(handle, radix: 16)) has no CCCD"
        }
    }
}

/// A whole discovered database: services, their characteristics and descriptors.
public struct GATTDatabase: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public var service: GATTService
        public var characteristics: [(GATTCharacteristic, [GATTDescriptor])]

        public static func == (a: Entry, b: Entry) -> Bool {
            a.service == b.service && a.characteristics.count == b.characteristics.count
                && zip(a.characteristics, b.characteristics).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(service)
            for (c, d) in characteristics {
                hasher.combine(c)
                hasher.combine(d)
            }
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The first characteristic with this UUID, in the first service with `service` if given.
    public func characteristic(_ uuid: BluetoothUUID, in service: BluetoothUUID? = nil) -> GATTCharacteristic? {
        for entry in entries where service == nil || entry.service.uuid == service {
            if let found = entry.characteristics.first(where: { $0.0.uuid == uuid }) { return found.0 }
        }
        return nil
    }

    /// The descriptors of a characteristic.
    public func descriptors(of characteristic: GATTCharacteristic) -> [GATTDescriptor] {
        for entry in entries {
            if let found = entry.characteristics.first(where: { $0.0 == characteristic }) { return found.1 }
        }
        return []
    }
}
