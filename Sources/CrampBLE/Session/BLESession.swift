// SPDX-License-Identifier: MIT
import BLEWire
import Logging
import Synchronization

/// The session clock: nanoseconds since the session started, from a monotonic clock.
public protocol BLESessionClock: Sendable {
    func now() -> Int64
}

/// The session clock of a live session: `ContinuousClock` (monotonic; on Linux it keeps
/// counting through a suspend, so session time stays real elapsed time).
public struct ContinuousSessionClock: BLESessionClock {
    private let origin = ContinuousClock.now
    public init() {}
    public func now() -> Int64 { (ContinuousClock.now - origin).nanoseconds }
}

/// A live session with several BLE devices: it connects to each configured device, sets the
/// link up (discovery, configuration reads, notifications on), reconnects with backoff when a
/// link is lost, and delivers everything as ``BLESessionEvent``s on one session clock, each
/// value timestamped when it arrives. A lost link is a `.disconnected` event and, when the
/// link is back (or the session ends), an explicit `.gap`: never zeros, never stitched
/// samples. Every received value can go to a raw capture, which ``CaptureSessionSource``
/// replays into the very same events.
///
/// ```swift
/// let session = BLESession(configuration: config, connector: try L2CAPConnector(adapter: "hci0"),
///                          capture: writer, logger: logger)
/// async let done: Void = session.run()          // until cancelled
/// for await event in session.events { … }       // ends after run() returns
/// ```
///
/// `run()` returns when its task is cancelled and throws only what retrying cannot mend before
/// any link came up (no Bluetooth in the kernel, no adapter, no permission): the service
/// contract of swift-service-lifecycle (STYLE.md). Devices that fail otherwise are retried on
/// ``BLEReconnectPolicy``'s schedule.
public final class BLESession: Sendable {
    public let configuration: BLESessionConfiguration
    /// Every event, in order. Bounded: when the consumer falls more than `eventBuffer` events
    /// behind, the oldest are dropped and counted (``droppedEvents``).
    public let events: AsyncStream<BLESessionEvent>
    private let continuation: AsyncStream<BLESessionEvent>.Continuation
    private let connector: any BLEConnector
    private let clock: any BLESessionClock
    private let logger: Logger
    private let core: Mutex<Core>

    private struct Core: ~Copyable {
        var assembler: BLESessionAssembler
        var capture: BLECaptureWriter?
        var captureError: BLECaptureError?
        var ended = false
        var anyLinkUp = false
        var droppedEvents = 0
        var lastFlush: Int64 = 0
    }

    /// - Parameters:
    ///   - configuration: the devices and the session's settings.
    ///   - connector: how links are opened (``L2CAPConnector`` for real devices).
    ///   - clock: the session clock (``ContinuousSessionClock``; tests inject their own).
    ///   - capture: a capture to write every received value to (its header already written);
    ///     the session closes it when it ends.
    ///   - eventBuffer: how many events may wait for the consumer.
    ///   - logger: diagnostics; trace dumps every ATT PDU.
    public init(configuration: BLESessionConfiguration, connector: any BLEConnector,
                clock: any BLESessionClock = ContinuousSessionClock(), capture: sending BLECaptureWriter? = nil,
                eventBuffer: Int = 65_536, logger: Logger) {
        self.configuration = configuration
        self.connector = connector
        self.clock = clock
        self.logger = logger
        (events, continuation) = AsyncStream.makeStream(of: BLESessionEvent.self, bufferingPolicy: .bufferingNewest(eventBuffer))
        core = Mutex(Core(assembler: BLESessionAssembler(devices: configuration.devices), capture: capture))
    }

    /// Events dropped because the consumer fell behind.
    public var droppedEvents: Int { core.withLock { $0.droppedEvents } }

    /// Counters by device address.
    public var counters: [String: BLESessionDeviceCounters] { core.withLock { $0.assembler.counters } }

    /// The first error writing the capture, if any (the session goes on without it).
    public var captureError: BLECaptureError? { core.withLock { $0.captureError } }

