// SPDX-License-Identifier: MIT
import BLEWire
import CrampCore

/// Which decoder a characteristic's values go through.
public enum BLECharacteristicKind: String, Hashable, Sendable, CaseIterable {
    case heartRateMeasurement = "heart-rate-measurement"
    case bodySensorLocation = "body-sensor-location"
    case rscMeasurement = "rsc-measurement"
    case batteryLevel = "battery-level"
    case emgSampleRate = "emg-sample-rate"
    case emgChannelMap = "emg-channel-map"
    case emgScale = "emg-scale"
    case emgData = "emg-data"
    case myoEMG = "myo-emg"

    /// The kind of a characteristic UUID, or `nil` for characteristics crampd does not decode.
    public init?(uuid: BluetoothUUID) {
        switch uuid {
        case .heartRateMeasurement: self = .heartRateMeasurement
        case .bodySensorLocation: self = .bodySensorLocation
        case .rscMeasurement: self = .rscMeasurement
        case .batteryLevel: self = .batteryLevel
        case EMGProfile.sampleRate: self = .emgSampleRate
        case EMGProfile.channelMap: self = .emgChannelMap
        case EMGProfile.scale: self = .emgScale
        case EMGProfile.data: self = .emgData
        default:
            guard MyoProfile.emgDataCharacteristics.contains(uuid) else { return nil }
            self = .myoEMG
        }
    }

    /// The characteristic's UUID (the first Myo EMG characteristic for `.myoEMG`).
    public var uuid: BluetoothUUID {
        switch self {
        case .heartRateMeasurement: .heartRateMeasurement
        case .bodySensorLocation: .bodySensorLocation
        case .rscMeasurement: .rscMeasurement
        case .batteryLevel: .batteryLevel
        case .emgSampleRate: EMGProfile.sampleRate
        case .emgChannelMap: EMGProfile.channelMap
        case .emgScale: EMGProfile.scale
        case .emgData: EMGProfile.data
        case .myoEMG: MyoProfile.emgDataCharacteristics[0]
        }
    }
}

/// A heart-rate value with its RR intervals, at the time the notification arrived.
public struct BLEHeartRateSample: Hashable, Sendable {
    public var timeNanoseconds: Int64
    public var device: String
    public var beatsPerMinute: Int
    public var rrIntervals: [Duration]
    public var sensorContact: HeartRateMeasurement.SensorContact
}

/// A running speed and cadence value.
public struct BLECadenceSample: Hashable, Sendable {
    public var timeNanoseconds: Int64
    public var device: String
    /// Steps per minute (both feet), after the sensor's counting setting.
    public var stepsPerMinute: Int
    public var isPlausible: Bool
    /// The other counting setting, when only it would make the cadence plausible.
    public var suggestedCounting: RSCCadenceCounting?
    public var speedMetresPerSecond: Double
    public var strideLengthMetres: Double?
    public var totalDistanceMetres: Double?
    public var isRunning: Bool
}

/// One notification's worth of EMG: frames of one sample per channel, interleaved.
public struct BLEEMGBlock: Hashable, Sendable {
    public enum Unit: String, Hashable, Sendable {
        /// Scaled by the sensor's EMG Scale characteristic.
        case microvolts = "uV"
        /// Raw counts (no scale known: Myo, or an EMG profile sensor whose Scale was not read).
        case counts = "count"
    }

    public var timeNanoseconds: Int64
    public var device: String
    /// The index of the block's first frame in the device's stream, counting lost frames, so
    /// a sample's time is `firstFrame / sampleRate` from the stream's first sample.
    public var firstFrame: Int64
    public var sampleRate: Hertz?
    /// One entry per channel: crampd's channel (`EMG gastroc L`) or `nil` when the sensor's
    /// channel map leaves site or side unspecified.
    public var channels: [ChannelDescriptor?]
    public var unit: Unit
    /// Frame-major samples: `samples[frame * channels.count + channel]`.
    public var samples: [Float]

    public var frameCount: Int { channels.isEmpty ? 0 : samples.count / channels.count }
}

