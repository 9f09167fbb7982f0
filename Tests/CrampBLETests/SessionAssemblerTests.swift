// SPDX-License-Identifier: MIT
import BLEWire
import CrampBLE
import CrampCore
import Glibc
import Testing

/// Captures (versions 1 and 2) replayed as sessions: one clock, EMG timed from frame indices,
/// explicit gaps for lost packets and lost links, configured EMG channels.
@Suite struct SessionAssemblerTests {
    static let hub = "00:AA:01:00:00:00"

    // MARK: - The bundled capture

    @Test func bundledCaptureReplaysAsASession() throws {
        var events: [BLESessionEvent] = []
        let counters = try CaptureSessionSource.replay(path: SyntheticCapture.capturePath) { events.append($0) }
        // A version 1 capture: its three devices are up from time 0.
        let connected = events.compactMap { if case let .connected(l) = $0 { l } else { nil } }
        #expect(connected.map(\.device) == [SyntheticCapture.strap, SyntheticCapture.footpod, SyntheticCapture.emgSensor])
        #expect(connected.allSatisfy { $0.timeNanoseconds == 0 && $0.connection == 1 })
        #expect(connected[0].channels.map(\.label) == ["HR", "RR"])
        #expect(connected[1].channels.map(\.label) == ["Cadence", "Speed"])
        #expect(connected[2].channels.map(\.label) == ["EMG gastroc L", "EMG soleus L"])

        // EMG: the first block (50 frames at 1000 Hz, received at 53 ms) anchors the stream at
        // 3 ms; every block follows at 50 ms; the two lost packets are one explicit gap.
        let blocks = events.compactMap { if case let .emg(b) = $0 { b } else { nil } }
        #expect(blocks.first?.timeNanoseconds == 3_000_000)
        for b in blocks {
            #expect(b.timeNanoseconds == 3_000_000 + b.firstFrame * 1_000_000)
            #expect(b.receivedNanoseconds - b.timeNanoseconds == 50_000_000, "the synthetic sensor sends 3 ms after each packet")
        }
        let gaps = events.compactMap { if case let .gap(g) = $0 { g } else { nil } }
        #expect(gaps.count == 1)
        #expect(gaps.first?.cause == .packetsLost(2))
        #expect(gaps.first?.channels.map(\.label) == ["EMG gastroc L", "EMG soleus L"])
        if let gap = gaps.first, let after = blocks.first(where: { $0.timeNanoseconds >= gap.toNanoseconds }) {
            #expect(gap.toNanoseconds - gap.fromNanoseconds == 100_000_000)
            #expect(after.timeNanoseconds == gap.toNanoseconds)
        }

        // Heart rate: RR beat times end at reception; one truncated notification dropped.
        let hr = events.compactMap { if case let .heartRate(s) = $0 { s } else { nil } }
        #expect(hr.count == SyntheticCapture.seconds - 1)
        for s in hr where !s.rrIntervals.isEmpty {
            #expect(s.beatTimesNanoseconds.last == s.timeNanoseconds)
            #expect(s.beatTimesNanoseconds.count == s.rrIntervals.count)
        }
        #expect(counters[SyntheticCapture.strap]?.dropped == 1)
        // The header's one-foot setting reaches the footpod: plausible running cadences.
        let cadence = events.compactMap { if case let .cadence(s) = $0 { s } else { nil } }
        #expect(!cadence.isEmpty && cadence.allSatisfy { $0.isPlausible && $0.stepsPerMinute > 120 })
        #expect(counters[SyntheticCapture.emgSensor]?.emgPacketsLost == 2)
        // Deterministic: the same file gives the same lines.
        var again: [String] = []
        _ = try CaptureSessionSource.replay(path: SyntheticCapture.capturePath) { again.append($0.jsonLine) }
        #expect(again == events.map(\.jsonLine))
    }

    // MARK: - Links lost and back (version 2)

    static let hr = HeartRateMeasurement(beatsPerMinute: 150, sensorContact: .detected, rrIntervals1024: [410]).encoded

    static func emg(_ sequence: UInt16) -> String {
        hexString(EMGDataPacket(sequenceNumber: sequence, channelCount: 2, samples: [Int16](repeating: 4, count: 20)).encoded)
    }