    /// Runs the session until the calling task is cancelled; then closes every link, closes
    /// the gaps still open, closes the capture and finishes ``events``.
    ///
    /// - Throws: ``BluetoothError`` when no link can ever come up: no Bluetooth in the kernel,
    ///   no adapter, missing permission (checked on the first attempts, before any link).
    public func run() async throws(BluetoothError) {
        let fatal: BluetoothError? = await withTaskGroup(of: BluetoothError?.self) { group in
            for device in configuration.devices {
                group.addTask { await self.runDevice(device) }
            }
            for await result in group {
                if let result {
                    group.cancelAll()
                    return result
                }
            }
            return nil
        }
        finish()
        if let fatal { throw fatal }
    }

    // MARK: - One device

    /// Connects, serves, and reconnects until cancelled. Returns a fatal error, if one ends
    /// the session.
    private func runDevice(_ device: BLEDeviceConfiguration) async -> BluetoothError? {
        var log = logger
        log[metadataKey: "ble.device"] = "\(device.address)"
        var retry = 0
        var first = true
        while !Task.isCancelled {
            if !first {
                let delay = configuration.reconnect.delay(attempt: retry, device: device.address)
                retry += 1
                log.debug("next attempt", metadata: ["ble.delay": "\(delay)"])
                do { try await Task.sleep(for: delay) } catch { break }
            }
            first = false
            let flag = CancellationFlag()
            let attempt: Result<any ATTTransport, BluetoothError> = await withTaskCancellationHandler {
                do throws(BluetoothError) {
                    return .success(try await connector.connect(to: device, timeout: configuration.connectTimeout,
                                                                shouldAbandon: { flag.isSet }))
                } catch {
                    return .failure(error)
                }
            } onCancel: {
                flag.set()
            }
            switch attempt {
            case let .failure(error):
                if Task.isCancelled { return nil }
                if error.isFatal && !core.withLock({ $0.anyLinkUp }) { return error }
                log.info("cannot connect", metadata: ["ble.error": "\(error)"])
            case let .success(transport):
                if await serve(device, transport, log) { retry = 0 }
            }
        }
        return nil
    }

    /// Sets one link up and keeps it until it goes down or the session ends.
    ///
    /// - Returns: whether the setup completed (the backoff starts again from its first step).
    private func serve(_ device: BLEDeviceConfiguration, _ transport: any ATTTransport, _ log: Logger) async -> Bool {
        let bearer = ATTBearer(transport: transport, logger: log)
        let (down, downContinuation) = AsyncStream.makeStream(of: ATTDisconnectReason.self, bufferingPolicy: .bufferingNewest(1))
        _ = bearer.registerDisconnectHandler { reason in
            downContinuation.yield(reason)
            downContinuation.finish()
        }
        bearer.start()
        let client = GATTClient(bearer: bearer)
        let announced = CancellationFlag()
        let setup: Result<Void, BLESessionSetupError> = await withTaskCancellationHandler {
            do throws(BLESessionSetupError) {
                try await setUp(device, client, announced: announced, log)
                return .success(())
            } catch {
                return .failure(error)
            }
        } onCancel: {
            bearer.close()
        }
        if case let .failure(error) = setup, !Task.isCancelled {
            log.info("link setup failed", metadata: ["ble.error": "\(error)"])
            bearer.close()
        }
        let reason: ATTDisconnectReason = await withTaskCancellationHandler {
            for await reason in down { return reason }
            return .closedLocally
        } onCancel: {
            bearer.close()
        }
        withExtendedLifetime(client) {}
        // Closed because the session ends: not a loss (the end of the session closes the
        // capture and the open gaps instead).
        let sessionEnding = Task.isCancelled && reason == .closedLocally
        if announced.isSet && !sessionEnding {
            let token: String = if case let .failure(error) = setup { error.token } else { Self.token(reason) }
            log.info("link down", metadata: ["ble.reason": "\(token)"])
            feed { t in
                (.linkDown(device: device.address, timeNanoseconds: t, reason: token),
                 [.link(BLECaptureLinkEvent(timeNanoseconds: t, device: device.address, isUp: false, reason: token))])
            }
        }
        if case .success = setup { return true }
        return false
    }

