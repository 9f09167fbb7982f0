// SPDX-License-Identifier: MIT
import BLEWire
import CrampBLE
import CrampCore
import Glibc
import Testing

@Suite struct CaptureFormatTests {
    static let text = """
        # crampd BLE capture 1
        # Date: 2026-11-21
        # Device: F0:00:00:00:00:01 strap
        # Firmware: unknown
        # Scenario: unit test
        # Characteristic: f0:00:00:00:00:01 0x0008 2A37
        # Value: F0:00:00:00:00:01 0x0014 57
        1000000000 F0:00:00:00:00:01 0x0008 0048
        1000000000 F0:00:00:00:00:01 0x0008 -
        2000000000 F0:00:00:00:00:01 0x0008 168cb501c001
        """

    @Test func parsesHeaderAndRecords() throws {
        var parser = BLECaptureParser(path: "t.rec")
        var records: [BLECaptureRecord] = []
        for line in Self.text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let r = try parser.parse(line: line) { records.append(r) }
        }
        #expect(parser.header.values(of: "Device") == ["F0:00:00:00:00:01 strap"])
        #expect(parser.header.characteristics == [.init(device: "F0:00:00:00:00:01", handle: 8, uuid: .heartRateMeasurement)])
        #expect(parser.header.readValues == [.init(device: "F0:00:00:00:00:01", handle: 0x14, value: [0x57])])
        #expect(records.map(\.value) == [[0x00, 0x48], [], [0x16, 0x8C, 0xB5, 0x01, 0xC0, 0x01]])
        #expect(records[1].text == "1000000000 F0:00:00:00:00:01 0x0008 -")
    }

    @Test(arguments: [
        ("# crampd capture\n", 1, "not a crampd BLE capture: expected \"# crampd BLE capture 2\" (or version 1)"),
        ("# crampd BLE capture 1\n# Date: x\n1 F0:00:00:00:00:01 0x0008 00", 3,
         "the header lacks # Device:, # Firmware:, # Scenario: (provenance is required; write \"unknown\" when it is)"),
        (header + "5 F0:00:00:00:00:01 0x0008 00\n4 F0:00:00:00:00:01 0x0008 00", 7, "time 4 ns goes back from 5 ns"),
        (header + "5 F0:00:00:00:00:1 0x0008 00", 6, "device address \"F0:00:00:00:00:1\" is not XX:XX:XX:XX:XX:XX"),
        (header + "5 F0:00:00:00:00:01 8 00", 6, "handle \"8\" is not 0x and four hex digits"),
        (header + "5 F0:00:00:00:00:01 0x0008 0", 6, "payload \"0\" is not hex octets"),
        (header + "-5 F0:00:00:00:00:01 0x0008 00", 6, "time \"-5\" is not a non-negative integer of nanoseconds"),
        (header + "5 F0:00:00:00:00:01 0x0008", 6, "expected \"<t_ns> <device-address> <handle> <hex payload>\", found 3 fields"),
        (header + "5 F0:00:00:00:00:01 0x0008 00\n# Date: late", 7, "header line after the first record"),
        ("# crampd BLE capture 1\n# Characteristic: F0:00:00:00:00:01 0x0008", 2,
         "expected \"# Characteristic: <device-address> <handle> <uuid>\""),
    ])
    func badCapturesNameTheLine(text: String, line: Int, message: String) {
        var parser = BLECaptureParser(path: "bad.rec")
        #expect(throws: BLECaptureError(path: "bad.rec", line: line, message: message)) {
            for l in text.split(separator: "\n", omittingEmptySubsequences: false) { _ = try parser.parse(line: l) }
        }
    }

    static let header = "# crampd BLE capture 1\n# Date: x\n# Device: x\n# Firmware: x\n# Scenario: x\n"

    @Test func writerAndReaderRoundTrip() throws {
        let path = "/tmp/crampd-capture-\(getpid()).rec"
        defer { unlink(path) }
        let header = BLECaptureHeader(fields: [(key: "Date", value: "d"), (key: "Device", value: "v"), (key: "Firmware", value: "f"),
                                               (key: "Scenario", value: "s")],
                                      characteristics: [.init(device: "F0:00:00:00:00:02", handle: 0x0E, uuid: .rscMeasurement)],
                                      cadenceCounting: ["F0:00:00:00:00:02": .oneFoot], version: 1)
        let records = [BLECaptureRecord(timeNanoseconds: 7, device: "F0:00:00:00:00:02", handle: 0x0E, value: [0x04, 0x80, 0x03, 0x56])]
        let writer = try BLECaptureWriter(path: path, header: header)
        for r in records { try writer.write(r) }
        try writer.close()
        let reader = try BLECaptureReader(path: path)
        #expect(reader.header == header)
        var back: [BLECaptureRecord] = []
        while let r = try reader.next() { back.append(r) }
        #expect(back == records)
        #expect(throws: BLECaptureError(path: "/nonexistent/x.rec", line: 0, message: "cannot open: No such file or directory")) {
            try BLECaptureReader(path: "/nonexistent/x.rec")
        }
    }
}

