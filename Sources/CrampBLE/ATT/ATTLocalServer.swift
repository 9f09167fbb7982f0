// SPDX-License-Identifier: MIT
import BLEWire

/// The minimal GATT server crampd shows its peers: a Generic Access service with Device Name and
/// Appearance, and an empty Generic Attribute service.
///
/// Why it exists: a BlueZ peripheral is also a GATT client. Right after the connection it sends
/// its own Exchange MTU and discovery requests to crampd, and an unanswered request hits its
/// 30 s ATT timeout and drops the link (docs/BLE.md). Core 5.4, Vol 3, Part G, 7: "All GATT
/// servers shall contain the GAP service" — so crampd serves exactly that, read-only, and
/// answers everything else with the error the specification prescribes.
///
/// Pure: bytes of one request in, bytes of one response out. The same server, given another
/// attribute table with writable attributes (Client Characteristic Configuration
/// descriptors), is what crampd's simulated sensors serve.
public struct ATTLocalServer: Sendable {
    /// One attribute: its handle, type, value and whether the peer may write it.
    public struct Attribute: Sendable {
        public var handle: UInt16
        public var type: BluetoothUUID
        public var value: [UInt8]
        /// For service declarations: the last handle of the group.
        public var groupEnd: UInt16?
        /// Whether Write Requests and Write Commands change the value (else "Write Not
        /// Permitted").
        public var isWritable: Bool

        public init(handle: UInt16, type: BluetoothUUID, value: [UInt8], groupEnd: UInt16? = nil, isWritable: Bool = false) {
            self.handle = handle
            self.type = type
            self.value = value
            self.groupEnd = groupEnd
            self.isWritable = isWritable
        }
    }

    public private(set) var attributes: [Attribute]

    /// A server for this attribute table (handles increasing, service declarations with their
    /// group end).
    public init(attributes: [Attribute]) {
        self.attributes = attributes
    }

    /// The value at `handle`.
    public func value(at handle: UInt16) -> [UInt8]? { attribute(handle)?.value }

    /// Replaces the value at `handle` (a sensor updating its battery level).
    public mutating func setValue(_ value: [UInt8], at handle: UInt16) {
        if let k = attributes.firstIndex(where: { $0.handle == handle }) { attributes[k].value = value }
    }

    /// Applies a Write Command (no response): the value changes if the attribute is writable.
    ///
    /// - Returns: whether it changed.
    @discardableResult
    public mutating func apply(command pdu: ArraySlice<UInt8>) -> Bool {
        guard let command = try? ATTWriteCommand(decoding: pdu),
              let k = attributes.firstIndex(where: { $0.handle == command.attributeHandle }), attributes[k].isWritable else {
            return false
        }
        attributes[k].value = command.attributeValue
        return true
    }

    /// The attribute table: handles 1–5 Generic Access (Device Name at 3, Appearance at 5),
    /// handle 6 Generic Attribute.
    ///
    /// - Parameter deviceName: the Device Name value (UTF-8), `crampd` by default.
    public init(deviceName: String = "crampd") {
        func declaration(_ valueHandle: UInt16, _ uuid: BluetoothUUID) -> [UInt8] {
            var value: [UInt8] = []
            GATTCharacteristicDeclaration(properties: .read, valueHandle: valueHandle, uuid: uuid).encode(into: &value)
            return value
        }
        attributes = [
            Attribute(handle: 1, type: .primaryService, value: [0x00, 0x18], groupEnd: 5),
            Attribute(handle: 2, type: .characteristic, value: declaration(3, .deviceName)),
            Attribute(handle: 3, type: .deviceName, value: Array(deviceName.utf8)),
            Attribute(handle: 4, type: .characteristic, value: declaration(5, .appearance)),
            // Appearance 0x0000: "Unknown" (Assigned Numbers, 2.6).
            Attribute(handle: 5, type: .appearance, value: [0x00, 0x00]),
            Attribute(handle: 6, type: .primaryService, value: [0x01, 0x18], groupEnd: 6),
        ]
    }

