// SPDX-License-Identifier: MIT
import BLEWire
import Testing

/// The GATT Specification Supplement's layouts, with examples and every malformed shape.
@Suite struct HeartRateMeasurementTests {
    @Test func uint8ValueNoContactFeature() throws {
        let m = try HeartRateMeasurement(decoding: [0x00, 0x48])
        #expect(m == HeartRateMeasurement(beatsPerMinute: 72))
        #expect(m.sensorContact == .notSupported && m.energyExpendedKilojoules == nil && m.rrIntervals1024.isEmpty)
        #expect(m.encoded == [0x00, 0x48])
    }

    @Test func contactBits() throws {
        // 0b01 in bits 1–2 means "not supported" too.
        #expect(try HeartRateMeasurement(decoding: [0x02, 0x48]).sensorContact == .notSupported)
        #expect(try HeartRateMeasurement(decoding: [0x04, 0x48]).sensorContact == .notDetected)
        #expect(try HeartRateMeasurement(decoding: [0x06, 0x48]).sensorContact == .detected)
    }

    @Test func everyFieldAndSeveralRRIntervals() throws {
        // uint16 value 0x0102 = 258 bpm, contact detected, energy 0x0304, RR 1024, 512, 768.
        let bytes: [UInt8] = [0x1F, 0x02, 0x01, 0x04, 0x03, 0x00, 0x04, 0x00, 0x02, 0x00, 0x03]
        let m = try HeartRateMeasurement(decoding: bytes)
        #expect(m.beatsPerMinute == 258 && m.isValueUInt16 && m.sensorContact == .detected)
        #expect(m.energyExpendedKilojoules == 0x0304)
        #expect(m.rrIntervals1024 == [1024, 512, 768])
        #expect(m.rrIntervalSeconds == [1.0, 0.5, 0.75])
        #expect(m.rrIntervals == [.seconds(1), .milliseconds(500), .milliseconds(750)])
        #expect(m.encoded == bytes)
    }

    @Test func reservedFlagBitsAreIgnored() throws {
        #expect(try HeartRateMeasurement(decoding: [0xE0, 0x48]).beatsPerMinute == 72)
    }

    @Test func malformed() {
        #expect(throws: ATTDecodeError(type: "HeartRateMeasurement", reason: .truncated, offset: 0, expectedLength: 1,
                                       actualLength: 0)) { try HeartRateMeasurement(decoding: []) }
        #expect(throws: ATTDecodeError(type: "HeartRateMeasurement", reason: .truncated, offset: 1, expectedLength: 2,
                                       actualLength: 1)) { try HeartRateMeasurement(decoding: [0x00]) }
        #expect(throws: ATTDecodeError(type: "HeartRateMeasurement", reason: .truncated, offset: 2, expectedLength: 4,
                                       actualLength: 3)) { try HeartRateMeasurement(decoding: [0x08, 0x48, 0x01]) }
        #expect(throws: ATTDecodeError(type: "HeartRateMeasurement", reason: .invalidLength, offset: 2, expectedLength: 2,
                                       actualLength: 5)) { try HeartRateMeasurement(decoding: [0x10, 0x48, 0x00, 0x04, 0x01]) }
        #expect(throws: ATTDecodeError(type: "HeartRateMeasurement", reason: .trailingBytes, offset: 2, expectedLength: 2,
                                       actualLength: 3)) { try HeartRateMeasurement(decoding: [0x00, 0x48, 0x00]) }
    }

    @Test func bodySensorLocation() throws {
        #expect(try BodySensorLocation(decoding: [0x01][...]) == .chest)
        #expect("\(try BodySensorLocation(decoding: [0x06][...]))" == "foot")
        #expect("\(try BodySensorLocation(decoding: [0x09][...]))" == "reserved (9)")
        #expect(throws: ATTDecodeError.self) { try BodySensorLocation(decoding: [][...]) }
        #expect(throws: ATTDecodeError.self) { try BodySensorLocation(decoding: [1, 2][...]) }
    }

    @Test func batteryLevel() throws {
        #expect(try BatteryLevel(decoding: [100][...]).percent == 100)
        #expect(throws: ATTDecodeError(type: "BatteryLevel", reason: .invalidValue("level 101 % is above 100 %"), offset: 0,
                                       expectedLength: 1, actualLength: 1)) { try BatteryLevel(decoding: [101][...]) }
        #expect(throws: ATTDecodeError.self) { try BatteryLevel(decoding: [][...]) }
    }
}

