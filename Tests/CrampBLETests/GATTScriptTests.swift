// SPDX-License-Identifier: MIT
import BLEWire
import CrampBLE
import Synchronization
import Testing

/// Values a handler received, for assertions after the script ran.
final class Received: Sendable {
    private let events = Mutex<[ATTValueEvent]>([])
    func append(_ event: ATTValueEvent) { events.withLock { $0.append(event) } }
    var all: [ATTValueEvent] { events.withLock { $0 } }
}

/// Scripted ATT/GATT exchanges over a socketpair, byte for byte (BlueZ `unit/test-gatt.c`).
@Suite(.serialized, .timeLimit(.minutes(1))) struct GATTScriptTests {
    static func expectClean(_ outcome: ScriptOutcome, _ script: [PDUStep], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.failures == [], sourceLocation: sourceLocation)
        #expect(outcome.stepsDone == script.count, sourceLocation: sourceLocation)
    }

    @Test func harnessReportsABytewiseMismatch() async throws {
        let link = try ScriptedLink()
        let script: [PDUStep] = [.crampdSends(pdu(0x02, 0xF7, 0x01)), .peerSends(pdu(0x03, 0xB9, 0x00))]
        async let outcome = link.peer.run(script)
        async let mtu = link.client.exchangeMTU()
        let result = await outcome
        #expect(result.failures == ["step 1 of 2: crampd sent 02f700, script expects 02f701"])
        #expect(result.stepsDone == 0)
        link.bearer.close()
        _ = try? await mtu
    }

    @Test func mtuExchangeTakesTheMinimum() async throws {
        let link = try ScriptedLink()
        let script = SensorScripts.mtuExchange
        async let outcome = link.peer.run(script)
        let mtu = try await link.client.exchangeMTU(clientRxMTU: 247)
        Self.expectClean(await outcome, script)
        #expect(mtu == 185)
        #expect(link.bearer.mtu == 185)
    }

    @Test func serverMTUBelowDefaultCountsAsDefault() async throws {
        let link = try ScriptedLink()
        let script: [PDUStep] = [.crampdSends(pdu(0x02, 0xF7, 0x00)), .peerSends(pdu(0x03, 0x10, 0x00))]
        async let outcome = link.peer.run(script)
        let mtu = try await link.client.exchangeMTU()
        Self.expectClean(await outcome, script)
        #expect(mtu == 23)
    }

    @Test func discoverAllServicesCharacteristicsAndDescriptors() async throws {
        let link = try ScriptedLink()
        let script = SensorScripts.mtuExchange + SensorScripts.discoverAll
        async let outcome = link.peer.run(script)
        try await link.client.exchangeMTU()
        let database = try await link.client.discoverAll()
        Self.expectClean(await outcome, script)

        #expect(database.entries.map(\.service) == [
            GATTService(uuid: .genericAccessService, startHandle: 0x01, endHandle: 0x05),
            GATTService(uuid: .heartRateService, startHandle: 0x06, endHandle: 0x0B),
            GATTService(uuid: .runningSpeedAndCadenceService, startHandle: 0x0C, endHandle: 0x11),
            GATTService(uuid: .batteryService, startHandle: 0x12, endHandle: 0x15),
            GATTService(uuid: EMGProfile.service, startHandle: 0x16, endHandle: 0x1F),
        ])
        let hrm = try #require(database.characteristic(.heartRateMeasurement, in: .heartRateService))
        #expect(hrm == GATTCharacteristic(uuid: .heartRateMeasurement, properties: .notify, declarationHandle: 0x07,
                                          valueHandle: 0x08, endHandle: 0x09))
        #expect(database.descriptors(of: hrm) == [GATTDescriptor(uuid: .clientCharacteristicConfiguration, handle: 0x09)])
        let bsl = try #require(database.characteristic(.bodySensorLocation))
        #expect(bsl.valueHandle == 0x0B && bsl.endHandle == 0x0B && database.descriptors(of: bsl).isEmpty)
        let rsc = try #require(database.characteristic(.rscMeasurement))
        #expect(rsc.valueHandle == 0x0E && rsc.endHandle == 0x0F)
        let battery = try #require(database.characteristic(.batteryLevel))
        #expect(battery.properties == [.read, .notify])
        let emgData = try #require(database.characteristic(EMGProfile.data, in: EMGProfile.service))
        #expect(emgData.valueHandle == 0x1E && emgData.endHandle == 0x1F)
        #expect(database.characteristic(EMGProfile.sampleRate)?.valueHandle == 0x18)
        #expect(database.characteristic(EMGProfile.channelMap)?.valueHandle == 0x1A)
        #expect(database.characteristic(EMGProfile.scale)?.valueHandle == 0x1C)
    }

    @Test func heartRateSubscribeAndNotificationsWithRRIntervals() async throws {
        let link = try ScriptedLink()
        let received = Received()
        _ = link.client.register(valueHandle: 0x08) { received.append($0) }
        let script = SensorScripts.mtuExchange
            + SensorScripts.discoverHeartRateService + SensorScripts.discoverHeartRateDescriptors
            + SensorScripts.enableNotifications(cccd: 0x09)
            + [
                // 140 bpm, contact detected, RR 437/1024 s and 448/1024 s.
                .peerSends(pdu(0x1B, 0x08, 0x00, 0x16, 0x8C, 0xB5, 0x01, 0xC0, 0x01)),
                // uint16 value 301 bpm, energy 1000 kJ, one RR.
                .peerSends(pdu(0x1B, 0x08, 0x00, 0x19, 0x2D, 0x01, 0xE8, 0x03, 0x00, 0x02)),
            ]
        async let outcome = link.peer.run(script)
        try await link.client.exchangeMTU()
        let service = GATTService(uuid: .heartRateService, startHandle: 0x06, endHandle: 0x0B)
        let characteristics = try await link.client.discoverCharacteristics(of: service)
        let hrm = try #require(characteristics.first { $0.uuid == .heartRateMeasurement })
        let descriptors = try await link.client.discoverDescriptors(of: hrm)
        try await link.client.configure(hrm, descriptors: descriptors, .notification)
        Self.expectClean(await outcome, script)
        await link.settle()

        let values = received.all
        #expect(values.count == 2)
        let first = try HeartRateMeasurement(decoding: values[0].value)
        #expect(first.beatsPerMinute == 140 && first.sensorContact == .detected)
        #expect(first.rrIntervals1024 == [437, 448])
        #expect(first.rrIntervals == [.nanoseconds(426_757_812), .nanoseconds(437_500_000)])
        let second = try HeartRateMeasurement(decoding: values[1].value)
        #expect(second.beatsPerMinute == 301 && second.energyExpendedKilojoules == 1000 && second.rrIntervals1024 == [512])
        #expect(link.bearer.counters.valuesDelivered == 2)
    }

    @Test func rscSubscribeAndNotification() async throws {
        let link = try ScriptedLink()
        let received = Received()
        _ = link.client.register(valueHandle: 0x0E) { received.append($0) }
        let script = SensorScripts.discoverRSCService + SensorScripts.discoverRSCDescriptors
            + SensorScripts.enableNotifications(cccd: 0x0F)
            // Running, 3.5 m/s (896/256), 86 per minute, stride 1.22 m, total 1234.5 m.
            + [.peerSends(pdu(0x1B, 0x0E, 0x00, 0x07, 0x80, 0x03, 0x56, 0x7A, 0x00, 0x39, 0x30, 0x00, 0x00))]
        async let outcome = link.peer.run(script)
        let service = GATTService(uuid: .runningSpeedAndCadenceService, startHandle: 0x0C, endHandle: 0x11)
        let rsc = try #require(try await link.client.discoverCharacteristics(of: service).first { $0.uuid == .rscMeasurement })
        try await link.client.configure(rsc, descriptors: try await link.client.discoverDescriptors(of: rsc), .notification)
        Self.expectClean(await outcome, script)
        await link.settle()

        let measurement = try RSCMeasurement(decoding: try #require(received.all.first).value)
        #expect(measurement.speedMetresPerSecond == 3.5 && measurement.isRunning)
        #expect(measurement.strideLengthMetres == 1.22 && measurement.totalDistanceMetres == 1234.5)
        // A one-foot pod: 86 strides/min is 172 steps/min; the same octet from a two-foot pod is
        // 86 steps/min (a walk), also plausible: only the sensor's setting tells them apart.
        #expect(measurement.cadence(counting: .oneFoot).stepsPerMinute == 172)
        #expect(measurement.cadence(counting: .oneFoot).isPlausible)
        #expect(measurement.cadence(counting: .twoFoot).stepsPerMinute == 86)
    }

    @Test func emgConfigurationAndNotificationsWithASequenceGap() async throws {
        let link = try ScriptedLink()
        let received = Received()
        _ = link.client.register(valueHandle: 0x1E) { received.append($0) }
        func packet(_ sequence: UInt16, _ samples: [Int16]) -> [UInt8] {
            pdu(0x1B, 0x1E, 0x00) + EMGDataPacket(sequenceNumber: sequence, channelCount: 2, samples: samples).encoded
        }
        let script = SensorScripts.mtuExchange + SensorScripts.discoverEMGService + SensorScripts.discoverEMGDataDescriptors
            + SensorScripts.readEMGConfiguration + SensorScripts.enableNotifications(cccd: 0x1F)
            + [
                .peerSends(packet(7, [1, -1, 2, -2])),
                .peerSends(packet(8, [3, -3, 4, -4])),
                // 9 and 10 are lost.
                .peerSends(packet(11, [5, -5, 6, -6])),
            ]
        async let outcome = link.peer.run(script)
        try await link.client.exchangeMTU()
        let service = GATTService(uuid: EMGProfile.service, startHandle: 0x16, endHandle: 0x1F)
        let characteristics = try await link.client.discoverCharacteristics(of: service)
        let data = try #require(characteristics.first { $0.uuid == EMGProfile.data })
        let descriptors = try await link.client.discoverDescriptors(of: data)
        let rate = try EMGSampleRate(decoding: try await link.client.read(handle: 0x18)[...])
        let map = try EMGChannelMap(decoding: try await link.client.read(handle: 0x1A)[...])
        let scale = try EMGScale(decoding: try await link.client.read(handle: 0x1C)[...])
        try await link.client.configure(data, descriptors: descriptors, .notification)
        Self.expectClean(await outcome, script)
        await link.settle()

        #expect(rate.hertz == 2000 && scale.microvoltsPerCount == 0.5)
        #expect(map.channels == [.init(site: .gastroc, side: .left), .init(site: .soleus, side: .left)])
        var tracker = EMGSequenceTracker()
        var observations: [EMGSequenceTracker.Observation] = []
        for event in received.all {
            let packet = try EMGDataPacket(decoding: event.value)
            #expect(packet.channelCount == map.channels.count && packet.frameCount == 2)
            observations.append(tracker.observe(packet.sequenceNumber))
        }
        #expect(observations == [.first, .inOrder, .gap(missing: 2)])
    }

    @Test func indicationIsDeliveredThenConfirmed() async throws {
        let link = try ScriptedLink()
        let received = Received()
        _ = link.client.register(valueHandle: 0x14) { received.append($0) }
        let battery = GATTCharacteristic(uuid: .batteryLevel, properties: [.read, .indicate], declarationHandle: 0x13,
                                         valueHandle: 0x14, endHandle: 0x15)
        let script = SensorScripts.enableIndications(cccd: 0x15) + [
            .peerSends(pdu(0x1D, 0x14, 0x00, 0x55)),
            .crampdSends(pdu(0x1E)),
            .peerSends(pdu(0x1D, 0x14, 0x00, 0x54)),
            .crampdSends(pdu(0x1E)),
        ]
        async let outcome = link.peer.run(script)
        try await link.client.configure(battery, descriptors: [GATTDescriptor(uuid: .clientCharacteristicConfiguration, handle: 0x15)],
                                        .indication)
        Self.expectClean(await outcome, script)
        await link.settle()
        #expect(received.all.map(\.isIndication) == [true, true])
        #expect(try received.all.map { try BatteryLevel(decoding: $0.value[...]).percent } == [85, 84])
    }

    @Test func errorResponseIsATypedError() async throws {
        let link = try ScriptedLink()
        let script: [PDUStep] = [
            .crampdSends(pdu(0x0A, 0x03, 0x00)),
            .peerSends(pdu(0x01, 0x0A, 0x03, 0x00, 0x02)),
            .crampdSends(pdu(0x12, 0x09, 0x00, 0x01, 0x00)),
            .peerSends(pdu(0x01, 0x12, 0x09, 0x00, 0xFD)),
        ]
        async let outcome = link.peer.run(script)
        await #expect(throws: GATTError.errorResponse(ATTErrorResponse(request: .readRequest, attributeHandle: 3,
                                                                      errorCode: .readNotPermitted))) {
            try await link.client.read(handle: 0x03)
        }
        let error = await #expect(throws: GATTError.self) { try await link.client.write(handle: 0x09, value: [0x01, 0x00]) }
        if case let .errorResponse(response) = error {
            #expect(response.errorCode == .cccdImproperlyConfigured)
            #expect("\(response.errorCode)" == "Common Profile Error (0xfd)")
        } else {
            Issue.record("expected an error response, got \(String(describing: error))")
        }
        Self.expectClean(await outcome, script)
        #expect(link.bearer.disconnectReason == nil)
    }

    @Test func malformedResponsesFailTheProcedureAndKeepTheLink() async throws {
        let link = try ScriptedLink()
        let script: [PDUStep] = [
            // Element length 6, but 7 octets of data.
            .crampdSends(pdu(0x10, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x28)),
            .peerSends(pdu(0x11, 0x06, 0x01, 0x00, 0x05, 0x00, 0x00, 0x18, 0x06)),
            // Truncated: the element length says 7 but only a handle follows.
            .crampdSends(pdu(0x08, 0x01, 0x00, 0x05, 0x00, 0x03, 0x28)),
            .peerSends(pdu(0x09, 0x07, 0x02, 0x00)),
            // A declaration whose value is 4 octets (no whole UUID).
            .crampdSends(pdu(0x08, 0x01, 0x00, 0x05, 0x00, 0x03, 0x28)),
            .peerSends(pdu(0x09, 0x06, 0x02, 0x00, 0x02, 0x03, 0x00, 0x00)),
            // Services that go backwards: refused instead of looping.
            .crampdSends(pdu(0x10, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x28)),
            .peerSends(pdu(0x11, 0x06, 0x05, 0x00, 0x08, 0x00, 0x00, 0x18, 0x01, 0x00, 0x02, 0x00, 0x01, 0x18)),
            // The link still works.
            .crampdSends(pdu(0x0A, 0x03, 0x00)),
            .peerSends(pdu(0x0B, 0x41)),
        ]
        async let outcome = link.peer.run(script)
        let e1 = await #expect(throws: GATTError.self) { try await link.client.discoverPrimaryServices() }
        #expect(e1 == .malformedResponse(ATTDecodeError(type: "ATTReadByGroupTypeResponse", reason: .invalidLength,
                                                        offset: 2, expectedLength: 6, actualLength: 9)))
        let gap = GATTService(uuid: .genericAccessService, startHandle: 1, endHandle: 5)
        let e2 = await #expect(throws: GATTError.self) { try await link.client.discoverCharacteristics(of: gap) }
        #expect(e2 == .malformedResponse(ATTDecodeError(type: "ATTReadByTypeResponse", reason: .truncated,
                                                        offset: 2, expectedLength: 9, actualLength: 4)))
        let e3 = await #expect(throws: GATTError.self) { try await link.client.discoverCharacteristics(of: gap) }
        if case let .malformedResponse(decode) = e3 { #expect(decode.type == "GATTCharacteristicDeclaration") } else {
            Issue.record("expected a malformed declaration, got \(String(describing: e3))")
        }
        let e4 = await #expect(throws: GATTError.self) { try await link.client.discoverPrimaryServices() }
        if case .invalidResponse = e4 {} else { Issue.record("expected an invalid response, got \(String(describing: e4))") }
        #expect(try await link.client.read(handle: 3) == [0x41])
        Self.expectClean(await outcome, script)
    }

    @Test func truncatedAndMalformedNotificationsAreCountedDrops() async throws {
        let link = try ScriptedLink()
        let received = Received()
        _ = link.client.register(valueHandle: 0x08) { received.append($0) }
        let script: [PDUStep] = [
            .peerSends(pdu(0x1B, 0x08)),
            .peerSends(pdu(0x1D)),
            .crampdSends(pdu(0x1E)),
            .peerSends(pdu(0x23, 0x08, 0x00, 0x01, 0x00, 0x42)),
            // A whole PDU whose value is a truncated HRM (uint16 flagged, one octet sent).
            .peerSends(pdu(0x1B, 0x08, 0x00, 0x01, 0x48)),
            .peerSends(pdu(0x1B, 0x99, 0x00, 0x00, 0x48)),
            .expectSilence(milliseconds: 50),
        ]
        let outcome = await link.peer.run(script)
        Self.expectClean(outcome, script)
        await link.settle()
        let counters = link.bearer.counters
        #expect(counters.malformedDropped == 3)
        #expect(counters.valuesDelivered == 2)
        #expect(link.client.unhandledValues == 1)
        let value = try #require(received.all.first).value
        #expect(throws: ATTDecodeError(type: "HeartRateMeasurement", reason: .truncated, offset: 1, expectedLength: 3,
                                       actualLength: 2)) { try HeartRateMeasurement(decoding: value) }
        #expect(link.bearer.disconnectReason == nil)
    }

    @Test func unexpectedResponseTearsTheLinkDown() async throws {
        let link = try ScriptedLink()
        let script: [PDUStep] = [.peerSends(pdu(0x0B, 0x01)), .expectLinkDown]
        let outcome = await link.peer.run(script)
        Self.expectClean(outcome, script)
        #expect(link.bearer.disconnectReason == .unexpectedResponse(opcode: 0x0B))
        await #expect(throws: GATTError.bearer(.disconnected(.unexpectedResponse(opcode: 0x0B)))) {
            try await link.client.read(handle: 3)
        }
    }

    @Test func unexpectedConfirmationTearsTheLinkDown() async throws {
        let link = try ScriptedLink()
        let script: [PDUStep] = [.peerSends(pdu(0x1E)), .expectLinkDown]
        Self.expectClean(await link.peer.run(script), script)
        #expect(link.bearer.disconnectReason == .unexpectedConfirmation)
    }

    @Test func mismatchedResponseFailsOnlyThatRequest() async throws {
        let link = try ScriptedLink()
        let script: [PDUStep] = [
            .crampdSends(pdu(0x0A, 0x03, 0x00)),
            .peerSends(pdu(0x13)),
            .crampdSends(pdu(0x0A, 0x03, 0x00)),
            .peerSends(pdu(0x01, 0x12, 0x03, 0x00, 0x01)),
            .crampdSends(pdu(0x0A, 0x03, 0x00)),
            .peerSends(pdu(0x0B, 0x41, 0x42)),
        ]
        async let outcome = link.peer.run(script)
        await #expect(throws: GATTError.bearer(.mismatchedResponse(request: 0x0A, response: 0x13))) {
            try await link.client.read(handle: 3)
        }
        await #expect(throws: GATTError.bearer(.mismatchedResponse(request: 0x0A, response: 0x01))) {
            try await link.client.read(handle: 3)
        }
        #expect(try await link.client.read(handle: 3) == [0x41, 0x42])
        Self.expectClean(await outcome, script)
    }

    @Test func transactionTimeoutAfterThirtySecondsTearsTheLinkDown() async throws {
        let link = try ScriptedLink()
        let clock = link.clock, client = link.client, bearer = link.bearer
        let queued = Mutex<Task<[UInt8], any Error>?>(nil)
        let script: [PDUStep] = [
            .crampdSends(pdu(0x0A, 0x03, 0x00)),
            // A second request, queued behind the first: it fails with the reason, never sent.
            .run {
                queued.withLock { $0 = Task { try await client.read(handle: 5) } }
                waitUntil { bearer.queuedRequests == 1 }
            },
            .run { clock.advance(by: .seconds(29)) },
            .expectSilence(milliseconds: 50),
            .run { clock.advance(by: .seconds(1)) },
            .expectLinkDown,
        ]
        async let outcome = link.peer.run(script)
        await #expect(throws: GATTError.bearer(.transactionTimeout(request: 0x0A))) {
            try await link.client.read(handle: 3)
        }
        Self.expectClean(await outcome, script)
        let second = try #require(queued.withLock { $0 })
        await #expect(throws: GATTError.bearer(.disconnected(.transactionTimeout(request: 0x0A)))) { try await second.value }
        #expect(link.bearer.disconnectReason == .transactionTimeout(request: 0x0A))
    }

    @Test func disconnectInTheMiddleOfDiscoveryFailsEveryPendingOperation() async throws {
        let link = try ScriptedLink()
        let client = link.client, bearer = link.bearer
        let reads = Mutex<[Task<[UInt8], any Error>]>([])
        let script: [PDUStep] = [
            SensorScripts.discoverPrimaryServices[0],
            // Two reads queue behind discovery's first request.
            .run {
                // One at a time: tasks start in no particular order.
                reads.withLock { $0.append(Task { try await client.read(handle: 0x18) }) }
                waitUntil { bearer.queuedRequests == 1 }
                reads.withLock { $0.append(Task { try await client.read(handle: 0x1A) }) }
                waitUntil { bearer.queuedRequests == 2 }
            },
            SensorScripts.discoverPrimaryServices[1],
            // The first read goes out next; discovery's second request queues behind the other.
            .crampdSends(pdu(0x0A, 0x18, 0x00)),
            .peerCloses,
        ]
        let disconnects = Mutex<[ATTDisconnectReason]>([])
        _ = link.bearer.registerDisconnectHandler { reason in disconnects.withLock { $0.append(reason) } }
        async let outcome = link.peer.run(script)
        await #expect(throws: GATTError.bearer(.disconnected(.closedByPeer))) { try await link.client.discoverAll() }
        Self.expectClean(await outcome, script)
        for read in reads.withLock({ $0 }) {
            await #expect(throws: GATTError.bearer(.disconnected(.closedByPeer))) { try await read.value }
        }
        await link.settle()
        #expect(disconnects.withLock { $0 } == [.closedByPeer])
        await #expect(throws: GATTError.bearer(.disconnected(.closedByPeer))) { try await link.client.exchangeMTU() }
    }

    @Test func closeFailsQueuedRequests() async throws {
        let link = try ScriptedLink()
        let script: [PDUStep] = [.crampdSends(pdu(0x0A, 0x03, 0x00)), .run { link.bearer.close() }, .expectLinkDown]
        async let outcome = link.peer.run(script)
        await #expect(throws: GATTError.bearer(.disconnected(.closedLocally))) { try await link.client.read(handle: 3) }
        Self.expectClean(await outcome, script)
    }

    @Test func pduLongerThanTheMTUIsNotSent() async throws {
        let link = try ScriptedLink()
        await #expect(throws: GATTError.bearer(.pduTooLong(length: 24, mtu: 23))) {
            try await link.client.write(handle: 0x09, value: [UInt8](repeating: 0, count: 21))
        }
        let script: [PDUStep] = [.expectSilence(milliseconds: 20)]
        Self.expectClean(await link.peer.run(script), script)
    }

    @Test func handlersUnregisterByIDEvenFromInsideAHandler() async throws {
        let link = try ScriptedLink()
        let first = Received(), second = Received()
        let secondID = Mutex<GATTRegistrationID?>(nil)
        let client = link.client
        _ = client.register(valueHandle: 0x08) { event in
            first.append(event)
            if let id = secondID.withLock({ $0 }) { client.unregister(id) }
        }
        secondID.withLock { $0 = client.register(valueHandle: 0x08) { second.append($0) } }
        let script: [PDUStep] = [.peerSends(pdu(0x1B, 0x08, 0x00, 0x00, 0x50)), .peerSends(pdu(0x1B, 0x08, 0x00, 0x00, 0x51))]
        Self.expectClean(await link.peer.run(script), script)
        await link.settle()
        #expect(first.all.count == 2)
        #expect(second.all.isEmpty)
        #expect(!client.unregister(try #require(secondID.withLock { $0 })))
    }

    @Test func everyPDUIsHexDumpedAtTraceLevel() async throws {
        let link = try ScriptedLink()
        let script = SensorScripts.mtuExchange
        async let outcome = link.peer.run(script)
        try await link.client.exchangeMTU()
        Self.expectClean(await outcome, script)
        let dumps = link.log.entries.filter { $0.level == .trace }.map { "\($0.message) \($0.metadata["att.pdu"].map { "\($0)" } ?? "")" }
        #expect(dumps == ["ATT < 02f700", "ATT > 03b900"])
    }
}