    /// GATT setup of one link: MTU, discovery, name and firmware, configuration reads, then
    /// the link is announced (capture and events) and notifications are enabled.
    private func setUp(_ device: BLEDeviceConfiguration, _ client: GATTClient, announced: CancellationFlag,
                       _ log: Logger) async throws(BLESessionSetupError) {
        do {
            _ = try await client.exchangeMTU(clientRxMTU: configuration.clientRxMTU)
        } catch .errorResponse {
            // A server without Exchange MTU keeps the default ATT_MTU of 23.
        } catch {
            throw .gatt(error)
        }
        let database: GATTDatabase
        do { database = try await client.discoverAll() } catch { throw .gatt(error) }

        let name = try await readText(.deviceName, database, client)
        let firmware = try await readText(.firmwareRevisionString, database, client)

        var subscriptions: [GATTCharacteristic] = []
        var missing: [BLEDeviceKind] = []
        for kind in device.kinds {
            let found = kind.dataCharacteristics.compactMap { database.characteristic($0) }
            if found.isEmpty { missing.append(kind) }
            subscriptions += found
        }
        if !missing.isEmpty {
            log.info("device lacks what it is configured for",
                     metadata: ["ble.missing": "\(missing.map(\.dataCharacteristicName).joined(separator: ", "))"])
        }
        guard !subscriptions.isEmpty else { throw .nothingToSubscribe(device.kinds) }

        // Every characteristic crampd decodes, and the configuration values read now.
        var characteristics: [BLECaptureHeader.Characteristic] = []
        var readValues: [BLECaptureHeader.ReadValue] = []
        for entry in database.entries {
            for (c, _) in entry.characteristics where BLECharacteristicKind(uuid: c.uuid) != nil {
                characteristics.append(.init(device: device.address, handle: c.valueHandle, uuid: c.uuid))
            }
        }
        var reads: [BluetoothUUID] = [.batteryLevel]
        if device.kinds.contains(.hr) { reads.append(.bodySensorLocation) }
        if device.kinds.contains(.emg) { reads += [EMGProfile.sampleRate, EMGProfile.channelMap, EMGProfile.scale] }
        for uuid in reads {
            guard let c = database.characteristic(uuid), c.properties.contains(.read) else { continue }
            if let value = try await readOptional(c, client) {
                readValues.append(.init(device: device.address, handle: c.valueHandle, value: value))
            }
        }

        // Announce the link before any notification can arrive: the capture's link lines and
        // the events stay in order.
        feed { t in
            let link = BLELinkDescription(device: device.address, timeNanoseconds: t, name: name, firmware: firmware,
                                          characteristics: characteristics, readValues: readValues)
            var entries: [BLECaptureEntry] = []
            if let name { entries.append(.metadata(.field(key: "Name", value: "\(device.address) \(name)"))) }
            if let firmware { entries.append(.metadata(.field(key: "Firmware", value: "\(device.address) \(firmware)"))) }
            entries += characteristics.map { .metadata(.characteristic($0)) }
            entries += readValues.map { .metadata(.readValue($0)) }
            entries.append(.link(BLECaptureLinkEvent(timeNanoseconds: t, device: device.address, isUp: true)))
            return (.linkUp(link), entries)
        } announce: {
            $0.anyLinkUp = true
        }
        announced.set()

        for c in subscriptions {
            _ = client.register(valueHandle: c.valueHandle) { [weak self] event in
                self?.received(device.address, event)
            }
        }
        for c in subscriptions {
            let cccd: GATTClientCharacteristicConfiguration = c.properties.contains(.notify) ? .notification : .indication
            do {
                try await client.configure(c, descriptors: database.descriptors(of: c), cccd)
            } catch {
                throw .gatt(error)
            }
        }
        if device.kinds.contains(.myo), let command = database.characteristic(MyoProfile.commandCharacteristic) {
            do { try await client.write(handle: command.valueHandle, value: MyoProfile.startEMGCommand) } catch { throw .gatt(error) }
        }
        log.info("link up", metadata: ["ble.name": "\(name ?? "-")", "ble.firmware": "\(firmware ?? "-")",
                                       "ble.mtu": "\(client.bearer.mtu)"])
    }

    private func readOptional(_ c: GATTCharacteristic, _ client: GATTClient) async throws(BLESessionSetupError) -> [UInt8]? {
        do {
            return try await client.read(handle: c.valueHandle)
        } catch .errorResponse {
            // Not readable after all (insufficient authentication, …): the value stays unknown.
            return nil
        } catch {
            throw .gatt(error)
        }
    }