@Suite struct RSCMeasurementTests {
    @Test func minimalWalking() throws {
        let m = try RSCMeasurement(decoding: [0x00, 0x00, 0x02, 0x70])
        #expect(m.speedMetresPerSecond == 2.0 && m.cadencePerMinute == 112 && !m.isRunning)
        #expect(m.strideLengthMetres == nil && m.totalDistanceMetres == nil)
        #expect(m.encoded == [0x00, 0x00, 0x02, 0x70])
    }

    @Test func everyField() throws {
        let bytes: [UInt8] = [0x07, 0x80, 0x03, 0xAC, 0x7A, 0x00, 0x39, 0x30, 0x00, 0x00]
        let m = try RSCMeasurement(decoding: bytes)
        #expect(m.speed256 == 896 && m.cadencePerMinute == 172 && m.isRunning)
        #expect(m.strideLengthCentimetres == 122 && m.totalDistanceDecimetres == 12345)
        #expect(m.encoded == bytes)
    }

    @Test func malformed() {
        #expect(throws: ATTDecodeError(type: "RSCMeasurement", reason: .truncated, offset: 3, expectedLength: 4,
                                       actualLength: 3)) { try RSCMeasurement(decoding: [0x00, 0x00, 0x02]) }
        #expect(throws: ATTDecodeError(type: "RSCMeasurement", reason: .truncated, offset: 6, expectedLength: 10,
                                       actualLength: 8)) { try RSCMeasurement(decoding: [0x03, 0x00, 0x02, 0x70, 0x7A, 0x00, 0x39, 0x30]) }
        #expect(throws: ATTDecodeError(type: "RSCMeasurement", reason: .trailingBytes, offset: 4, expectedLength: 4,
                                       actualLength: 5)) { try RSCMeasurement(decoding: [0x00, 0x00, 0x02, 0x70, 0x00]) }
    }

    @Test func cadenceCountingAndPlausibility() {
        let oneFootPodReadAsTwoFoot = RSCCadence(raw: 43, counting: .twoFoot)
        #expect(!oneFootPodReadAsTwoFoot.isPlausible)
        #expect(oneFootPodReadAsTwoFoot.suggestedCounting == .oneFoot)
        let right = RSCCadence(raw: 86, counting: .oneFoot)
        #expect(right.stepsPerMinute == 172 && right.isPlausible && right.suggestedCounting == nil)
        let twoFootPodReadAsOneFoot = RSCCadence(raw: 180, counting: .oneFoot)
        #expect(twoFootPodReadAsOneFoot.stepsPerMinute == 360 && twoFootPodReadAsOneFoot.suggestedCounting == .twoFoot)
        #expect(RSCCadence(raw: 0, counting: .oneFoot).isPlausible)
        // Implausible either way: no suggestion.
        #expect(RSCCadence(raw: 20, counting: .twoFoot).suggestedCounting == nil)
        #expect(RSCCadence(raw: 250, counting: .twoFoot).suggestedCounting == nil)
    }
}

