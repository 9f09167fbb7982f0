// SPDX-License-Identifier: MIT
import BLEWire
import CrampCore

/// A link that came up, as the assembler needs it: what the device serves and what was read
/// from it during setup. A live session builds it from GATT discovery; a capture holds it as
/// `Characteristic`, `Value` and `Firmware` lines before the device's `link up`.
public struct BLELinkDescription: Hashable, Sendable {
    public var device: String
    public var timeNanoseconds: Int64
    public var name: String?
    public var firmware: String?
    /// The handles whose values this link delivers or delivered during setup, with their
    /// characteristic UUIDs.
    public var characteristics: [BLECaptureHeader.Characteristic]
    /// Values read during setup (EMG rate, channel map and scale; battery; body sensor
    /// location), in reading order.
    public var readValues: [BLECaptureHeader.ReadValue]

    public init(device: String, timeNanoseconds: Int64, name: String? = nil, firmware: String? = nil,
                characteristics: [BLECaptureHeader.Characteristic], readValues: [BLECaptureHeader.ReadValue]) {
        self.device = device
        self.timeNanoseconds = timeNanoseconds
        self.name = name
        self.firmware = firmware
        self.characteristics = characteristics
        self.readValues = readValues
    }
}

/// What the assembler is fed: the same from a live link and from a capture.
public enum BLESessionInput: Hashable, Sendable {
    case linkUp(BLELinkDescription)
    /// A notification or indication, with its reception time on the session clock.
    case value(BLECaptureRecord)
    case linkDown(device: String, timeNanoseconds: Int64, reason: String)
    /// The session ends: links still down get their gap closed here.
    case end(timeNanoseconds: Int64)
}

/// Turns link events and raw values into a session's events on one clock: decodes through
/// one ``BLESensorDecoder`` per link, times EMG blocks from their frame index, and makes every
/// loss an explicit ``BLESessionGap``.
///
/// Pure and deterministic: the same inputs give the same events, which is why a replayed
/// capture gives exactly the events the live session gave.
///
/// Timing rules:
/// - heart rate, cadence, battery: the value's reception time;
/// - RR intervals: the beat ending the last interval at reception, each earlier beat one
///   interval before the next;
/// - EMG: the first block of each link anchors the stream (its first frame at its reception
///   time minus the block's duration); every block is then `anchor + frames / rate`, so the
///   samples keep the sensor's own spacing whatever the radio's jitter, and their times never
///   go back. A first block that arrived late puts the anchor late: later blocks then lead their
///   reception by that delay (tens of milliseconds on a loaded host); the anchor is not moved,
///   because moving it would make sample times jump. A link's loss ends the stream; the next
///   link anchors a new one;
/// - a lost link's gap runs from the channels' last sample (the last value's reception, or the
///   end of the last EMG block if later) to the link's return.
public struct BLESessionAssembler: Sendable {
    private struct Device: Sendable {
        var configuration: BLEDeviceConfiguration
        var decoder: BLESensorDecoder
        var counters = BLESessionDeviceCounters()
        var isUp = false
        /// Set while the link is down after having been up: where the gap starts.
        var gapStart: Int64?
        var lastValue: Int64?
        var channels: [BLESessionChannel] = []
        var emgAnchor: (time: Int64, frame: Int64)?
        var emgNextFrame: Int64 = 0
        var emgRate: Hertz?
        /// The session time just after the link's last EMG sample (its blocks are timed from the
        /// anchor, and may lead their reception a little: see the type's timing rules).
        var emgEnd: Int64?
    }

    private var devices: [String: Device] = [:]
    /// Devices in first-appearance order (for deterministic end-of-session gaps).
    private var order: [String] = []
    private var configured: Set<String> = []

    /// - Parameter devices: the configured devices (cadence counting, EMG site and side);
    ///   devices that appear without configuration get the defaults.
    public init(devices: [BLEDeviceConfiguration] = []) {
        for d in devices {
            add(d)
            configured.insert(d.address)
        }
    }

    /// Changes a device's footpod counting from here on (a capture's `Cadence-Counting` line),
    /// unless the device was configured explicitly.
    public mutating func setCadenceCounting(_ counting: RSCCadenceCounting, for address: String) {
        guard !configured.contains(address) else { return }
        var d = device(address)
        d.configuration.cadenceCounting = counting
        d.decoder.cadenceCounting = counting
        devices[address] = d
    }

    /// Counters by device address.
    public var counters: [String: BLESessionDeviceCounters] { devices.mapValues(\.counters) }

    /// Whether the device's link is up.
    public func isUp(_ device: String) -> Bool { devices[device]?.isUp ?? false }

    private mutating func add(_ configuration: BLEDeviceConfiguration) {
        guard devices[configuration.address] == nil else { return }
        devices[configuration.address] = Device(
            configuration: configuration,
            decoder: BLESensorDecoder(device: configuration.address, cadenceCounting: configuration.cadenceCounting))
        order.append(configuration.address)
    }

    private mutating func device(_ address: String) -> Device {
        if devices[address] == nil { add(BLEDeviceConfiguration(address: address, kinds: [])) }
        return devices[address]!
    }