@Suite struct SensorDecoderTests {
    @Test func malformedValuesAreCountedDropsAndDecodingGoesOn() {
        var decoder = BLESensorDecoder(device: "F0:00:00:00:00:01")
        decoder.setKind(.heartRateMeasurement, forHandle: 8)
        let bad = decoder.decode(handle: 8, value: [0x10, 0x48, 0x01], timeNanoseconds: 5)
        #expect(bad == [.dropped(timeNanoseconds: 5, device: "F0:00:00:00:00:01", handle: 8,
                                 error: ATTDecodeError(type: "HeartRateMeasurement", reason: .invalidLength, offset: 2,
                                                       expectedLength: 2, actualLength: 3))])
        let good = decoder.decode(handle: 8, value: [0x00, 0x48], timeNanoseconds: 6)
        if case let .heartRate(s) = good.first { #expect(s.beatsPerMinute == 72) } else { Issue.record("no HR sample") }
        #expect(decoder.decode(handle: 9, value: [0x00], timeNanoseconds: 7).isEmpty)
        #expect(decoder.counters.malformed == [.heartRateMeasurement: 1])
        #expect(decoder.counters.decoded == 1 && decoder.counters.unknownHandle == 1)
    }

    @Test func emgBlocksCarryChannelsScaleAndGaps() {
        var decoder = BLESensorDecoder(device: "F0:00:00:00:00:03")
        decoder.setKind(.emgData, forHandle: 0x1E)
        decoder.setKind(.emgChannelMap, forHandle: 0x1A)
        decoder.setKind(.emgScale, forHandle: 0x1C)
        decoder.setKind(.emgSampleRate, forHandle: 0x18)
        _ = decoder.decode(handle: 0x18, value: EMGSampleRate(hertz: 2000).encoded, timeNanoseconds: 0)
        _ = decoder.decode(handle: 0x1A, value: EMGChannelMap(channels: [.init(site: .gastroc, side: .right),
                                                                          .init(site: .unspecified, side: .left)]).encoded,
                           timeNanoseconds: 0)
        _ = decoder.decode(handle: 0x1C, value: EMGScale(microvoltsPerCount: 0.5).encoded, timeNanoseconds: 0)
        func packet(_ s: UInt16) -> [UInt8] { EMGDataPacket(sequenceNumber: s, channelCount: 2, samples: [2, -4, 6, -8]).encoded }
        let first = decoder.decode(handle: 0x1E, value: packet(1), timeNanoseconds: 10)
        guard case let .emg(block) = first.first else { Issue.record("no block"); return }
        #expect(block.channels == [.emg(.gastroc, .right), nil])
        #expect(block.samples == [1, -2, 3, -4] && block.unit == .microvolts && block.sampleRate == Hertz(2000))
        #expect(block.firstFrame == 0 && block.frameCount == 2)
        let afterGap = decoder.decode(handle: 0x1E, value: packet(4), timeNanoseconds: 20)
        #expect(afterGap.first == .emgGap(timeNanoseconds: 20, device: "F0:00:00:00:00:03", missingPackets: 2, missingFrames: 4))
        if case let .emg(b) = afterGap.last { #expect(b.firstFrame == 6) } else { Issue.record("no block after the gap") }
        #expect(decoder.decode(handle: 0x1E, value: packet(4), timeNanoseconds: 30)
            == [.emgOutOfOrder(timeNanoseconds: 30, device: "F0:00:00:00:00:03", sequenceNumber: 4)])
        #expect(decoder.counters.emgPacketsLost == 2 && decoder.counters.emgOutOfOrder == 1)
    }

    @Test func footpodCountingComesFromTheSensorSetting() {
        var decoder = BLESensorDecoder(device: "F0:00:00:00:00:02", cadenceCounting: .twoFoot)
        decoder.setKind(.rscMeasurement, forHandle: 0x0E)
        let value = RSCMeasurement(speed256: 896, cadencePerMinute: 86, isRunning: true).encoded
        guard case let .cadence(s) = decoder.decode(handle: 0x0E, value: value, timeNanoseconds: 0).first else {
            Issue.record("no cadence"); return
        }
        #expect(s.stepsPerMinute == 86 && s.isPlausible)
        decoder.cadenceCounting = .oneFoot
        guard case let .cadence(t) = decoder.decode(handle: 0x0E, value: value, timeNanoseconds: 1).first else {
            Issue.record("no cadence"); return
        }
        #expect(t.stepsPerMinute == 172)
    }

    @Test func myoNotificationsBecomeEightChannelBlocksOfCounts() {
        var decoder = BLESensorDecoder(device: "F0:00:00:00:00:04")
        decoder.setKind(.myoEMG, forHandle: 0x2B)
        let value: [UInt8] = (0 ..< 16).map { UInt8($0) }
        guard case let .emg(b) = decoder.decode(handle: 0x2B, value: value, timeNanoseconds: 0).first else {
            Issue.record("no block"); return
        }
        #expect(b.channels.count == 8 && b.frameCount == 2 && b.unit == .counts && b.sampleRate == Hertz(200))
        guard case let .emg(c) = decoder.decode(handle: 0x2B, value: value, timeNanoseconds: 5_000_000).first else { return }
        #expect(c.firstFrame == 2)
        #expect(BLECharacteristicKind(uuid: MyoProfile.emgDataCharacteristics[3]) == .myoEMG)
    }
}