    static var linkLossCapture: String {
        """
        # crampd BLE capture 2
        # Date: 2026-11-21T10:00:00Z
        # Device: \(hub) configured as hr, emg
        # Firmware: see each device's Firmware line
        # Scenario: unit test: a link lost and back
        # Name: \(hub) hub
        # Firmware: \(hub) 1.2.3
        # Characteristic: \(hub) 0x0010 2A37
        # Characteristic: \(hub) 0x0020 \(EMGProfile.sampleRate)
        # Characteristic: \(hub) 0x0022 \(EMGProfile.channelMap)
        # Characteristic: \(hub) 0x0026 \(EMGProfile.data)
        # Value: \(hub) 0x0020 \(hexString(EMGSampleRate(hertz: 1000).encoded))
        # Value: \(hub) 0x0022 \(hexString(EMGChannelMap(channels: [.init(site: .gastroc, side: .unspecified), .init(site: .unspecified, side: .unspecified)]).encoded))
        100000000 \(hub) link up
        500000000 \(hub) 0x0010 \(hexString(hr))
        520000000 \(hub) 0x0026 \(emg(7))
        540000000 \(hub) 0x0026 \(emg(8))
        600000000 \(hub) 0x0026 \(emg(10))
        2600000000 \(hub) link down closed-by-peer
        # Characteristic: \(hub) 0x0010 2A37
        # Characteristic: \(hub) 0x0020 \(EMGProfile.sampleRate)
        # Characteristic: \(hub) 0x0026 \(EMGProfile.data)
        # Value: \(hub) 0x0020 \(hexString(EMGSampleRate(hertz: 1000).encoded))
        3700000000 \(hub) link up
        3800000000 \(hub) 0x0026 \(emg(0))
        4000000000 \(hub) 0x0010 \(hexString(hr))
        5000000000 \(hub) link down supervision-timeout

        """
    }

    static func replay(_ text: String, devices: [BLEDeviceConfiguration] = []) throws -> [BLESessionEvent] {
        let path = "/tmp/crampd-session-\(getpid())-\(UInt32.random(in: 0 ... .max)).rec"
        try write(text, to: path)
        defer { unlink(path) }
        var events: [BLESessionEvent] = []
        _ = try CaptureSessionSource.replay(path: path, devices: devices) { events.append($0) }
        return events
    }