    /// Processes one input.
    ///
    /// - Returns: the events it causes, in order.
    public mutating func process(_ input: BLESessionInput) -> [BLESessionEvent] {
        switch input {
        case let .linkUp(link): return linkUp(link)
        case let .value(record): return value(record)
        case let .linkDown(address, t, reason): return linkDown(address, t, reason)
        case let .end(t):
            var out: [BLESessionEvent] = []
            for address in order {
                guard var d = devices[address], !d.isUp, let start = d.gapStart else { continue }
                d.gapStart = nil
                d.counters.gaps += 1
                devices[address] = d
                out.append(.gap(BLESessionGap(device: address, channels: d.channels, fromNanoseconds: start,
                                              toNanoseconds: max(start, t), cause: .linkLoss)))
            }
            return out
        }
    }

    // MARK: - Links

    private mutating func linkUp(_ link: BLELinkDescription) -> [BLESessionEvent] {
        var d = device(link.device)
        var out: [BLESessionEvent] = []
        let t = link.timeNanoseconds
        if let start = d.gapStart {
            d.counters.gaps += 1
            out.append(.gap(BLESessionGap(device: link.device, channels: d.channels, fromNanoseconds: start,
                                          toNanoseconds: max(start, t), cause: .linkLoss)))
        }
        // A fresh decoder per link: handles may differ, and the sensor may restart its EMG
        // sequence numbers (docs/EMG-GATT-PROFILE.md, "Loss, duplicates, time").
        d.decoder = BLESensorDecoder(device: link.device, cadenceCounting: d.configuration.cadenceCounting)
        for c in link.characteristics where c.device == link.device {
            if let kind = BLECharacteristicKind(uuid: c.uuid) { d.decoder.setKind(kind, forHandle: c.handle) }
        }
        d.isUp = true
        d.gapStart = nil
        d.lastValue = nil
        d.emgAnchor = nil
        d.emgNextFrame = 0
        d.emgRate = nil
        d.emgEnd = nil
        d.counters.connections += 1
        var readEvents: [BLESessionEvent] = []
        for v in link.readValues where v.device == link.device {
            readEvents += convert(d.decoder.decode(handle: v.handle, value: v.value, timeNanoseconds: t), &d, t)
        }
        d.channels = channels(of: d)
        out.append(.connected(BLESessionLink(device: link.device, timeNanoseconds: t, connection: d.counters.connections,
                                             name: link.name, firmware: link.firmware, channels: d.channels)))
        out += readEvents
        devices[link.device] = d
        return out
    }

    private mutating func linkDown(_ address: String, _ t: Int64, _ reason: String) -> [BLESessionEvent] {
        var d = device(address)
        guard d.isUp else { return [] }
        d.isUp = false
        d.counters.disconnections += 1
        // The channels were silent from their last sample on (the link may take seconds to be
        // declared lost: the supervision timeout): the last value's reception, or the end of
        // the last EMG block if it is later.
        d.gapStart = max(min(d.lastValue ?? t, t), d.emgEnd ?? .min)
        devices[address] = d
        return [.disconnected(device: address, timeNanoseconds: t, reason: reason)]
    }

    /// What a link delivers, from its decoder's kinds (and, for EMG, the channel map read).
    private func channels(of d: Device) -> [BLESessionChannel] {
        let kinds = Set(d.decoder.kinds.values)
        var out: [BLESessionChannel] = []
        if kinds.contains(.heartRateMeasurement) {
            out += [BLESessionChannel(kind: .hr, descriptor: .heartRate), BLESessionChannel(kind: .rr, descriptor: .rrInterval)]
        }
        if kinds.contains(.rscMeasurement) {
            out += [BLESessionChannel(kind: .cadence, descriptor: .cadence), BLESessionChannel(kind: .speed, descriptor: .speed)]
        }
        if kinds.contains(.emgData) {
            let map = d.decoder.emgChannelMap?.channels ?? []
            out += emgChannels(count: map.count, map: map, d.configuration)
        } else if kinds.contains(.myoEMG) {
            out += emgChannels(count: MyoEMGData.channelCount, map: [], d.configuration)
        }
        return out
    }

    private func emgChannels(count: Int, map: [EMGChannelMap.Channel], _ c: BLEDeviceConfiguration) -> [BLESessionChannel] {
        (0 ..< count).map { k in
            let entry = k < map.count ? map[k] : nil
            let site = entry?.site.name.flatMap(MuscleSite.init(rawValue:))
            let side = entry?.side.letter.flatMap(BodySide.init(rawValue:))
            // An explicit channel list wins; else each of site and side comes from the map, or
            // from the configuration where the map leaves it unspecified.
            var descriptor: ChannelDescriptor?
            if let explicit = c.emgChannels {
                descriptor = k < explicit.count ? explicit[k] : nil
            } else if let s = site ?? c.emgSite, let b = side ?? c.emgSide {
                descriptor = .emg(s, b)
            }
            return BLESessionChannel(kind: .emg, index: k, descriptor: descriptor)
        }
    }

    // MARK: - Values