/// The bundled synthetic capture: reproducible from its generator, and its replay equal to the
/// committed check file (gpsd's `.chk` practice).
@Suite(.serialized) struct SyntheticCaptureTests {
    static var rebuild: Bool { getenv("CRAMPD_REBUILD_CAPTURES") != nil }

    @Test func captureMatchesItsGenerator() throws {
        guard access(SyntheticCapture.sourcePath, R_OK) == 0 else {
            Issue.record("missing \(SyntheticCapture.sourcePath)")
            return
        }
        let text = try SyntheticCapture.make()
        if Self.rebuild { try write(text, to: SyntheticCapture.capturePath) }
        let committed = try read(SyntheticCapture.capturePath)
        #expect(committed == text, "regenerate with CRAMPD_REBUILD_CAPTURES=1 and review the diff")
    }

    @Test func replayMatchesTheCheckFile() throws {
        var lines: [String] = []
        let counters = try BLECaptureReplayer.replay(path: SyntheticCapture.capturePath) { lines.append($0.checkLine) }
        let text = lines.map { $0 + "\n" }.joined()
        if Self.rebuild { try write(text, to: SyntheticCapture.checkPath) }
        let committed = try read(SyntheticCapture.checkPath)
        #expect(committed == text, "regenerate with CRAMPD_REBUILD_CAPTURES=1 and review the diff")
        // What the scenario promises: one truncated HR notification, two lost EMG packets.
        #expect(counters[SyntheticCapture.strap]?.malformed == [.heartRateMeasurement: 1])
        #expect(counters[SyntheticCapture.emgSensor]?.emgPacketsLost == 2)
        #expect(lines.filter { $0.hasPrefix(#"{"class":"GAP""#) }.count == 1)
        #expect(lines.filter { $0.hasPrefix(#"{"class":"HR""#) }.count == SyntheticCapture.seconds - 1)
        #expect(lines.filter { $0.hasPrefix(#"{"class":"CADENCE""#) }.allSatisfy { $0.contains(#""plausible":true"#) })
    }
}

func read(_ path: String) throws -> String {
    guard let f = fopen(path, "r") else { throw BLECaptureError(path: path, line: 0, message: "cannot open") }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n <= 0 { break }
        out += buffer[0 ..< n]
    }
    return String(decoding: out, as: UTF8.self)
}

func write(_ text: String, to path: String) throws {
    guard let f = fopen(path, "w") else { throw BLECaptureError(path: path, line: 0, message: "cannot create") }
    fputs(text, f)
    fclose(f)
}
