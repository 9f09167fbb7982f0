// SPDX-License-Identifier: MIT
import BLEWire
import CrampBLE
import CrampBLEPeripheral
import Glibc
import Logging
import Synchronization
import Testing

/// Connects a session to simulated sensors over socketpairs: the whole live path (bearer, GATT
/// setup, notifications, link loss, backoff, capture) without a radio. The same simulated
/// sensors run on real controllers in the VM test (scripts/ble-vm/).
final class SimulatedConnector: BLEConnector, @unchecked Sendable {
    struct State {
        var sensors: [String: SimulatedSensor] = [:]
        var links: [String: SimulatedSensorLink] = [:]
        /// Attempts to refuse, per device, before accepting.
        var refusals: [String: Int] = [:]
        var fatal: BluetoothError?
        var attempts: [String: [ContinuousClock.Instant]] = [:]
    }

    let state = Mutex(State())
    let start = ContinuousClock.now

    init(_ sensors: [String: SimulatedSensorConfiguration]) {
        state.withLock { s in
            for (address, configuration) in sensors { s.sensors[address] = SimulatedSensor(configuration: configuration) }
        }
    }

    func connect(to device: BLEDeviceConfiguration, timeout: Duration,
                 shouldAbandon: @escaping @Sendable () -> Bool) async throws(BluetoothError) -> any ATTTransport {
        let start = self.start
        let outcome: Result<SimulatedSensor, BluetoothError> = state.withLock { s in
            s.attempts[device.address, default: []].append(.now)
            if let fatal = s.fatal { return .failure(fatal) }
            if let n = s.refusals[device.address], n > 0 {
                s.refusals[device.address] = n - 1
                return .failure(BluetoothError(kind: .timeout, call: "connect(\(device.address))", errno: ETIMEDOUT))
            }
            guard let sensor = s.sensors[device.address] else {
                return .failure(BluetoothError(kind: .timeout, call: "connect(\(device.address))", errno: ETIMEDOUT))
            }
            return .success(s.links[device.address]?.currentSensor ?? sensor)
        }
        let sensor = try outcome.get()
        let (a, b): (Int32, Int32)
        do { (a, b) = try makeSeqPacketSocketPair() } catch {
            throw BluetoothError(kind: .other, call: "socketpair", errno: error.errno)
        }
        let link = SimulatedSensorLink(sensor: sensor, transport: SeqPacketSocketTransport(fileDescriptor: b),
                                       clock: { ContinuousClock.now - start }, tick: .milliseconds(5))
        state.withLock { $0.links[device.address] = link }
        link.start()
        return SeqPacketSocketTransport(fileDescriptor: a)
    }

    /// The sensor drops its link (as a strap out of range would).
    func drop(_ device: String) {
        let link = state.withLock { $0.links[device] }
        link?.close()
    }

    func attempts(_ device: String) -> [ContinuousClock.Instant] { state.withLock { $0.attempts[device] ?? [] } }
}