    @Test func aLostLinkIsAGapFromTheLastValueToTheReturn() throws {
        let config = BLEDeviceConfiguration(address: Self.hub, kinds: [.hr, .emg], emgSide: .right)
        let events = try Self.replay(Self.linkLossCapture, devices: [config])
        let lines = events.map(\.jsonLine)
        let classes = lines.map { String($0.dropFirst(10).prefix { $0 != "\"" }) }
        try #require(classes == ["CONNECTED", "HR", "EMG", "EMG", "GAP", "EMG", "DISCONNECTED", "GAP", "CONNECTED", "EMG", "HR",
                            "DISCONNECTED", "GAP"])
        #expect(lines[0] == #"{"class":"CONNECTED","t":0.100000000,"device":"00:AA:01:00:00:00","connection":1,"name":"hub","firmware":"1.2.3","channels":["HR","RR","EMG gastroc R","EMG channel 2"]}"#)
        // 10 frames per packet at 1000 Hz: anchored at 510 ms; packet 9 lost.
        #expect(lines[2].hasPrefix(#"{"class":"EMG","t":0.510000000,"device":"00:AA:01:00:00:00","received":0.520000000,"first_frame":0,"frames":10,"rate_hz":1000,"unit":"count","channels":["EMG gastroc R","EMG channel 2"]"#))
        #expect(lines[4] == #"{"class":"GAP","t":0.540000000,"device":"00:AA:01:00:00:00","from":0.530000000,"to":0.540000000,"cause":"packets-lost","packets":1,"channels":["EMG gastroc R","EMG channel 2"]}"#)
        #expect(lines[5].hasPrefix(#"{"class":"EMG","t":0.540000000,"#))
        #expect(lines[6] == #"{"class":"DISCONNECTED","t":2.600000000,"device":"00:AA:01:00:00:00","reason":"closed-by-peer"}"#)
        // The link's silence: from its last value (600 ms) to its return (3.7 s), every channel.
        #expect(lines[7] == #"{"class":"GAP","t":3.700000000,"device":"00:AA:01:00:00:00","from":0.600000000,"to":3.700000000,"cause":"link-loss","packets":null,"channels":["HR","RR","EMG gastroc R","EMG channel 2"]}"#)
        // The second link has no channel map: its EMG channels are unlabelled but keep the
        // configured side… no site, so no crampd channel. A new stream, anchored anew.
        #expect(lines[8].contains(#""connection":2,"name":null,"firmware":null"#))
        #expect(lines[9].hasPrefix(#"{"class":"EMG","t":3.790000000,"#) && lines[9].contains(#""first_frame":0,"#))
        // The session ends while the link is down: the gap is closed at the last line.
        #expect(lines[12] == #"{"class":"GAP","t":5.000000000,"device":"00:AA:01:00:00:00","from":4.000000000,"to":5.000000000,"cause":"link-loss","packets":null,"channels":["HR","RR"]}"#)
    }

    @Test func configuredChannelsOverrideTheMap() throws {
        let explicit = BLEDeviceConfiguration(address: Self.hub, kinds: [.emg],
                                              emgChannels: [.emg(.soleus, .left), .emg(.tibialis, .left)])
        let events = try Self.replay(Self.linkLossCapture, devices: [explicit])
        guard case let .connected(link) = events.first else { Issue.record("no link"); return }
        #expect(link.channels.map(\.label) == ["HR", "RR", "EMG soleus L", "EMG tibialis L"])
        let both = BLEDeviceConfiguration(address: Self.hub, kinds: [.emg], emgSite: .hamstring, emgSide: .left)
        guard case let .connected(l2) = try Self.replay(Self.linkLossCapture, devices: [both]).first else { return }
        #expect(l2.channels.map(\.label) == ["HR", "RR", "EMG gastroc L", "EMG hamstring L"])
    }

    @Test func myoChannelsTakeTheConfiguredSite() {
        var assembler = BLESessionAssembler(devices: [BLEDeviceConfiguration(address: Self.hub, kinds: [.myo],
                                                                            emgSite: .gastroc, emgSide: .left)])
        let link = BLELinkDescription(device: Self.hub, timeNanoseconds: 0, characteristics: [
            .init(device: Self.hub, handle: 0x2B, uuid: MyoProfile.emgDataCharacteristics[0]),
        ], readValues: [])
        let up = assembler.process(.linkUp(link))
        guard case let .connected(l) = up.first else { Issue.record("no link"); return }
        #expect(l.channels.count == 8 && l.channels.allSatisfy { $0.label == "EMG gastroc L" })
        let block = assembler.process(.value(BLECaptureRecord(timeNanoseconds: 20_000_000, device: Self.hub, handle: 0x2B,
                                                              value: [UInt8](repeating: 1, count: 16))))
        // Two frames at 200 Hz: 10 ms before reception.
        guard case let .emg(b) = block.first else { Issue.record("no block"); return }
        #expect(b.timeNanoseconds == 10_000_000 && b.sampleRate == Hertz(200) && b.frameCount == 2)
    }

    @Test func malformedValuesAndUnknownHandlesAreCountedDrops() {
        var assembler = BLESessionAssembler()
        _ = assembler.process(.linkUp(BLELinkDescription(device: Self.hub, timeNanoseconds: 0, characteristics: [
            .init(device: Self.hub, handle: 0x10, uuid: .heartRateMeasurement),
        ], readValues: [])))
        let bad = assembler.process(.value(BLECaptureRecord(timeNanoseconds: 1, device: Self.hub, handle: 0x10, value: [0x01, 0x48])))
        guard case let .dropped(_, t, handle, reason) = bad.first else { Issue.record("no drop"); return }
        #expect(t == 1 && handle == 0x10 && reason.contains("HeartRateMeasurement"))
        #expect(assembler.process(.value(BLECaptureRecord(timeNanoseconds: 2, device: Self.hub, handle: 0x99, value: [1]))).isEmpty)
        #expect(assembler.counters[Self.hub]?.dropped == 2)
        // A value after the link went down still decodes (a late notification); the gap
        // starts at the last value before the loss.
        #expect(assembler.process(.linkDown(device: Self.hub, timeNanoseconds: 10, reason: "x"))
            == [.disconnected(device: Self.hub, timeNanoseconds: 10, reason: "x")])
        #expect(assembler.process(.linkDown(device: Self.hub, timeNanoseconds: 11, reason: "x")).isEmpty, "down once")
    }

    @Test func reconnectScheduleDoublesToTheMaximumWithABoundedStretch() {
        let policy = BLEReconnectPolicy()
        let delays = (0 ..< 8).map { policy.delay(attempt: $0, device: Self.hub) }
        let bases: [Double] = [1, 2, 4, 8, 16, 30, 30, 30]
        for (d, base) in zip(delays, bases) {
            let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            #expect(s >= base && s < base * 1.1, "\(s) for \(base)")
        }
        #expect(delays == (0 ..< 8).map { policy.delay(attempt: $0, device: Self.hub) }, "deterministic")
        #expect(policy.delay(attempt: 0, device: Self.hub) != policy.delay(attempt: 0, device: "00:AA:01:01:00:01"),
                "devices lost together come back at different times")
        #expect(BLEReconnectPolicy(jitter: 0).delay(attempt: 2, device: Self.hub) == .seconds(4))
    }

    @Test func captureEntriesRoundTrip() throws {
        let path = "/tmp/crampd-entries-\(getpid()).rec"
        defer { unlink(path) }
        let header = BLECaptureHeader(fields: [(key: "Date", value: "d"), (key: "Device", value: "v"), (key: "Firmware", value: "f"),
                                               (key: "Scenario", value: "s")])
        let entries: [BLECaptureEntry] = [
            .value(BLECaptureRecord(timeNanoseconds: 1, device: Self.hub, handle: 0x10, value: [0, 60])),
            .metadata(.field(key: "Firmware", value: "\(Self.hub) 2.0")),
            .metadata(.characteristic(.init(device: Self.hub, handle: 0x10, uuid: .heartRateMeasurement))),
            .metadata(.readValue(.init(device: Self.hub, handle: 0x14, value: [0x50]))),
            .metadata(.cadenceCounting(device: Self.hub, counting: .oneFoot)),
            .link(BLECaptureLinkEvent(timeNanoseconds: 5, device: Self.hub, isUp: true)),
            .value(BLECaptureRecord(timeNanoseconds: 6, device: Self.hub, handle: 0x10, value: [0, 60])),
            .link(BLECaptureLinkEvent(timeNanoseconds: 7, device: Self.hub, isUp: false, reason: "transaction-timeout")),
            .link(BLECaptureLinkEvent(timeNanoseconds: 8, device: Self.hub, isUp: false)),
        ]
        let writer = try BLECaptureWriter(path: path, header: header)
        for e in entries { try writer.write(e) }
        try writer.close()
        let reader = try BLECaptureReader(path: path)
        #expect(reader.header.version == 2)
        var back: [BLECaptureEntry] = []
        while let e = try reader.nextEntry() { back.append(e) }
        #expect(back == entries)
    }

    @Test(arguments: [
        ("5 00:AA:01:00:00:00 link sideways", 6, "link state \"sideways\" is neither up nor down"),
        ("5 00:AA:01:00:00:00 link up now", 6, "expected \"<t_ns> <device-address> link up\" or \"<t_ns> <device-address> link down [reason]\""),
        ("5 00:AA:01:00:00:00 link", 6, "expected \"<t_ns> <device-address> link up\" or \"<t_ns> <device-address> link down [reason]\""),
        ("5 00:AA:01:00:00:00 link up\n4 00:AA:01:00:00:00 link down", 7, "time 4 ns goes back from 5 ns"),
        ("5 00:AA:01:00:00:00 link up\n# Value: 00:AA:01:00:00:00 0x0014", 7, "expected \"# Value: <device-address> <handle> <hex payload>\""),
    ])
    func badVersion2LinesNameTheLine(records: String, line: Int, message: String) {
        let text = "# crampd BLE capture 2\n# Date: x\n# Device: x\n# Firmware: x\n# Scenario: x\n" + records
        var parser = BLECaptureParser(path: "bad.rec")
        #expect(throws: BLECaptureError(path: "bad.rec", line: line, message: message)) {
            for l in text.split(separator: "\n", omittingEmptySubsequences: false) { _ = try parser.parseEntry(line: l) }
        }
    }

    @Test func version1RejectsLinkLinesAsValues() {
        let text = "# crampd BLE capture 1\n# Date: x\n# Device: x\n# Firmware: x\n# Scenario: x\n5 00:AA:01:00:00:00 link up"
        var parser = BLECaptureParser(path: "v1.rec")
        #expect(throws: BLECaptureError(path: "v1.rec", line: 6, message: "handle \"link\" is not 0x and four hex digits")) {
            for l in text.split(separator: "\n") { _ = try parser.parseEntry(line: l) }
        }
    }
}