@Suite struct EMGProfileTests {
    @Test func configurationCharacteristics() throws {
        #expect(try EMGSampleRate(decoding: [0xD0, 0x07, 0x00, 0x00][...]).hertz == 2000)
        #expect(EMGSampleRate(hertz: 4000).encoded == [0xA0, 0x0F, 0x00, 0x00])
        #expect(throws: ATTDecodeError.self) { try EMGSampleRate(decoding: [0, 0, 0, 0][...]) }
        #expect(throws: ATTDecodeError.self) { try EMGSampleRate(decoding: [0xD0, 0x07][...]) }

        let map = EMGChannelMap(channels: [.init(site: .gastroc, side: .left), .init(site: .hamstring, side: .right)])
        #expect(map.encoded == [0x02, 0x01, 0x01, 0x04, 0x02])
        #expect(try EMGChannelMap(decoding: map.encoded[...]) == map)
        #expect(map.channels.map { "\($0.site.name ?? "-") \($0.side.letter ?? "-")" } == ["gastroc L", "hamstring R"])
        #expect(EMGSite(name: "quad") == .quad && EMGSite(name: "biceps") == nil)
        #expect("\(EMGSite(rawValue: 0x2A))" == "site 0x2a")
        #expect(throws: ATTDecodeError(type: "EMGChannelMap", reason: .invalidValue("channel count 0 is outside 1–16"),
                                       offset: 0, expectedLength: 1, actualLength: 1)) { try EMGChannelMap(decoding: [0x00][...]) }
        #expect(throws: ATTDecodeError(type: "EMGChannelMap", reason: .invalidValue("side code 0x03 is not 0, 1 or 2"),
                                       offset: 2, expectedLength: 3, actualLength: 3)) { try EMGChannelMap(decoding: [0x01, 0x01, 0x03][...]) }
        #expect(throws: ATTDecodeError(type: "EMGChannelMap", reason: .truncated, offset: 3, expectedLength: 4,
                                       actualLength: 3)) { try EMGChannelMap(decoding: [0x02, 0x01, 0x01][...]) }

        #expect(try EMGScale(decoding: [0x00, 0x00, 0x00, 0x3F][...]).microvoltsPerCount == 0.5)
        #expect(throws: ATTDecodeError.self) { try EMGScale(decoding: [0x00, 0x00, 0xC0, 0x7F][...]) }  // NaN
        #expect(throws: ATTDecodeError.self) { try EMGScale(decoding: [0x00, 0x00, 0x00, 0xBF][...]) }  // −0.5
    }

    @Test func int16Packets() throws {
        let packet = EMGDataPacket(sequenceNumber: 0xFFFF, channelCount: 2, samples: [1, -1, 32767, -32768])
        let bytes = packet.encoded
        #expect(bytes == [0xFF, 0xFF, 0x01, 0x02, 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x80])
        let decoded = try EMGDataPacket(decoding: bytes)
        #expect(decoded == packet && decoded.frameCount == 2)
    }

    @Test func int12Packets() throws {
        let samples: [Int16] = [2047, -2048, -1, 0, 5, -5]
        let packet = EMGDataPacket(sequenceNumber: 3, format: .int12, channelCount: 3, samples: samples)
        let bytes = packet.encoded
        #expect(bytes.count == 4 + 9)
        #expect(Array(bytes[4 ..< 7]) == [0xFF, 0x07, 0x80])
        #expect(try EMGDataPacket(decoding: bytes) == packet)
    }

    @Test func malformedPackets() {
        #expect(throws: ATTDecodeError(type: "EMGDataPacket", reason: .truncated, offset: 2, expectedLength: 3,
                                       actualLength: 2)) { try EMGDataPacket(decoding: [0x01, 0x00]) }
        #expect(throws: ATTDecodeError(type: "EMGDataPacket", reason: .invalidValue("sample format 0x07 is neither 0x01 nor 0x02"),
                                       offset: 2, expectedLength: 3, actualLength: 8)) {
            try EMGDataPacket(decoding: [0x01, 0x00, 0x07, 0x02, 0, 0, 0, 0])
        }
        #expect(throws: ATTDecodeError(type: "EMGDataPacket", reason: .invalidValue("channel count 17 is outside 1–16"),
                                       offset: 3, expectedLength: 4, actualLength: 8)) {
            try EMGDataPacket(decoding: [0x01, 0x00, 0x01, 0x11, 0, 0, 0, 0])
        }
        // Header only: no frame.
        #expect(throws: ATTDecodeError(type: "EMGDataPacket", reason: .truncated, offset: 4, expectedLength: 8,
                                       actualLength: 4)) { try EMGDataPacket(decoding: [0x01, 0x00, 0x01, 0x02]) }
        // One and a half frames.
        #expect(throws: ATTDecodeError(type: "EMGDataPacket", reason: .invalidLength, offset: 4, expectedLength: 4,
                                       actualLength: 10)) { try EMGDataPacket(decoding: [0x01, 0x00, 0x01, 0x02, 0, 0, 0, 0, 0, 0]) }
        // int12: not whole 3-octet pairs, or pairs that do not fill frames.
        #expect(throws: ATTDecodeError.self) { try EMGDataPacket(decoding: [0x01, 0x00, 0x02, 0x01, 0, 0, 0, 0]) }
        #expect(throws: ATTDecodeError.self) { try EMGDataPacket(decoding: [0x01, 0x00, 0x02, 0x03, 0, 0, 0]) }
    }

    /// docs/EMG-GATT-PROFILE.md's arithmetic: at ATT_MTU 247 a notification carries 240 sample
    /// octets: 60 two-channel int16 frames, 80 int12 frames; 2 kHz × 2 channels needs 33.3
    /// notifications per second.
    @Test func throughputArithmetic() {
        #expect(EMGDataPacket.maximumFrames(mtu: 247, channelCount: 2, format: .int16) == 60)
        #expect(EMGDataPacket.maximumFrames(mtu: 247, channelCount: 2, format: .int12) == 80)
        #expect(EMGDataPacket.maximumFrames(mtu: 247, channelCount: 3, format: .int12) == 52)
        #expect(EMGDataPacket.maximumFrames(mtu: 23, channelCount: 2, format: .int16) == 4)
        let full = EMGDataPacket(sequenceNumber: 0, channelCount: 2, samples: [Int16](repeating: 0, count: 120))
        #expect(full.encoded.count == 244)
    }

    /// The worked example of docs/EMG-GATT-PROFILE.md.
    @Test func documentedExample() throws {
        let packet = try EMGDataPacket(decoding: [0x64, 0x00, 0x01, 0x02, 0xE1, 0xFF, 0x0C, 0x00, 0xE3, 0xFF, 0x10, 0x00])
        #expect(packet.sequenceNumber == 100 && packet.format == .int16 && packet.channelCount == 2)
        let scale = try EMGScale(decoding: [0x00, 0x00, 0x80, 0x3E][...])
        #expect(packet.samples.map { Float($0) * scale.microvoltsPerCount } == [-7.75, 3, -7.25, 4])
        #expect(try EMGChannelMap(decoding: [0x02, 0x01, 0x01, 0x02, 0x01][...]).channels.map { "\($0.site) \($0.side.letter!)" }
            == ["gastroc L", "soleus L"])
    }

    @Test func sequenceTracking() {
        var tracker = EMGSequenceTracker()
        #expect(tracker.observe(65534) == .first)
        #expect(tracker.observe(65535) == .inOrder)
        #expect(tracker.observe(0) == .inOrder)
        #expect(tracker.observe(3) == .gap(missing: 2))
        #expect(tracker.observe(3) == .duplicate)
        #expect(tracker.observe(2) == .outOfOrder)
        #expect(tracker.observe(4) == .inOrder)
        #expect(tracker.lostPackets == 2)
        tracker.reset()
        #expect(tracker.observe(100) == .first)
    }

    @Test func myoEMG() throws {
        let bytes: [UInt8] = [0x01, 0xFF, 0x7F, 0x80, 0, 0, 0, 0, 2, 3, 4, 5, 6, 7, 8, 9]
        let data = try MyoEMGData(decoding: bytes[...])
        #expect(Array(data.sample1) == [1, -1, 127, -128, 0, 0, 0, 0])
        #expect(Array(data.sample2) == [2, 3, 4, 5, 6, 7, 8, 9])
        #expect(data.encoded == bytes)
        #expect(throws: ATTDecodeError(type: "MyoEMGData", reason: .truncated, offset: 15, expectedLength: 16,
                                       actualLength: 15)) { try MyoEMGData(decoding: bytes.dropLast()) }
        #expect(throws: ATTDecodeError.self) { try MyoEMGData(decoding: (bytes + [0])[...]) }
    }

    @Test func characteristicDeclarationsAndCCCD() throws {
        let d = try GATTCharacteristicDeclaration(decoding: [0x10, 0x08, 0x00, 0x37, 0x2A][...])
        #expect(d == GATTCharacteristicDeclaration(properties: .notify, valueHandle: 8, uuid: .heartRateMeasurement))
        #expect(throws: ATTDecodeError(type: "GATTCharacteristicDeclaration", reason: .truncated, offset: 3,
                                       expectedLength: 5, actualLength: 4)) {
            try GATTCharacteristicDeclaration(decoding: [0x10, 0x08, 0x00, 0x37][...])
        }
        #expect(GATTClientCharacteristicConfiguration.notification.encoded == [0x01, 0x00])
        #expect(GATTClientCharacteristicConfiguration.indication.encoded == [0x02, 0x00])
        #expect(try GATTClientCharacteristicConfiguration(decoding: [0x03, 0x00][...]) == [.notification, .indication])
    }
}

