// SPDX-License-Identifier: MIT
import BLEWire
import CrampBLE

/// What a simulated sensor serves and how fast it sends.
public struct SimulatedSensorConfiguration: Sendable {
    /// The profiles served: Heart Rate, Running Speed and Cadence, crampd's EMG profile, Myo EMG.
    public var kinds: Set<BLEDeviceKind>
    /// Device Name (0x2A00).
    public var name: String
    /// Firmware Revision String (0x2A26, Device Information).
    public var firmware: String
    public var heartRateInterval: Duration
    public var rscInterval: Duration
    /// EMG frames per second per channel.
    public var emgRate: UInt32
    public var emgChannels: [EMGChannelMap.Channel]
    /// Frames per EMG Data notification, at most what the negotiated ATT_MTU allows.
    public var emgFramesPerPacket: Int
    /// µV per count.
    public var emgScale: Float
    /// What the footpod's RSC cadence field counts.
    public var cadenceCounting: RSCCadenceCounting
    public var seed: UInt64

    public init(kinds: Set<BLEDeviceKind>, name: String = "crampd-sim", firmware: String = "crampd-sim 1.0",
                heartRateInterval: Duration = .seconds(1), rscInterval: Duration = .seconds(1), emgRate: UInt32 = 1000,
                emgChannels: [EMGChannelMap.Channel] = [.init(site: .gastroc, side: .left), .init(site: .soleus, side: .left)],
                emgFramesPerPacket: Int = 50, emgScale: Float = 0.5, cadenceCounting: RSCCadenceCounting = .twoFoot,
                seed: UInt64 = 1) {
        self.kinds = kinds
        self.name = name
        self.firmware = firmware
        self.heartRateInterval = heartRateInterval
        self.rscInterval = rscInterval
        self.emgRate = emgRate
        self.emgChannels = emgChannels
        self.emgFramesPerPacket = emgFramesPerPacket
        self.emgScale = emgScale
        self.cadenceCounting = cadenceCounting
        self.seed = seed
    }
}

/// A simulated sensor: a GATT database (Generic Access, Device Information, Battery, and the
/// configured profiles) and deterministic signals, encoded with crampd's own BLEWire encoders —
/// the other side of the wire from the decoders, so that a session against it exercises both.
///
/// Pure: requests in, responses out; `due(at:)` says which notifications are due at a time on
/// the sensor's clock. ``SimulatedSensorLink`` runs it over a socket.
public struct SimulatedSensor: Sendable {
    /// The handles of the values a client subscribes to, and their CCCDs.
    public struct Handles: Hashable, Sendable {
        public var heartRateMeasurement: UInt16?
        public var heartRateCCCD: UInt16?
        public var rscMeasurement: UInt16?
        public var rscCCCD: UInt16?
        public var emgData: UInt16?
        public var emgCCCD: UInt16?
        public var myoData: [UInt16] = []
        public var myoCCCDs: [UInt16] = []
        public var myoCommand: UInt16?
        public var battery: UInt16?
    }

    public let configuration: SimulatedSensorConfiguration
    public private(set) var server: ATTLocalServer
    public let handles: Handles
    /// ATT_MTU of the current link.
    public private(set) var mtu = 23
    /// What was sent, for tests and the peripheral's log.
    public private(set) var sent = (heartRate: 0, rsc: 0, emg: 0, myo: 0)

    private var random: SimulatorRandom
    private var nextHeartRate: Duration = .zero
    private var nextRSC: Duration = .zero
    private var nextBeat: Double = 0
    private var pendingRR: [UInt16] = []
    private var distanceDecimetres: Double = 0
    private var emgFramesProduced: Int64 = 0
    private var emgStart: Duration?
    private var emgSequence: UInt16 = 0
    private var myoFrames: Int64 = 0
    private var myoStart: Duration?
    private var myoStreaming = false

