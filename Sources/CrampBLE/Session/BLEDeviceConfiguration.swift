// SPDX-License-Identifier: MIT
import BLEWire
import CrampCore

/// What a configured device is expected to serve; one device may serve several (a sensor hub
/// with heart rate, a footpod and EMG on one link).
public enum BLEDeviceKind: String, CaseIterable, Hashable, Sendable {
    /// Heart Rate service 0x180D: Heart Rate Measurement 0x2A37 (bpm, RR intervals).
    case hr
    /// Running Speed and Cadence service 0x1814: RSC Measurement 0x2A53.
    case rsc
    /// crampd's open EMG profile (docs/EMG-GATT-PROFILE.md).
    case emg
    /// A Myo armband: four EMG characteristics, 8 channels of int8 at 200 Hz.
    case myo

    /// The characteristic whose notifications carry this kind's samples.
    public var dataCharacteristics: [BluetoothUUID] {
        switch self {
        case .hr: [.heartRateMeasurement]
        case .rsc: [.rscMeasurement]
        case .emg: [EMGProfile.data]
        case .myo: MyoProfile.emgDataCharacteristics
        }
    }

    /// What the kind's data characteristic is called in messages.
    public var dataCharacteristicName: String {
        switch self {
        case .hr: "Heart Rate Measurement (0x2A37)"
        case .rsc: "RSC Measurement (0x2A53)"
        case .emg: "EMG Data (\(EMGProfile.data))"
        case .myo: "Myo EMG Data (\(MyoProfile.emgDataCharacteristics[0]) …)"
        }
    }
}

/// One device of a live session: where it is, what it serves, and how to read it.
public struct BLEDeviceConfiguration: Hashable, Sendable {
    /// `AA:BB:CC:DD:EE:FF`, upper case.
    public var address: String
    public var addressType: BluetoothAddressType
    /// What crampd subscribes to on this device (at least one).
    public var kinds: [BLEDeviceKind]
    /// A label for messages (`left calf sensor`); the device's own name is read at connection.
    public var label: String?
    /// What this footpod's RSC cadence counts (a per-sensor setting; docs/BLE.md).
    public var cadenceCounting: RSCCadenceCounting
    /// The muscle site and side of the EMG channels whose site or side the sensor's channel
    /// map leaves unspecified (and of every Myo channel).
    public var emgSite: MuscleSite?
    public var emgSide: BodySide?
    /// Every EMG channel, in the sensor's channel order, overriding its channel map.
    public var emgChannels: [ChannelDescriptor]?

    public init(address: String, addressType: BluetoothAddressType = .public, kinds: [BLEDeviceKind],
                label: String? = nil, cadenceCounting: RSCCadenceCounting = .twoFoot, emgSite: MuscleSite? = nil,
                emgSide: BodySide? = nil, emgChannels: [ChannelDescriptor]? = nil) {
        self.address = address.uppercased()
        self.addressType = addressType
        self.kinds = kinds
        self.label = label
        self.cadenceCounting = cadenceCounting
        self.emgSite = emgSite
        self.emgSide = emgSide
        self.emgChannels = emgChannels
    }
}

/// When to try a lost or unreachable device again.
///
/// The wait before retry *n* (0 for the first retry after a loss or a failed attempt) is
/// `min(maximum, initial × 2ⁿ)`, stretched by up to `jitter` (a fraction) by an amount derived
/// from the device's address and *n*: deterministic, so that tests and replays see the same
/// schedule, and different for each device, so that several sensors lost together (the
/// runner's board moved away) do not all come back in the same instant. A link that completes
/// its setup resets *n* to 0. The first connection of a session is tried at once.
public struct BLEReconnectPolicy: Hashable, Sendable {
    public var initial: Duration
    public var maximum: Duration
    /// 0 … 1: the largest stretch, as a fraction of the wait.
    public var jitter: Double

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(30), jitter: Double = 0.1) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The wait before retry `attempt` (0-based) of `device`.
    public func delay(attempt: Int, device: String) -> Duration {
        let base = min(maximum.seconds, initial.seconds * Double(1 << min(max(attempt, 0), 30)))
        // FNV-1a of the address and the attempt: a fraction in [0, 1).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array(device.utf8) + [UInt8(truncatingIfNeeded: attempt)] {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        let fraction = Double(hash >> 11) / Double(UInt64(1) << 53)
        return .nanoseconds(Int64((base * (1 + jitter * fraction) * 1e9).rounded()))
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}

/// Everything a live session needs besides its devices' radios.
public struct BLESessionConfiguration: Hashable, Sendable {
    public var devices: [BLEDeviceConfiguration]
    /// The local adapter: `hci0`, `hci1`, … or its address; `nil` for the kernel's choice
    /// (with several adapters, name one: the kernel may pick one that cannot reach the device).
    public var adapter: String?
    /// How long one connection attempt may take.
    public var connectTimeout: Duration
    public var reconnect: BLEReconnectPolicy
    /// What crampd announces in its Exchange MTU Request.
    public var clientRxMTU: UInt16

    public init(devices: [BLEDeviceConfiguration], adapter: String? = nil, connectTimeout: Duration = .seconds(20),
                reconnect: BLEReconnectPolicy = BLEReconnectPolicy(), clientRxMTU: UInt16 = 247) {
        self.devices = devices
        self.adapter = adapter
        self.connectTimeout = connectTimeout
        self.reconnect = reconnect
        self.clientRxMTU = clientRxMTU
    }
}