@Suite struct AdvertisingTests {
    /// An HCI LE Meta event (LE Advertising Report) from a heart-rate strap: flags, the HR
    /// service UUID, a name, RSSI −60 dBm.
    static let event: [UInt8] = [0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xAA, 0x00, 0x0F,
                                 0x02, 0x01, 0x06, 0x03, 0x03, 0x0D, 0x18, 0x07, 0x09, 0x63, 0x72, 0x61, 0x6D, 0x70, 0x64,
                                 0xC4]

    @Test func advertisingReportAndItsData() throws {
        let reports = try HCILEAdvertisingReport.decode(leMetaEvent: Self.event[...])
        #expect(reports.count == 1)
        let r = reports[0]
        #expect(r.address == "00:AA:01:00:00:00" && r.addressType == 0 && r.rssi == -60)
        let ad = try BLEAdvertisingData(decoding: r.data[...])
        #expect(ad.flags == 0x06 && ad.localName == "crampd" && ad.serviceUUIDs == [.heartRateService])
        #expect(ad.encoded == r.data)
        var emg: [UInt8] = [0x11, 0x07]
        EMGProfile.service.encode128(into: &emg)
        #expect(try BLEAdvertisingData(decoding: emg[...]).serviceUUIDs == [EMGProfile.service])
        // Zero padding ends the significant part.
        #expect(try BLEAdvertisingData(decoding: [0x02, 0x01, 0x06, 0x00, 0x00][...]).structures.count == 1)
    }