    /// The response to one request PDU from the peer, at most `mtu` octets.
    ///
    /// Requests this server does not implement (Prepare/Execute Write, Read Multiple, unknown
    /// opcodes without the command flag) get "Request Not Supported"; a request that cannot be
    /// decoded gets "Invalid PDU". Exchange MTU is the bearer's business, not this server's.
    ///
    /// - Returns: the response PDU.
    public mutating func respond(to pdu: ArraySlice<UInt8>, mtu: Int) -> [UInt8] {
        guard let raw = pdu.first else { return [] }
        let response: any ATTPDU
        do {
            switch ATTOpcode(rawValue: raw) {
            case .readByGroupTypeRequest:
                response = readByGroupType(try ATTReadByGroupTypeRequest(decoding: pdu), mtu: mtu)
            case .readByTypeRequest:
                response = readByType(try ATTReadByTypeRequest(decoding: pdu), mtu: mtu)
            case .findInformationRequest:
                response = findInformation(try ATTFindInformationRequest(decoding: pdu), mtu: mtu)
            case .findByTypeValueRequest:
                response = findByTypeValue(try ATTFindByTypeValueRequest(decoding: pdu), mtu: mtu)
            case .readRequest:
                let request = try ATTReadRequest(decoding: pdu)
                if let attribute = attribute(request.attributeHandle) {
                    // Vol 3, Part F, 3.4.4.4: only the first (ATT_MTU-1) octets.
                    response = ATTReadResponse(attributeValue: Array(attribute.value.prefix(mtu - 1)))
                } else {
                    response = error(raw, request.attributeHandle, .invalidHandle)
                }
            case .readBlobRequest:
                let request = try ATTReadBlobRequest(decoding: pdu)
                if let attribute = attribute(request.attributeHandle) {
                    let offset = Int(request.valueOffset)
                    // 3.4.4.5: "If the Value Offset of the Read Blob Request is greater than the
                    // length of the attribute value, an ATT_ERROR_RSP PDU shall be sent with
                    // the Error Code parameter set to Invalid Offset."
                    response = offset > attribute.value.count
                        ? error(raw, request.attributeHandle, .invalidOffset)
                        : ATTReadBlobResponse(partAttributeValue: Array(attribute.value[offset...].prefix(mtu - 1)))
                } else {
                    response = error(raw, request.attributeHandle, .invalidHandle)
                }
            case .writeRequest:
                let request = try ATTWriteRequest(decoding: pdu)
                if let k = attributes.firstIndex(where: { $0.handle == request.attributeHandle }), attributes[k].isWritable {
                    attributes[k].value = request.attributeValue
                    response = ATTWriteResponse()
                } else {
                    response = error(raw, request.attributeHandle,
                                     attribute(request.attributeHandle) == nil ? .invalidHandle : .writeNotPermitted)
                }
            default:
                // BlueZ `respond_not_supported`: handle 0x0000, "Request Not Supported".
                response = error(raw, 0, .requestNotSupported)
            }
        } catch {
            response = self.error(raw, 0, .invalidPDU)
        }
        return response.encoded
    }

    private func attribute(_ handle: UInt16) -> Attribute? {
        attributes.first { $0.handle == handle }
    }

    private func error(_ request: UInt8, _ handle: UInt16, _ code: ATTErrorCode) -> ATTErrorResponse {
        ATTErrorResponse(requestOpcode: request, attributeHandle: handle, errorCode: code)
    }

    private func inRange(_ start: UInt16, _ end: UInt16) -> ArraySlice<Attribute> {
        attributes.filter { $0.handle >= start && $0.handle <= end }[...]
    }