    public init(configuration: SimulatedSensorConfiguration) {
        self.configuration = configuration
        random = SimulatorRandom(seed: configuration.seed)
        var b = DatabaseBuilder()
        var h = Handles()
        b.service(.genericAccessService) { b in
            _ = b.characteristic(.deviceName, [.read], Array(configuration.name.utf8))
            _ = b.characteristic(.appearance, [.read], [0x41, 0x03])  // 0x0341: Heart Rate Sensor, Heart Rate Belt
        }
        b.service(.genericAttributeService) { _ in }
        b.service(.deviceInformationService) { b in
            _ = b.characteristic(.manufacturerNameString, [.read], Array("crampd".utf8))
            _ = b.characteristic(.firmwareRevisionString, [.read], Array(configuration.firmware.utf8))
        }
        b.service(.batteryService) { b in
            h.battery = b.characteristic(.batteryLevel, [.read], BatteryLevel(percent: 90).encoded).value
        }
        if configuration.kinds.contains(.hr) {
            b.service(.heartRateService) { b in
                let m = b.characteristic(.heartRateMeasurement, [.notify], [], cccd: true)
                (h.heartRateMeasurement, h.heartRateCCCD) = (m.value, m.cccd)
                _ = b.characteristic(.bodySensorLocation, [.read], [BodySensorLocation.chest.rawValue])
            }
        }
        if configuration.kinds.contains(.rsc) {
            b.service(.runningSpeedAndCadenceService) { b in
                let m = b.characteristic(.rscMeasurement, [.notify], [], cccd: true)
                (h.rscMeasurement, h.rscCCCD) = (m.value, m.cccd)
                // RSC Feature: Instantaneous Stride Length, Total Distance, Walking or Running.
                _ = b.characteristic(.rscFeature, [.read], [0x07, 0x00])
            }
        }
        if configuration.kinds.contains(.emg) {
            b.service(EMGProfile.service) { b in
                _ = b.characteristic(EMGProfile.sampleRate, [.read], EMGSampleRate(hertz: configuration.emgRate).encoded)
                _ = b.characteristic(EMGProfile.channelMap, [.read], EMGChannelMap(channels: configuration.emgChannels).encoded)
                _ = b.characteristic(EMGProfile.scale, [.read], EMGScale(microvoltsPerCount: configuration.emgScale).encoded)
                let d = b.characteristic(EMGProfile.data, [.notify], [], cccd: true)
                (h.emgData, h.emgCCCD) = (d.value, d.cccd)
            }
        }
        if configuration.kinds.contains(.myo) {
            b.service(MyoProfile.controlService) { b in
                h.myoCommand = b.characteristic(MyoProfile.commandCharacteristic, [.write], [], writable: true).value
            }
            b.service(MyoProfile.emgDataService) { b in
                for uuid in MyoProfile.emgDataCharacteristics {
                    let d = b.characteristic(uuid, [.notify], [], cccd: true)
                    h.myoData.append(d.value)
                    h.myoCCCDs.append(d.cccd!)
                }
            }
        }
        server = ATTLocalServer(attributes: b.attributes)
        handles = h
    }

    /// A new link: ATT_MTU back to 23, notifications off (CCCDs are per client and per link),
    /// schedules restarted from `now`.
    public mutating func linkStarted(at now: Duration) {
        mtu = 23
        for cccd in [handles.heartRateCCCD, handles.rscCCCD, handles.emgCCCD].compactMap({ $0 }) + handles.myoCCCDs {
            server.setValue([0, 0], at: cccd)
        }
        nextHeartRate = now + configuration.heartRateInterval
        nextRSC = now + configuration.rscInterval
        nextBeat = now.secondsValue
        pendingRR.removeAll()
        emgStart = nil
        myoStart = nil
        myoStreaming = false
    }

    /// The response to one PDU from the client, or `nil` for commands and PDUs that need none.
    public mutating func receive(_ pdu: ArraySlice<UInt8>) -> [UInt8]? {
        guard let raw = pdu.first else { return nil }
        switch ATTOpcode(rawValue: raw) {
        case .exchangeMTURequest:
            guard let request = try? ATTExchangeMTURequest(decoding: pdu) else {
                return ATTErrorResponse(requestOpcode: raw, attributeHandle: 0, errorCode: .invalidPDU).encoded
            }
            let response = ATTExchangeMTUResponse(serverRxMTU: 247)
            mtu = Int(response.negotiatedMTU(clientRxMTU: request.clientRxMTU))
            return response.encoded
        case .writeCommand:
            server.apply(command: pdu)
            noteMyoCommand()
            return nil
        case .handleValueConfirmation:
            return nil
        default:
            if ATTOpcode.kind(ofRaw: raw) != .request { return nil }
            let response = server.respond(to: pdu, mtu: mtu)
            noteMyoCommand()
            return response
        }
    }

