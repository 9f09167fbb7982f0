// SPDX-License-Identifier: MIT
import BLEWire
import Synchronization

/// The GATT client procedures crampd needs (Core 5.4, Vol 3, Part G, 4) over one
/// ``ATTBearer``, and dispatch of notifications and indications by handle.
///
/// Procedures are sequences of requests; the bearer serialises them, so several tasks may call
/// the client at once. Every failure is a typed ``GATTError``: the peer's Error Responses,
/// malformed responses, procedure violations and bearer failures are distinct.
public final class GATTClient: Sendable {
    public let bearer: ATTBearer

    private struct Registration {
        var id: UInt64
        var handle: UInt16
        var handler: @Sendable (ATTValueEvent) -> Void
    }

    private struct Registry {
        var registrations: [Registration] = []
        var nextID: UInt64 = 1
        /// Values for handles nobody registered (counted, like every drop).
        var unhandledValues = 0
    }

    private let registry = Mutex(Registry())
    private let bearerRegistration = Mutex<ATTRegistrationID?>(nil)

    /// Wraps a started bearer and subscribes to its values.
    public init(bearer: ATTBearer) {
        self.bearer = bearer
        let id = bearer.registerValueHandler { [weak self] event in self?.dispatch(event) }
        bearerRegistration.withLock { $0 = id }
    }

    deinit {
        if let id = bearerRegistration.withLock({ $0 }) { bearer.unregister(id) }
    }

    // MARK: - Notifications and indications

    /// Calls `handler` for each notification or indication of the characteristic value at
    /// `valueHandle`, on the bearer's queue, in arrival order.
    ///
    /// - Returns: an id for ``unregister(_:)``.
    public func register(valueHandle: UInt16, handler: @escaping @Sendable (ATTValueEvent) -> Void) -> GATTRegistrationID {
        registry.withLock { registry in
            let id = registry.nextID
            registry.nextID += 1
            registry.registrations.append(Registration(id: id, handle: valueHandle, handler: handler))
            return GATTRegistrationID(value: id)
        }
    }

    /// Removes a registration; safe from within a handler.
    ///
    /// - Returns: false when the id was not registered.
    @discardableResult
    public func unregister(_ id: GATTRegistrationID) -> Bool {
        registry.withLock { registry in
            let before = registry.registrations.count
            registry.registrations.removeAll { $0.id == id.value }
            return registry.registrations.count != before
        }
    }

    /// Notifications and indications that arrived for handles with no registration.
    public var unhandledValues: Int { registry.withLock { $0.unhandledValues } }

    private func dispatch(_ event: ATTValueEvent) {
        let matching = registry.withLock { registry -> [Registration] in
            let found = registry.registrations.filter { $0.handle == event.attributeHandle }
            if found.isEmpty { registry.unhandledValues += 1 }
            return found
        }
        for registration in matching {
            // A handler may have unregistered a later one: check before each call.
            let live = registry.withLock { $0.registrations.contains { $0.id == registration.id } }
            if live { registration.handler(event) }
        }
    }

    // MARK: - Procedures

    /// Exchange MTU (4.3.1): announces `clientRxMTU` and sets the bearer's ATT_MTU to the
    /// minimum of both sides' (never below 23).
    ///
    /// - Returns: the new ATT_MTU.
    @discardableResult
    public func exchangeMTU(clientRxMTU: UInt16 = 247) async throws(GATTError) -> UInt16 {
        let response: ATTExchangeMTUResponse = try await request(ATTExchangeMTURequest(clientRxMTU: clientRxMTU))
        let mtu = response.negotiatedMTU(clientRxMTU: clientRxMTU)
        bearer.setMTU(mtu)
        return mtu
    }