    private func readByGroupType(_ request: ATTReadByGroupTypeRequest, mtu: Int) -> any ATTPDU {
        let raw = ATTOpcode.readByGroupTypeRequest.rawValue
        guard isValidHandleRange(start: request.startingHandle, end: request.endingHandle) else {
            return error(raw, request.startingHandle, .invalidHandle)
        }
        guard request.attributeGroupType == .primaryService || request.attributeGroupType == .secondaryService else {
            return error(raw, request.startingHandle, .unsupportedGroupType)
        }
        let found = inRange(request.startingHandle, request.endingHandle).filter { $0.type == request.attributeGroupType }
        guard let first = found.first else { return error(raw, request.startingHandle, .attributeNotFound) }
        // 3.4.4.10: all elements have the same length; as many as fit ATT_MTU − 2.
        let length = first.value.count
        let capacity = (mtu - 2) / (4 + length)
        let list = found.prefix { $0.value.count == length }.prefix(capacity).map {
            ATTReadByGroupTypeResponse.AttributeData(attributeHandle: $0.handle, endGroupHandle: $0.groupEnd ?? $0.handle,
                                                     value: $0.value)
        }
        return ATTReadByGroupTypeResponse(attributeDataList: list)
    }

    private func readByType(_ request: ATTReadByTypeRequest, mtu: Int) -> any ATTPDU {
        let raw = ATTOpcode.readByTypeRequest.rawValue
        guard isValidHandleRange(start: request.startingHandle, end: request.endingHandle) else {
            return error(raw, request.startingHandle, .invalidHandle)
        }
        let found = inRange(request.startingHandle, request.endingHandle).filter { $0.type == request.attributeType }
        guard let first = found.first else { return error(raw, request.startingHandle, .attributeNotFound) }
        // 3.4.4.2: a value longer than min(ATT_MTU − 4, 253) is truncated to that length.
        let length = min(first.value.count, mtu - 4, 253)
        let capacity = (mtu - 2) / (2 + length)
        let list = found.prefix { min($0.value.count, mtu - 4, 253) == length }.prefix(capacity).map {
            ATTReadByTypeResponse.AttributeData(handle: $0.handle, value: Array($0.value.prefix(length)))
        }
        return ATTReadByTypeResponse(attributeDataList: list)
    }

    private func findInformation(_ request: ATTFindInformationRequest, mtu: Int) -> any ATTPDU {
        let raw = ATTOpcode.findInformationRequest.rawValue
        guard isValidHandleRange(start: request.startingHandle, end: request.endingHandle) else {
            return error(raw, request.startingHandle, .invalidHandle)
        }
        let found = inRange(request.startingHandle, request.endingHandle)
        guard let first = found.first else { return error(raw, request.startingHandle, .attributeNotFound) }
        let format: ATTFindInformationResponse.Format = first.type.uuid16 == nil ? .uuid128 : .uuid16
        let capacity = (mtu - 2) / (format == .uuid16 ? 4 : 18)
        let list = found.prefix { ($0.type.uuid16 == nil) == (format == .uuid128) }.prefix(capacity).map {
            ATTFindInformationResponse.Element(handle: $0.handle, type: $0.type)
        }
        return ATTFindInformationResponse(format: format, elements: list)
    }

    private func findByTypeValue(_ request: ATTFindByTypeValueRequest, mtu: Int) -> any ATTPDU {
        let raw = ATTOpcode.findByTypeValueRequest.rawValue
        guard isValidHandleRange(start: request.startingHandle, end: request.endingHandle) else {
            return error(raw, request.startingHandle, .invalidHandle)
        }
        let type = BluetoothUUID(request.attributeType)
        let found = inRange(request.startingHandle, request.endingHandle).filter {
            $0.type == type && $0.value == request.attributeValue
        }
        guard !found.isEmpty else { return error(raw, request.startingHandle, .attributeNotFound) }
        let list = found.prefix((mtu - 1) / 4).map {
            ATTFindByTypeValueResponse.HandlesInformation(foundAttributeHandle: $0.handle, groupEndHandle: $0.groupEnd ?? $0.handle)
        }
        return ATTFindByTypeValueResponse(handlesInformationList: list)
    }
}
