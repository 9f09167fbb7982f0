// SPDX-License-Identifier: MIT
import BLEWire
import CrampCore

// MARK: - Channels

/// One signal a device delivers in a session: heart rate, RR, cadence, speed, or one EMG
/// channel (its position in the sensor's frames, and crampd's site and side when known).
public struct BLESessionChannel: Hashable, Sendable, CustomStringConvertible {
    public var kind: ChannelKind
    /// EMG: the channel's position in the sensor's frames; 0 for the other kinds.
    public var index: Int
    /// crampd's channel; `nil` for an EMG channel whose site or side neither the sensor's
    /// channel map nor the configuration gives.
    public var descriptor: ChannelDescriptor?

    public init(kind: ChannelKind, index: Int = 0, descriptor: ChannelDescriptor?) {
        self.kind = kind
        self.index = index
        self.descriptor = descriptor
    }

    /// `HR`, `EMG gastroc L`, or `EMG channel 3` for an unlabelled EMG channel.
    public var label: String { descriptor?.label ?? "EMG channel \(index + 1)" }
    public var description: String { label }
}

// MARK: - Events

/// A link that came up and finished its setup: discovery done, configuration read,
/// notifications enabled.
public struct BLESessionLink: Hashable, Sendable {
    public var device: String
    public var timeNanoseconds: Int64
    /// 1 for the session's first connection to this device, 2 after the first reconnection, …
    public var connection: Int
    /// The Device Name (0x2A00) the device reported, if any.
    public var name: String?
    /// The Firmware Revision String (0x2A26, Device Information), if the device has one.
    public var firmware: String?
    /// What this link delivers.
    public var channels: [BLESessionChannel]
}

/// An interval in which a device's channels have no samples: never zeros, never stitched.
public struct BLESessionGap: Hashable, Sendable {
    public enum Cause: Hashable, Sendable {
        /// The link was lost: from the last value received before the loss to the moment the
        /// link was back (or the session ended).
        case linkLoss
        /// EMG notifications the sensor produced but that never arrived (from sequence
        /// numbers, inside one link): from the end of the last block to the start of the next.
        case packetsLost(Int)
    }

    public var device: String
    public var channels: [BLESessionChannel]
    public var fromNanoseconds: Int64
    public var toNanoseconds: Int64
    public var cause: Cause
}

/// A heart-rate value with its RR intervals.
public struct BLESessionHeartRate: Hashable, Sendable {
    public var device: String
    /// Reception time on the session clock.
    public var timeNanoseconds: Int64
    public var beatsPerMinute: Int
    public var sensorContact: HeartRateMeasurement.SensorContact
    /// RR intervals, oldest first, as the strap sent them.
    public var rrIntervals: [Duration]
    /// The estimated time of the beat that ends each RR interval: the last one at reception,
    /// each earlier one an interval before the next (a strap notifies right after a beat).
    public var beatTimesNanoseconds: [Int64]
}

/// A running speed and cadence value.
public struct BLESessionCadence: Hashable, Sendable {
    public var device: String
    public var timeNanoseconds: Int64
    /// Steps per minute (both feet), after the sensor's counting setting.
    public var stepsPerMinute: Int
    public var isPlausible: Bool
    public var suggestedCounting: RSCCadenceCounting?
    public var speedMetresPerSecond: Double
    public var strideLengthMetres: Double?
    public var totalDistanceMetres: Double?
    public var isRunning: Bool
}

/// One notification's EMG frames, timed from their frame index and rate.
public struct BLESessionEMGBlock: Hashable, Sendable {
    public var device: String
    /// The session time of the block's first frame: the link's anchor plus
    /// `(firstFrame − anchor frame) / rate`. The anchor is set by the first block of each link
    /// (its reception time minus its own duration). Without a known rate, the reception time.
    public var timeNanoseconds: Int64
    /// When the notification arrived.
    public var receivedNanoseconds: Int64
    /// The index of the first frame in this link's stream, lost frames counted.
    public var firstFrame: Int64
    public var sampleRate: Hertz?
    public var channels: [BLESessionChannel]
    public var unit: BLEEMGBlock.Unit
    /// Frame-major samples: `samples[frame * channels.count + channel]`.
    public var samples: [Float]

    public var frameCount: Int { channels.isEmpty ? 0 : samples.count / channels.count }
}

/// What a session delivers, in order: links coming and going, samples on the session clock,
/// explicit gaps, and counted drops. The same events come from a live ``BLESession`` and from
/// a replayed capture (``CaptureSessionSource``), because both go through one
/// ``BLESessionAssembler``.
public enum BLESessionEvent: Hashable, Sendable {
    case connected(BLESessionLink)
    /// The link went down; a ``BLESessionGap`` with cause `.linkLoss` follows when it is back.
    case disconnected(device: String, timeNanoseconds: Int64, reason: String)
    case gap(BLESessionGap)
    case heartRate(BLESessionHeartRate)
    case cadence(BLESessionCadence)
    case emg(BLESessionEMGBlock)
    case battery(device: String, timeNanoseconds: Int64, percent: Int)
    case bodySensorLocation(device: String, timeNanoseconds: Int64, location: BodySensorLocation)
    /// A value that could not be used (malformed, or an EMG packet out of order): counted and
    /// dropped, with the reason.
    case dropped(device: String, timeNanoseconds: Int64, handle: UInt16, reason: String)

    /// The event's device.
    public var device: String {
        switch self {
        case let .connected(l): l.device
        case let .disconnected(device, _, _): device
        case let .gap(g): g.device
        case let .heartRate(s): s.device
        case let .cadence(s): s.device
        case let .emg(b): b.device
        case let .battery(device, _, _): device
        case let .bodySensorLocation(device, _, _): device
        case let .dropped(device, _, _, _): device
        }
    }

    /// The event's time on the session clock (a gap's: its end).
    public var timeNanoseconds: Int64 {
        switch self {
        case let .connected(l): l.timeNanoseconds
        case let .disconnected(_, t, _): t
        case let .gap(g): g.toNanoseconds
        case let .heartRate(s): s.timeNanoseconds
        case let .cadence(s): s.timeNanoseconds
        case let .emg(b): b.timeNanoseconds
        case let .battery(_, t, _): t
        case let .bodySensorLocation(_, t, _): t
        case let .dropped(_, t, _, _): t
        }
    }
}

/// What an ``BLESessionAssembler`` counted for one device.
public struct BLESessionDeviceCounters: Hashable, Sendable {
    public var connections = 0
    public var disconnections = 0
    public var heartRateSamples = 0
    public var cadenceSamples = 0
    public var emgBlocks = 0
    public var emgFrames: Int64 = 0
    public var emgPacketsLost = 0
    public var gaps = 0
    /// Values dropped: malformed, EMG out of order, or for a handle no decoder knows.
    public var dropped = 0

    public init() {}
}