    /// Discover All Primary Services (4.4.1): Read By Group Type «Primary Service» from 0x0001
    /// until "Attribute Not Found" or a group that ends at 0xFFFF.
    public func discoverPrimaryServices() async throws(GATTError) -> [GATTService] {
        var services: [GATTService] = []
        var start: UInt16 = 0x0001
        while true {
            let request = ATTReadByGroupTypeRequest(startingHandle: start, endingHandle: 0xFFFF,
                                                    attributeGroupType: .primaryService)
            guard let response: ATTReadByGroupTypeResponse = try await requestUntilNotFound(request) else { break }
            var last: UInt16 = 0
            for data in response.attributeDataList {
                // Handles must lie in the requested range and increase, else the loop could
                // run for ever on a broken or hostile peer.
                guard data.attributeHandle >= start, data.endGroupHandle >= data.attributeHandle,
                      data.attributeHandle > last else {
                    throw .invalidResponse("service at 0x\(String(data.attributeHandle, radix: 16))–0x\(String(data.endGroupHandle, radix: 16)) is outside or behind the requested range from 0x\(String(start, radix: 16))")
                }
                let uuid: BluetoothUUID
                do { uuid = try BluetoothUUID(littleEndian: data.value[...]) } catch { throw .malformedResponse(error) }
                services.append(GATTService(uuid: uuid, startHandle: data.attributeHandle, endHandle: data.endGroupHandle))
                last = data.endGroupHandle
            }
            guard last < 0xFFFF else { break }
            start = last + 1
        }
        return services
    }

    /// Discover All Characteristics of a Service (4.6.1): Read By Type «Characteristic» over
    /// the service's range. Each characteristic ends where the next declaration starts, the
    /// last one where the service ends.
    public func discoverCharacteristics(of service: GATTService) async throws(GATTError) -> [GATTCharacteristic] {
        var declarations: [(handle: UInt16, declaration: GATTCharacteristicDeclaration)] = []
        var start = service.startHandle
        while start <= service.endHandle {
            let request = ATTReadByTypeRequest(startingHandle: start, endingHandle: service.endHandle,
                                               attributeType: .characteristic)
            guard let response: ATTReadByTypeResponse = try await requestUntilNotFound(request) else { break }
            var last: UInt16 = 0
            for data in response.attributeDataList {
                guard data.handle >= start, data.handle <= service.endHandle, data.handle > last else {
                    throw .invalidResponse("characteristic declaration at 0x\(String(data.handle, radix: 16)) is outside 0x\(String(start, radix: 16))–0x\(String(service.endHandle, radix: 16)) or not increasing")
                }
                let declaration: GATTCharacteristicDeclaration
                do { declaration = try GATTCharacteristicDeclaration(decoding: data.value[...]) } catch {
                    throw .malformedResponse(error)
                }
                guard declaration.valueHandle > data.handle, declaration.valueHandle <= service.endHandle else {
                    throw .invalidResponse("value handle 0x\(String(declaration.valueHandle, radix: 16)) of the declaration at 0x\(String(data.handle, radix: 16)) is outside the service")
                }
                declarations.append((data.handle, declaration))
                last = data.handle
            }
            guard last < service.endHandle else { break }
            start = last + 1
        }
        return declarations.enumerated().map { k, item in
            let end = k + 1 < declarations.count ? declarations[k + 1].handle - 1 : service.endHandle
            return GATTCharacteristic(uuid: item.declaration.uuid, properties: item.declaration.properties,
                                      declarationHandle: item.handle, valueHandle: item.declaration.valueHandle,
                                      endHandle: end)
        }
    }

    /// Discover All Characteristic Descriptors (4.7.1): Find Information over
    /// `valueHandle + 1 ... endHandle`.
    public func discoverDescriptors(of characteristic: GATTCharacteristic) async throws(GATTError) -> [GATTDescriptor] {
        var descriptors: [GATTDescriptor] = []
        guard characteristic.valueHandle < characteristic.endHandle else { return [] }
        var start = characteristic.valueHandle + 1
        while start <= characteristic.endHandle {
            let request = ATTFindInformationRequest(startingHandle: start, endingHandle: characteristic.endHandle)
            guard let response: ATTFindInformationResponse = try await requestUntilNotFound(request) else { break }
            var last: UInt16 = 0
            for element in response.elements {
                guard element.handle >= start, element.handle <= characteristic.endHandle, element.handle > last else {
                    throw .invalidResponse("descriptor at 0x\(String(element.handle, radix: 16)) is outside 0x\(String(start, radix: 16))–0x\(String(characteristic.endHandle, radix: 16)) or not increasing")
                }
                descriptors.append(GATTDescriptor(uuid: element.type, handle: element.handle))
                last = element.handle
            }
            guard last < characteristic.endHandle else { break }
            start = last + 1
        }
        return descriptors
    }