    private func readText(_ uuid: BluetoothUUID, _ database: GATTDatabase, _ client: GATTClient) async throws(BLESessionSetupError) -> String? {
        guard let c = database.characteristic(uuid), c.properties.contains(.read),
              let value = try await readOptional(c, client) else { return nil }
        // UTF-8 strings (Core 5.4, Vol 3, Part C, 12.1); some devices pad with NULs.
        let text = String(decoding: value.prefix { $0 != 0 }, as: UTF8.self)
        return text.isEmpty ? nil : text
    }

    // MARK: - Values and events

    private func received(_ device: String, _ event: ATTValueEvent) {
        feed { t in
            let record = BLECaptureRecord(timeNanoseconds: t, device: device, handle: event.attributeHandle, value: event.value)
            return (.value(record), [.value(record)])
        }
    }

    /// Timestamps an input on the session clock, writes its capture lines and delivers its
    /// events, all under one lock: the capture's lines and the events keep one order, and
    /// times never decrease.
    private func feed(_ make: (Int64) -> (BLESessionInput, [BLECaptureEntry]),
                      announce: (inout Core) -> Void = { _ in }) {
        core.withLock { core in
            guard !core.ended else { return }
            let t = clock.now()
            let (input, entries) = make(t)
            announce(&core)
            write(entries, &core, flush: t - core.lastFlush >= 1_000_000_000 || entries.contains { if case .value = $0 { false } else { true } })
            if t - core.lastFlush >= 1_000_000_000 { core.lastFlush = t }
            deliver(core.assembler.process(input), &core)
        }
    }

    private func finish() {
        core.withLock { core in
            guard !core.ended else { return }
            let t = clock.now()
            core.ended = true
            deliver(core.assembler.process(.end(timeNanoseconds: t)), &core)
            write([.metadata(.field(key: BLECapture.sessionEndKey, value: "\(t)"))], &core, flush: true)
            if let capture = core.capture {
                do throws(BLECaptureError) { try capture.close() } catch { core.captureError = core.captureError ?? error }
                core.capture = nil
            }
        }
        continuation.finish()
    }

    private func write(_ entries: [BLECaptureEntry], _ core: inout Core, flush: Bool) {
        guard let capture = core.capture, !entries.isEmpty else { return }
        do throws(BLECaptureError) {
            for e in entries { try capture.write(e) }
            if flush { try capture.flush() }
        } catch {
            // The session goes on; the capture stops here and the error is reported.
            logger.info("capture stopped", metadata: ["ble.error": "\(error)"])
            core.captureError = error
            try? capture.close()
            core.capture = nil
        }
    }

    private func deliver(_ events: [BLESessionEvent], _ core: inout Core) {
        for event in events {
            if case .dropped = continuation.yield(event) { core.droppedEvents += 1 }
        }
    }

    /// One word for a link's end, as capture lines and events carry it.
    static func token(_ reason: ATTDisconnectReason) -> String {
        switch reason {
        case .closedByPeer: "closed-by-peer"
        case let .transportError(errno):
            // bt_to_errno() of the HCI disconnect reason: 0x08 Connection Timeout (the
            // supervision timeout) → ETIMEDOUT, 0x16 terminated by the local host → ECONNABORTED.
            switch errno {
            case 110: "link-timeout"
            case 103: "closed-by-host"
            case 104: "closed-by-peer"
            default: "transport-error-\(errno)"
            }
        case .transactionTimeout: "att-timeout"
        case .unexpectedResponse: "att-unexpected-response"
        case .unexpectedConfirmation: "att-unexpected-confirmation"
        case .closedLocally: "closed-locally"
        }
    }
}

/// Why a link's setup failed (the link is then closed and tried again later).
public enum BLESessionSetupError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A GATT procedure failed.
    case gatt(GATTError)
    /// The device serves none of the characteristics its configured kinds need.
    case nothingToSubscribe([BLEDeviceKind])

    public var description: String {
        switch self {
        case let .gatt(error): "\(error)"
        case let .nothingToSubscribe(kinds):
            "the device serves none of \(kinds.map(\.dataCharacteristicName).joined(separator: ", "))"
        }
    }

    var token: String {
        switch self {
        case .gatt: "setup-failed"
        case .nothingToSubscribe: "nothing-to-subscribe"
        }
    }
}