/// One decoded value, or an explicit gap or drop: what a BLE source emits.
public enum BLESample: Hashable, Sendable {
    case heartRate(BLEHeartRateSample)
    case cadence(BLECadenceSample)
    case emg(BLEEMGBlock)
    case battery(timeNanoseconds: Int64, device: String, percent: Int)
    case bodySensorLocation(timeNanoseconds: Int64, device: String, location: BodySensorLocation)
    /// EMG notifications lost before the one at this time (from sequence numbers); the frames
    /// are missing from the stream, never filled in.
    case emgGap(timeNanoseconds: Int64, device: String, missingPackets: Int, missingFrames: Int64)
    /// A value that could not be decoded: counted and dropped, with the reason.
    case dropped(timeNanoseconds: Int64, device: String, handle: UInt16, error: ATTDecodeError)
    /// An EMG packet that repeats or precedes the last one: dropped.
    case emgOutOfOrder(timeNanoseconds: Int64, device: String, sequenceNumber: UInt16)
}

/// What a ``BLESensorDecoder`` counted.
public struct BLEDecoderCounters: Hashable, Sendable {
    public var decoded = 0
    /// Values that failed to decode, by characteristic kind.
    public var malformed: [BLECharacteristicKind: Int] = [:]
    /// Values for handles with no known kind.
    public var unknownHandle = 0
    public var emgPacketsLost = 0
    public var emgOutOfOrder = 0
    /// EMG packets whose channel count differs from the channel map.
    public var emgChannelMismatch = 0

    public init() {}

    public var malformedTotal: Int { malformed.values.reduce(0, +) }
}

/// Decodes the values of one device's characteristics into samples: the same code for a live
/// link and for a replayed capture.
///
/// Pure: values and their arrival times in, samples out. Malformed values become
/// `.dropped` samples and counts, never a trap; nothing already decoded is lost.
public struct BLESensorDecoder: Sendable {
    public let device: String
    public var cadenceCounting: RSCCadenceCounting
    public private(set) var kinds: [UInt16: BLECharacteristicKind] = [:]
    public private(set) var emgSampleRate: EMGSampleRate?
    public private(set) var emgChannelMap: EMGChannelMap?
    public private(set) var emgScale: EMGScale?
    public private(set) var counters = BLEDecoderCounters()
    private var sequence = EMGSequenceTracker()
    private var nextFrame: Int64 = 0
    private var lastFramesPerPacket: Int64 = 0
    private var myoFrame: Int64 = 0

    /// - Parameters:
    ///   - device: the device address, carried into every sample.
    ///   - cadenceCounting: what this sensor's RSC cadence counts (a per-sensor setting).
    public init(device: String, cadenceCounting: RSCCadenceCounting = .twoFoot) {
        self.device = device
        self.cadenceCounting = cadenceCounting
    }

    /// Declares which decoder a handle's values go through.
    public mutating func setKind(_ kind: BLECharacteristicKind, forHandle handle: UInt16) {
        kinds[handle] = kind
    }

    /// Decodes one value (a notification, an indication or a read).
    public mutating func decode(handle: UInt16, value: [UInt8], timeNanoseconds t: Int64) -> [BLESample] {
        guard let kind = kinds[handle] else {
            counters.unknownHandle += 1
            return []
        }
        do {
            let samples = try decode(kind, value[...], t)
            counters.decoded += 1
            return samples
        } catch {
            counters.malformed[kind, default: 0] += 1
            return [.dropped(timeNanoseconds: t, device: device, handle: handle, error: error)]
        }
    }