    @Test func malformedReportsAndData() {
        #expect(throws: ATTDecodeError(type: "HCILEAdvertisingReport",
                                       reason: .invalidValue("subevent 0x01 is not LE Advertising Report (0x02)"),
                                       offset: 0, expectedLength: 1, actualLength: 2)) {
            try HCILEAdvertisingReport.decode(leMetaEvent: [0x01, 0x01][...])
        }
        #expect(throws: ATTDecodeError.self) { try HCILEAdvertisingReport.decode(leMetaEvent: Self.event.dropLast()) }
        #expect(throws: ATTDecodeError.self) { try HCILEAdvertisingReport.decode(leMetaEvent: (Self.event + [0])[...]) }
        #expect(throws: ATTDecodeError(type: "BLEAdvertisingData", reason: .truncated, offset: 2, expectedLength: 6,
                                       actualLength: 3)) { try BLEAdvertisingData(decoding: [0x05, 0x09, 0x41][...]) }
        #expect(throws: ATTDecodeError(type: "BLEAdvertisingData", reason: .invalidValue("AD type 0x03 has 3 octets"),
                                       offset: 2, expectedLength: 5, actualLength: 5)) {
            try BLEAdvertisingData(decoding: [0x04, 0x03, 0x0D, 0x18, 0x0F][...])
        }
    }
}