    private mutating func noteMyoCommand() {
        guard let handle = handles.myoCommand, let value = server.value(at: handle), !value.isEmpty else { return }
        myoStreaming = value == MyoProfile.startEMGCommand
    }

    private func enabled(_ cccd: UInt16?) -> Bool {
        guard let cccd, let value = server.value(at: cccd), let first = value.first else { return false }
        return first & 0x01 != 0
    }

    /// The notifications due by `now` (the sensor's clock), oldest first, as ATT PDUs.
    public mutating func due(at now: Duration) -> [[UInt8]] {
        var out: [[UInt8]] = []
        let seconds = now.secondsValue
        // Heart rate around 150 bpm; the RR intervals of the beats since the last notification.
        while nextBeat <= seconds {
            let bpm = heartRate(at: nextBeat)
            let interval = 60 / bpm
            nextBeat += interval
            pendingRR.append(UInt16((interval * 1024).rounded()))
        }
        if let handle = handles.heartRateMeasurement, now >= nextHeartRate {
            nextHeartRate += configuration.heartRateInterval
            if enabled(handles.heartRateCCCD) {
                let m = HeartRateMeasurement(beatsPerMinute: UInt16(heartRate(at: seconds).rounded()), sensorContact: .detected,
                                             rrIntervals1024: Array(pendingRR.suffix(8)))
                out.append(ATTHandleValueNotification(attributeHandle: handle, attributeValue: m.encoded).encoded)
                sent.heartRate += 1
            }
            pendingRR.removeAll()
        }
        // Footpod: about 3.3 m/s at 170 steps/min.
        if let handle = handles.rscMeasurement, now >= nextRSC {
            nextRSC += configuration.rscInterval
            let speed = 3.3 + 0.3 * sinApprox(seconds / 20)
            distanceDecimetres += speed * configuration.rscInterval.secondsValue * 10
            let steps = 170.0 + 4 * sinApprox(seconds / 15)
            let field = configuration.cadenceCounting == .oneFoot ? steps / 2 : steps
            if enabled(handles.rscCCCD) {
                let m = RSCMeasurement(speed256: UInt16((speed * 256).rounded()), cadencePerMinute: UInt8(field.rounded()),
                                       strideLengthCentimetres: UInt16((speed * 60 / (steps / 2) * 100).rounded()),
                                       totalDistanceDecimetres: UInt32(distanceDecimetres.rounded()), isRunning: true)
                out.append(ATTHandleValueNotification(attributeHandle: handle, attributeValue: m.encoded).encoded)
                sent.rsc += 1
            }
        }
        // EMG: packets of whole frames, as many as are due; the sequence counts every packet.
        if let handle = handles.emgData, enabled(handles.emgCCCD) {
            if emgStart == nil {
                emgStart = now
                emgFramesProduced = 0
            }
            let channels = configuration.emgChannels.count
            let fit = max(1, (mtu - 3 - 4) / (2 * channels))
            let perPacket = min(configuration.emgFramesPerPacket, fit)
            let due = Int64(((now - emgStart!).secondsValue * Double(configuration.emgRate)).rounded(.down))
            while due - emgFramesProduced >= Int64(perPacket) {
                var samples: [Int16] = []
                samples.reserveCapacity(perPacket * channels)
                for k in 0 ..< perPacket {
                    let t = emgStart!.secondsValue + Double(emgFramesProduced + Int64(k)) / Double(configuration.emgRate)
                    for c in 0 ..< channels { samples.append(emgCounts(at: t, channel: c)) }
                }
                let packet = EMGDataPacket(sequenceNumber: emgSequence, channelCount: channels, samples: samples)
                out.append(ATTHandleValueNotification(attributeHandle: handle, attributeValue: packet.encoded).encoded)
                emgSequence &+= 1
                emgFramesProduced += Int64(perPacket)
                sent.emg += 1
            }
        }
        // Myo: two 8-channel int8 frames per notification, the four characteristics in turn.
        if !handles.myoData.isEmpty, myoStreaming {
            if myoStart == nil {
                myoStart = now
                myoFrames = 0
            }
            let due = Int64(((now - myoStart!).secondsValue * Double(MyoEMGData.sampleRate)).rounded(.down))
            while due - myoFrames >= 2 {
                let which = Int((myoFrames / 2) % 4)
                var samples: [Int8] = []
                for k in 0 ..< 2 {
                    let t = myoStart!.secondsValue + Double(myoFrames + Int64(k)) / Double(MyoEMGData.sampleRate)
                    for c in 0 ..< 8 { samples.append(Int8(clamping: Int(emgCounts(at: t, channel: c)) / 64)) }
                }
                if enabled(handles.myoCCCDs[which]) {
                    out.append(ATTHandleValueNotification(attributeHandle: handles.myoData[which],
                                                          attributeValue: MyoEMGData(samples: samples).encoded).encoded)
                    sent.myo += 1
                }
                myoFrames += 2
            }
        }
        return out
    }