@Suite(.serialized, .timeLimit(.minutes(1))) struct SessionTests {
    static let hub = "00:AA:01:00:00:00"
    static let footpod = "C2:11:22:33:44:55"

    static func fast(_ kinds: Set<BLEDeviceKind>) -> SimulatedSensorConfiguration {
        SimulatedSensorConfiguration(kinds: kinds, name: "sim \(kinds.map(\.rawValue).sorted().joined(separator: "+"))",
                                     heartRateInterval: .milliseconds(100), rscInterval: .milliseconds(100))
    }

    static var logger: Logger {
        var l = Logger(label: "crampd.test.session") { _ in SwiftLogNoOpLogHandler() }
        l.logLevel = .critical
        return l
    }

    /// Runs a session until `stop` says so (it sees every event as it comes, and may act on the
    /// simulated sensors) or `timeout` passes, and returns the events. Conditions rather than
    /// durations: the suite runs in parallel with CPU-heavy tests on two cores.
    static func run(_ configuration: BLESessionConfiguration, _ connector: SimulatedConnector, timeout: Duration = .seconds(30),
                    capture: String? = nil, until condition: (@Sendable () -> Bool)? = nil,
                    stop: @escaping ([BLESessionEvent]) -> Bool)
        async throws -> (events: [BLESessionEvent], error: BluetoothError?, session: BLESession) {
        var writer: BLECaptureWriter?
        if let capture {
            writer = try BLECaptureWriter(path: capture, header: BLECaptureHeader(fields: [
                (key: "Date", value: "test"), (key: "Device", value: "simulated"), (key: "Firmware", value: "see below"),
                (key: "Scenario", value: "SessionTests"),
            ]))
        }
        let session = BLESession(configuration: configuration, connector: connector, capture: writer, logger: logger)
        let runner = Task { () -> BluetoothError? in
            do throws(BluetoothError) {
                try await session.run()
                return nil
            } catch {
                return error
            }
        }
        // Ends the run at the timeout, or when `condition` holds (checked every 20 ms).
        let timer = Task {
            let end = ContinuousClock.now + timeout
            while ContinuousClock.now < end, !(condition?() ?? false) {
                try? await Task.sleep(for: .milliseconds(20))
                if Task.isCancelled { return }
            }
            runner.cancel()
        }
        var events: [BLESessionEvent] = []
        var stopped = false
        for await event in session.events {
            events.append(event)
            if !stopped && stop(events) {
                stopped = true
                runner.cancel()
            }
        }
        timer.cancel()
        return (events, await runner.value, session)
    }

    static func count(_ events: [BLESessionEvent], _ device: String, _ cls: String) -> Int {
        events.filter { $0.device == device && $0.jsonLine.hasPrefix("{\"class\":\"\(cls)\"") }.count
    }

    static func classes(_ events: [BLESessionEvent]) -> [String] {
        events.map { String($0.jsonLine.dropFirst(10).prefix { $0 != "\"" }) }
    }

    static func replay(_ path: String, _ devices: [BLEDeviceConfiguration]) throws -> [String] {
        var lines: [String] = []
        _ = try CaptureSessionSource.replay(path: path, devices: devices) { lines.append($0.jsonLine) }
        return lines
    }

    @Test func twoDevicesOnOneClockAndTheCaptureReplaysToTheSameEvents() async throws {
        let devices = [
            BLEDeviceConfiguration(address: Self.hub, kinds: [.hr, .rsc, .emg]),
            BLEDeviceConfiguration(address: Self.footpod, addressType: .random, kinds: [.rsc], cadenceCounting: .oneFoot),
        ]
        var footpod = Self.fast([.rsc])
        footpod.cadenceCounting = .oneFoot
        let connector = SimulatedConnector([Self.hub: Self.fast([.hr, .rsc, .emg]), Self.footpod: footpod])
        let capture = "/tmp/crampd-session-\(getpid())-two.rec"
        defer { unlink(capture) }
        let (events, error, session) = try await Self.run(BLESessionConfiguration(devices: devices), connector, capture: capture) {
            Self.count($0, Self.hub, "HR") >= 5 && Self.count($0, Self.hub, "EMG") >= 10 && Self.count($0, Self.footpod, "CADENCE") >= 5
        }
        #expect(error == nil)
        let links = events.compactMap { if case let .connected(l) = $0 { l } else { nil } }
        #expect(Set(links.map(\.device)) == [Self.hub, Self.footpod])
        let hubLink = try #require(links.first { $0.device == Self.hub })
        #expect(hubLink.name == "sim emg+hr+rsc" && hubLink.firmware == "crampd-sim 1.0")
        #expect(hubLink.channels.map(\.label) == ["HR", "RR", "Cadence", "Speed", "EMG gastroc L", "EMG soleus L"])
        let counters = session.counters
        #expect((counters[Self.hub]?.heartRateSamples ?? 0) >= 5)
        #expect((counters[Self.hub]?.emgBlocks ?? 0) >= 10)
        #expect((counters[Self.footpod]?.cadenceSamples ?? 0) >= 5)
        // The footpod counts one foot: configured so, its cadence is plausible.
        let cadence = events.compactMap { if case let .cadence(c) = $0, c.device == Self.footpod { c } else { nil } }
        #expect(!cadence.isEmpty && cadence.allSatisfy { $0.isPlausible && $0.stepsPerMinute >= 160 })
        // One session clock: reception times never go back (an EMG block's own time is its first
        // frame's, before its reception).
        let received = events.map { e -> Int64 in if case let .emg(b) = e { b.receivedNanoseconds } else { e.timeNanoseconds } }
        #expect(zip(received, received.dropFirst()).allSatisfy { $0 <= $1 })
        // EMG blocks follow each other frame by frame, at the sensor's rate.
        let blocks = events.compactMap { if case let .emg(b) = $0 { b } else { nil } }
        for (a, b) in zip(blocks, blocks.dropFirst()) {
            #expect(b.firstFrame == a.firstFrame + Int64(a.frameCount))
            #expect(b.timeNanoseconds - a.timeNanoseconds == Int64(a.frameCount) * 1_000_000)
        }
        #expect(!events.contains { if case .gap = $0 { true } else { false } })
        // Replay == live, byte for byte.
        #expect(try Self.replay(capture, devices) == events.map(\.jsonLine))
        #expect(session.captureError == nil && session.droppedEvents == 0)
    }

    @Test func aDroppedLinkIsAGapAndTheSessionReconnects() async throws {
        let devices = [BLEDeviceConfiguration(address: Self.hub, kinds: [.hr, .emg])]
        let connector = SimulatedConnector([Self.hub: Self.fast([.hr, .emg])])
        let capture = "/tmp/crampd-session-\(getpid())-drop.rec"
        defer { unlink(capture) }
        let configuration = BLESessionConfiguration(devices: devices, reconnect: BLEReconnectPolicy(initial: .milliseconds(200)))
        var dropped = false
        let (events, error, _) = try await Self.run(configuration, connector, capture: capture) { events in
            // Drop the link after 3 heart rates; stop after 3 more on the second link.
            if !dropped && Self.count(events, Self.hub, "HR") >= 3 {
                dropped = true
                connector.drop(Self.hub)
            }
            guard let back = events.lastIndex(where: { if case let .connected(l) = $0 { l.connection == 2 } else { false } }) else {
                return false
            }
            return Self.count(Array(events[back...]), Self.hub, "HR") >= 3 && Self.count(Array(events[back...]), Self.hub, "EMG") >= 3
        }
        #expect(error == nil)
        let classes = Self.classes(events)
        let down = try #require(classes.firstIndex(of: "DISCONNECTED"))
        let gapIndex = try #require(classes.firstIndex(of: "GAP"))
        let back = try #require(classes.lastIndex(of: "CONNECTED"))
        #expect(down < gapIndex && gapIndex < back && back > 0)
        #expect(classes[(back + 1)...].contains("HR") && classes[(back + 1)...].contains("EMG"), "samples after the reconnection")
        guard case let .disconnected(_, tDown, reason) = events[down], case let .gap(gap) = events[gapIndex],
              case let .connected(link) = events[back] else { Issue.record("unexpected events"); return }
        #expect(reason == "closed-by-peer")
        #expect(link.connection == 2)
        #expect(gap.cause == .linkLoss && gap.toNanoseconds == link.timeNanoseconds && gap.fromNanoseconds <= tDown)
        #expect(gap.channels.map(\.label) == ["HR", "RR", "EMG gastroc L", "EMG soleus L"])
        // Reconnected after the first backoff step (200 ms, stretched by at most 10 %), plus setup.
        let wait = Double(link.timeNanoseconds - tDown) / 1e9
        #expect(wait >= 0.2 && wait < 10, "\(wait) s")
        // No sample falls inside the gap, and the second link's EMG is a new stream.
        for e in events where e.device == Self.hub {
            if case .gap = e { continue }
            if case .disconnected = e { continue }
            var end = e.timeNanoseconds
            if case let .emg(b) = e { end += Int64(b.frameCount) * 1_000_000 }
            #expect(!(e.timeNanoseconds < gap.toNanoseconds && end > gap.fromNanoseconds), "\(e.jsonLine)")
        }
        #expect(try Self.replay(capture, devices) == events.map(\.jsonLine))
        let text = try read(capture)
        #expect(text.contains(" \(Self.hub) link down closed-by-peer\n") && text.contains("# Session-End: "))
    }

    @Test func unreachableDevicesAreRetriedOnTheBackoffSchedule() async throws {
        let devices = [BLEDeviceConfiguration(address: Self.hub, kinds: [.hr])]
        let connector = SimulatedConnector([Self.hub: Self.fast([.hr])])
        connector.state.withLock { $0.refusals[Self.hub] = 3 }
        let policy = BLEReconnectPolicy(initial: .milliseconds(100), maximum: .milliseconds(300), jitter: 0)
        let (events, _, _) = try await Self.run(BLESessionConfiguration(devices: devices, reconnect: policy), connector) {
            Self.count($0, Self.hub, "HR") >= 1
        }
        let attempts = connector.attempts(Self.hub)
        #expect(attempts.count == 4, "three refusals, then the link")
        let gaps = zip(attempts, attempts.dropFirst()).map { Double(($1 - $0).components.attoseconds) / 1e18 + Double(($1 - $0).components.seconds) }
        // 0.1, 0.2, 0.3 (the maximum) s: never sooner (later only when the machine is busy).
        #expect(gaps.count == 3)
        for (gap, expected) in zip(gaps, [0.1, 0.2, 0.3]) { #expect(gap >= expected && gap < expected + 5, "\(gaps)") }
        #expect(Self.classes(events).first == "CONNECTED")
        #expect(!Self.classes(events).contains("GAP"), "a device never connected has no gap")
    }

    @Test func noAdapterEndsTheSessionWithTheError() async throws {
        let connector = SimulatedConnector([:])
        connector.state.withLock { $0.fatal = BluetoothError(kind: .noAdapter, call: "hci_devinfo", errno: ENODEV) }
        let (events, error, _) = try await Self.run(
            BLESessionConfiguration(devices: [BLEDeviceConfiguration(address: Self.hub, kinds: [.hr])]), connector) { _ in false }
        #expect(error?.kind == .noAdapter)
        #expect(events.isEmpty)
    }

    @Test func aDeviceWithoutWhatItIsConfiguredForIsNotAnnounced() async throws {
        // Configured as an EMG sensor, it serves heart rate only: every setup fails, is retried.
        let connector = SimulatedConnector([Self.hub: Self.fast([.hr])])
        let policy = BLEReconnectPolicy(initial: .milliseconds(100), maximum: .milliseconds(100), jitter: 0)
        // No event ever comes: stop once the third attempt was made.
        let (events, error, _) = try await Self.run(
            BLESessionConfiguration(devices: [BLEDeviceConfiguration(address: Self.hub, kinds: [.emg])], reconnect: policy),
            connector, until: { connector.attempts(Self.hub).count >= 3 }) { _ in false }
        #expect(error == nil && events.isEmpty)
        #expect(connector.attempts(Self.hub).count >= 3)
    }

    @Test func myoArmbandStreamsAfterItsCommand() async throws {
        let devices = [BLEDeviceConfiguration(address: Self.hub, kinds: [.myo], emgSite: .gastroc, emgSide: .right)]
        let connector = SimulatedConnector([Self.hub: Self.fast([.myo])])
        let (events, _, session) = try await Self.run(BLESessionConfiguration(devices: devices), connector) {
            Self.count($0, Self.hub, "EMG") >= 20
        }
        let blocks = events.compactMap { if case let .emg(b) = $0 { b } else { nil } }
        #expect(blocks.count >= 20)
        #expect(blocks.first?.channels.count == 8 && blocks.first?.channels.allSatisfy { $0.label == "EMG gastroc R" } == true)
        #expect(blocks.first?.sampleRate?.value == 200)
        #expect(session.counters[Self.hub]?.dropped == 0)
    }
}