    /// Discovers every primary service, its characteristics and their descriptors.
    public func discoverAll() async throws(GATTError) -> GATTDatabase {
        var entries: [GATTDatabase.Entry] = []
        for service in try await discoverPrimaryServices() {
            var characteristics: [(GATTCharacteristic, [GATTDescriptor])] = []
            for characteristic in try await discoverCharacteristics(of: service) {
                characteristics.append((characteristic, try await discoverDescriptors(of: characteristic)))
            }
            entries.append(GATTDatabase.Entry(service: service, characteristics: characteristics))
        }
        return GATTDatabase(entries: entries)
    }

    /// Read Characteristic Value (4.8.1): one Read Request. A value longer than ATT_MTU − 1
    /// comes back truncated (crampd's characteristics are all short).
    public func read(handle: UInt16) async throws(GATTError) -> [UInt8] {
        let response: ATTReadResponse = try await request(ATTReadRequest(attributeHandle: handle))
        return response.attributeValue
    }

    /// Write Characteristic Value (4.9.3): one Write Request, acknowledged.
    public func write(handle: UInt16, value: [UInt8]) async throws(GATTError) {
        let _: ATTWriteResponse = try await request(ATTWriteRequest(attributeHandle: handle, attributeValue: value))
    }

    /// Writes a characteristic's Client Characteristic Configuration descriptor (0x2902):
    /// `.notification` (0x0001), `.indication` (0x0002) or `[]` to stop.
    ///
    /// - Parameter descriptors: the characteristic's descriptors, from discovery.
    /// - Throws: ``GATTError/noClientCharacteristicConfiguration(valueHandle:)`` when it has no CCCD.
    public func configure(_ characteristic: GATTCharacteristic, descriptors: [GATTDescriptor],
                          _ configuration: GATTClientCharacteristicConfiguration) async throws(GATTError) {
        guard let cccd = descriptors.first(where: { $0.uuid == .clientCharacteristicConfiguration }) else {
            throw .noClientCharacteristicConfiguration(valueHandle: characteristic.valueHandle)
        }
        try await write(handle: cccd.handle, value: configuration.encoded)
    }

    // MARK: - Request plumbing

    /// Sends a request and decodes the expected response; an Error Response becomes
    /// ``GATTError/errorResponse(_:)``.
    func request<Response: ATTPDU>(_ pdu: some ATTPDU) async throws(GATTError) -> Response {
        let bytes: [UInt8]
        do { bytes = try await bearer.request(pdu) } catch { throw .bearer(error) }
        if bytes.first == ATTOpcode.errorResponse.rawValue {
            let errorResponse: ATTErrorResponse
            do { errorResponse = try ATTErrorResponse(decoding: bytes) } catch { throw .malformedResponse(error) }
            throw .errorResponse(errorResponse)
        }
        do { return try Response(decoding: bytes) } catch { throw .malformedResponse(error) }
    }

    /// As ``request(_:)``, but "Attribute Not Found" ends a discovery loop: `nil`.
    func requestUntilNotFound<Response: ATTPDU>(_ pdu: some ATTPDU) async throws(GATTError) -> Response? {
        do {
            return try await request(pdu) as Response
        } catch .errorResponse(let error) where error.errorCode == .attributeNotFound {
            return nil
        }
    }
}

/// An id returned by ``GATTClient/register(valueHandle:handler:)``.
public struct GATTRegistrationID: Hashable, Sendable {
    let value: UInt64
}