    private mutating func decode(_ kind: BLECharacteristicKind, _ value: ArraySlice<UInt8>,
                                 _ t: Int64) throws(ATTDecodeError) -> [BLESample] {
        switch kind {
        case .heartRateMeasurement:
            let m = try HeartRateMeasurement(decoding: value)
            return [.heartRate(BLEHeartRateSample(timeNanoseconds: t, device: device, beatsPerMinute: Int(m.beatsPerMinute),
                                                  rrIntervals: m.rrIntervals, sensorContact: m.sensorContact))]
        case .bodySensorLocation:
            return [.bodySensorLocation(timeNanoseconds: t, device: device, location: try BodySensorLocation(decoding: value))]
        case .rscMeasurement:
            let m = try RSCMeasurement(decoding: value)
            let cadence = m.cadence(counting: cadenceCounting)
            return [.cadence(BLECadenceSample(timeNanoseconds: t, device: device, stepsPerMinute: cadence.stepsPerMinute,
                                              isPlausible: cadence.isPlausible, suggestedCounting: cadence.suggestedCounting,
                                              speedMetresPerSecond: m.speedMetresPerSecond,
                                              strideLengthMetres: m.strideLengthMetres,
                                              totalDistanceMetres: m.totalDistanceMetres, isRunning: m.isRunning))]
        case .batteryLevel:
            return [.battery(timeNanoseconds: t, device: device, percent: Int(try BatteryLevel(decoding: value).percent))]
        case .emgSampleRate:
            emgSampleRate = try EMGSampleRate(decoding: value)
            return []
        case .emgChannelMap:
            emgChannelMap = try EMGChannelMap(decoding: value)
            return []
        case .emgScale:
            emgScale = try EMGScale(decoding: value)
            return []
        case .emgData:
            return try decodeEMG(value, t)
        case .myoEMG:
            let data = try MyoEMGData(decoding: value)
            let block = BLEEMGBlock(timeNanoseconds: t, device: device, firstFrame: myoFrame,
                                    sampleRate: Hertz(Double(MyoEMGData.sampleRate)),
                                    channels: Array(repeating: nil, count: MyoEMGData.channelCount), unit: .counts,
                                    samples: data.samples.map { Float($0) })
            myoFrame += Int64(MyoEMGData.framesPerNotification)
            return [.emg(block)]
        }
    }

    private mutating func decodeEMG(_ value: ArraySlice<UInt8>, _ t: Int64) throws(ATTDecodeError) -> [BLESample] {
        let packet = try EMGDataPacket(decoding: value)
        var out: [BLESample] = []
        switch sequence.observe(packet.sequenceNumber) {
        case .first, .inOrder: break
        case let .gap(missing):
            counters.emgPacketsLost += missing
            // Lost packets are assumed to have carried as many frames as the last one: the
            // sensor sends fixed-size packets (docs/EMG-GATT-PROFILE.md).
            let frames = Int64(missing) * (lastFramesPerPacket > 0 ? lastFramesPerPacket : Int64(packet.frameCount))
            nextFrame += frames
            out.append(.emgGap(timeNanoseconds: t, device: device, missingPackets: missing, missingFrames: frames))
        case .duplicate, .outOfOrder:
            counters.emgOutOfOrder += 1
            return [.emgOutOfOrder(timeNanoseconds: t, device: device, sequenceNumber: packet.sequenceNumber)]
        }
        var channels: [ChannelDescriptor?] = Array(repeating: nil, count: packet.channelCount)
        if let map = emgChannelMap {
            if map.channels.count == packet.channelCount {
                channels = map.channels.map(Self.channel)
            } else {
                counters.emgChannelMismatch += 1
            }
        }
        let scale = emgScale?.microvoltsPerCount
        let block = BLEEMGBlock(timeNanoseconds: t, device: device, firstFrame: nextFrame,
                                sampleRate: emgSampleRate.map { Hertz(Double($0.hertz)) }, channels: channels,
                                unit: scale == nil ? .counts : .microvolts,
                                samples: packet.samples.map { Float($0) * (scale ?? 1) })
        nextFrame += Int64(packet.frameCount)
        lastFramesPerPacket = Int64(packet.frameCount)
        out.append(.emg(block))
        return out
    }

    /// crampd's channel for a profile channel, when site and side are both known to crampd.
    static func channel(_ channel: EMGChannelMap.Channel) -> ChannelDescriptor? {
        guard let name = channel.site.name, let site = MuscleSite(rawValue: name),
              let letter = channel.side.letter, let side = BodySide(rawValue: letter) else { return nil }
        return .emg(site, side)
    }

    /// Starts a new EMG stream (after a reconnection): the next packet's sequence is not
    /// compared with the last one's.
    public mutating func resetEMGStream() {
        sequence.reset()
    }
}