@Suite struct ExtendedAdvertisingTests {
    /// LE Extended Advertising Report for a legacy ADV_IND advertised through the extended
    /// commands: Event_Type 0x0013, random address C2:11:22:33:44:55, primary PHY LE 1M, no
    /// secondary PHY (legacy), no SID, TX power and RSSI unavailable.
    static let event: [UInt8] = [0x0D, 0x01, 0x13, 0x00, 0x01, 0x55, 0x44, 0x33, 0x22, 0x11, 0xC2, 0x01, 0x00, 0xFF, 0x7F,
                                 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,
                                 0x02, 0x01, 0x06, 0x03, 0x03, 0x14, 0x18]

    @Test func legacyPDUsThroughAnExtendedScan() throws {
        let reports = try HCILEExtendedAdvertisingReport.decode(leMetaEvent: Self.event[...])
        #expect(reports.count == 1)
        let r = reports[0]
        #expect(r.address == "C2:11:22:33:44:55" && r.addressType == 1 && r.rssi == 127 && r.advertisingSID == 0xFF)
        #expect(r.isConnectable && r.isLegacy && !r.isScanResponse && r.dataStatus == .complete)
        #expect(try BLEAdvertisingData(decoding: r.data[...]).serviceUUIDs == [.runningSpeedAndCadenceService])
        #expect(HCILEExtendedAdvertisingReport.encode(reports) == Self.event)
        // A scan response to ADV_IND (0x1B); data incomplete, more to come (bit 5).
        let response = HCILEExtendedAdvertisingReport(eventType: 0x1B, addressType: 0, address: "00:AA:01:00:00:00", rssi: -50,
                                                      data: [0x03, 0x09, 0x41, 0x42])
        let more = HCILEExtendedAdvertisingReport(eventType: 0x0021, addressType: 0, address: "00:AA:01:00:00:00", rssi: -50,
                                                  data: [])
        let both = try HCILEExtendedAdvertisingReport.decode(leMetaEvent: HCILEExtendedAdvertisingReport.encode([response, more])[...])
        #expect(both[0].isScanResponse && both[0].isConnectable && both[1].dataStatus == .incompleteMoreToCome)
    }

    @Test func malformedExtendedReports() {
        #expect(throws: ATTDecodeError(type: "HCILEExtendedAdvertisingReport",
                                       reason: .invalidValue("subevent 0x02 is not LE Extended Advertising Report (0x0d)"),
                                       offset: 0, expectedLength: 1, actualLength: AdvertisingTests.event.count)) {
            try HCILEExtendedAdvertisingReport.decode(leMetaEvent: AdvertisingTests.event[...])
        }
        #expect(throws: ATTDecodeError(type: "HCILEExtendedAdvertisingReport", reason: .invalidValue("Num_Reports 11 is outside 1–10"),
                                       offset: 1, expectedLength: 2, actualLength: 2)) {
            try HCILEExtendedAdvertisingReport.decode(leMetaEvent: [0x0D, 11][...])
        }
        var reserved = Self.event
        reserved[2] = 0x73  // data status 3
        #expect(throws: ATTDecodeError.self) { try HCILEExtendedAdvertisingReport.decode(leMetaEvent: reserved[...]) }
        #expect(throws: ATTDecodeError.self) { try HCILEExtendedAdvertisingReport.decode(leMetaEvent: Self.event.dropLast()) }
        #expect(throws: ATTDecodeError.self) { try HCILEExtendedAdvertisingReport.decode(leMetaEvent: (Self.event + [0])[...]) }
    }
}