    private mutating func value(_ record: BLECaptureRecord) -> [BLESessionEvent] {
        var d = device(record.device)
        let t = record.timeNanoseconds
        let samples = d.decoder.decode(handle: record.handle, value: record.value, timeNanoseconds: t)
        if samples.isEmpty, d.decoder.kinds[record.handle] == nil { d.counters.dropped += 1 }
        let out = convert(samples, &d, t)
        d.lastValue = t
        devices[record.device] = d
        return out
    }

    private func convert(_ samples: [BLESample], _ d: inout Device, _ t: Int64) -> [BLESessionEvent] {
        var out: [BLESessionEvent] = []
        for sample in samples {
            switch sample {
            case let .heartRate(s):
                d.counters.heartRateSamples += 1
                var beats: [Int64] = []
                var beat = t
                for rr in s.rrIntervals.reversed() {
                    beats.append(beat)
                    beat -= rr.nanoseconds
                }
                out.append(.heartRate(BLESessionHeartRate(device: s.device, timeNanoseconds: t, beatsPerMinute: s.beatsPerMinute,
                                                          sensorContact: s.sensorContact, rrIntervals: s.rrIntervals,
                                                          beatTimesNanoseconds: beats.reversed())))
            case let .cadence(s):
                d.counters.cadenceSamples += 1
                out.append(.cadence(BLESessionCadence(device: s.device, timeNanoseconds: t, stepsPerMinute: s.stepsPerMinute,
                                                      isPlausible: s.isPlausible, suggestedCounting: s.suggestedCounting,
                                                      speedMetresPerSecond: s.speedMetresPerSecond,
                                                      strideLengthMetres: s.strideLengthMetres,
                                                      totalDistanceMetres: s.totalDistanceMetres, isRunning: s.isRunning)))
            case let .emg(block):
                out.append(.emg(emgBlock(block, &d, t)))
            case let .emgGap(_, device, packets, frames):
                d.counters.emgPacketsLost += packets
                let emg = d.channels.filter { $0.kind == .emg }
                // From the end of the last block to where the next one starts.
                let from = d.emgAnchor.map { time(ofFrame: d.emgNextFrame, anchor: $0, rate: d.emgRate) } ?? t
                let to = d.emgAnchor.map { time(ofFrame: d.emgNextFrame + frames, anchor: $0, rate: d.emgRate) } ?? t
                d.counters.gaps += 1
                out.append(.gap(BLESessionGap(device: device, channels: emg, fromNanoseconds: from, toNanoseconds: to,
                                              cause: .packetsLost(packets))))
            case let .battery(_, device, percent):
                out.append(.battery(device: device, timeNanoseconds: t, percent: percent))
            case let .bodySensorLocation(_, device, location):
                out.append(.bodySensorLocation(device: device, timeNanoseconds: t, location: location))
            case let .dropped(_, device, handle, error):
                d.counters.dropped += 1
                out.append(.dropped(device: device, timeNanoseconds: t, handle: handle, reason: "\(error)"))
            case let .emgOutOfOrder(_, device, sequence):
                d.counters.dropped += 1
                out.append(.dropped(device: device, timeNanoseconds: t, handle: 0,
                                    reason: "EMG packet \(sequence) repeats or precedes the last one"))
            }
        }
        return out
    }

    private func emgBlock(_ block: BLEEMGBlock, _ d: inout Device, _ t: Int64) -> BLESessionEMGBlock {
        let rate = block.sampleRate
        let frames = Int64(block.frameCount)
        var start = t
        if let rate, rate.value > 0 {
            if d.emgAnchor == nil {
                d.emgAnchor = (t - Int64((Double(frames) * 1e9 / rate.value).rounded()), block.firstFrame)
            }
            start = time(ofFrame: block.firstFrame, anchor: d.emgAnchor!, rate: rate)
        }
        d.emgNextFrame = block.firstFrame + frames
        d.emgRate = rate
        if let rate, rate.value > 0, let anchor = d.emgAnchor {
            d.emgEnd = time(ofFrame: d.emgNextFrame, anchor: anchor, rate: rate)
        } else {
            d.emgEnd = start
        }
        d.counters.emgBlocks += 1
        d.counters.emgFrames += frames
        // The link's EMG channels, or (a packet whose channel count differs from the map)
        // unlabelled ones.
        var channels = d.channels.filter { $0.kind == .emg }
        if channels.count != block.channels.count {
            channels = (0 ..< block.channels.count).map { BLESessionChannel(kind: .emg, index: $0, descriptor: nil) }
        }
        return BLESessionEMGBlock(device: block.device, timeNanoseconds: start, receivedNanoseconds: t,
                                  firstFrame: block.firstFrame, sampleRate: rate, channels: channels, unit: block.unit,
                                  samples: block.samples)
    }

    private func time(ofFrame frame: Int64, anchor: (time: Int64, frame: Int64), rate: Hertz?) -> Int64 {
        guard let rate, rate.value > 0 else { return anchor.time }
        return anchor.time + Int64((Double(frame - anchor.frame) * 1e9 / rate.value).rounded())
    }
}