    private func heartRate(at seconds: Double) -> Double { 150 + 8 * sinApprox(seconds / 30) }

    /// Surface EMG in counts: noise shaped by gait bursts (each channel's muscle active for a
    /// third of every stride, the channels a quarter stride apart).
    private mutating func emgCounts(at t: Double, channel: Int) -> Int16 {
        let strideSeconds = 60.0 / 85
        let phase = (t / strideSeconds + Double(channel) * 0.25).truncatingRemainder(dividingBy: 1)
        let envelope = phase < 0.33 ? 1.0 : 0.12
        let microvolts = random.gaussian() * 120 * envelope
        return Int16(clamping: Int((microvolts / Double(configuration.emgScale)).rounded()))
    }
}

/// Builds an attribute table: services with their groups, characteristics with their
/// declarations and CCCDs, handles in order.
struct DatabaseBuilder {
    var attributes: [ATTLocalServer.Attribute] = []
    var next: UInt16 = 1

    mutating func service(_ uuid: BluetoothUUID, _ body: (inout DatabaseBuilder) -> Void) {
        let index = attributes.count
        var value: [UInt8] = []
        uuid.encode(into: &value)
        attributes.append(.init(handle: next, type: .primaryService, value: value))
        next += 1
        body(&self)
        attributes[index].groupEnd = next - 1
    }

    mutating func characteristic(_ uuid: BluetoothUUID, _ properties: GATTCharacteristicProperties, _ value: [UInt8],
                                 cccd: Bool = false, writable: Bool = false) -> (value: UInt16, cccd: UInt16?) {
        let declaration = next
        let valueHandle = next + 1
        var bytes: [UInt8] = []
        GATTCharacteristicDeclaration(properties: properties, valueHandle: valueHandle, uuid: uuid).encode(into: &bytes)
        attributes.append(.init(handle: declaration, type: .characteristic, value: bytes))
        attributes.append(.init(handle: valueHandle, type: uuid, value: value, isWritable: writable))
        next += 2
        guard cccd else { return (valueHandle, nil) }
        attributes.append(.init(handle: next, type: .clientCharacteristicConfiguration, value: [0, 0], isWritable: true))
        next += 1
        return (valueHandle, next - 1)
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a small, seeded, reproducible generator.
struct SimulatorRandom: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }

    /// Approximately standard normal: the sum of twelve uniforms, less six.
    mutating func gaussian() -> Double {
        var sum = 0.0
        for _ in 0 ..< 12 { sum += uniform() }
        return sum - 6
    }
}

/// sin(2πx) to a few parts per thousand, without Foundation: a parabola fit per half period
/// (Bhaskara-style), plenty for a simulated heart rate and speed.
func sinApprox(_ turns: Double) -> Double {
    var x = turns.truncatingRemainder(dividingBy: 1)
    if x < 0 { x += 1 }
    let half = x < 0.5 ? x : x - 0.5
    let y = 16 * half * (0.5 - half) / (1.25 - 4 * half * (0.5 - half))
    return x < 0.5 ? y : -y
}

extension Duration {
    var secondsValue: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
