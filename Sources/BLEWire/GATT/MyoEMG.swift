// SPDX-License-Identifier: MIT

/// Myo armband EMG (Thalmic Labs' published Bluetooth protocol, `myohw.h` in
/// thalmiclabs/myo-bluetooth): 8 channels of int8 at 200 Hz.
///
/// The EMG service has four EMG Data characteristics (notify); each notification carries
/// "sample1" and "sample2", two consecutive 8-channel frames of int8 (16 octets):
/// `typedef struct { int8_t sample1[8]; int8_t sample2[8]; } myohw_emg_data_t;`.
/// The four characteristics together deliver 200 frames per second ("myohw_emg_mode_send_emg:
/// Send filtered EMG data" at 200 Hz). The values are unitless ADC counts.
public struct MyoEMGData: Hashable, Sendable {
    public static let channelCount = 8
    public static let framesPerNotification = 2
    /// Frames per second across the four characteristics.
    public static let sampleRate: UInt32 = 200

    /// Two frames of eight channels, frame-major: `samples[0..<8]` is sample1.
    public var samples: [Int8]

    /// - Precondition: `samples.count == 16`.
    public init(samples: [Int8]) { self.samples = samples }

    public var sample1: ArraySlice<Int8> { samples[0 ..< 8] }
    public var sample2: ArraySlice<Int8> { samples[8 ..< 16] }

    /// - Throws: ``ATTDecodeError`` unless the value is exactly 16 octets.
    public init(decoding value: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = ByteReader(value, type: "MyoEMGData")
        samples = []
        samples.reserveCapacity(16)
        for _ in 0 ..< 16 { samples.append(try r.int8()) }
        try r.finish()
    }

    public var encoded: [UInt8] { samples.map { UInt8(bitPattern: $0) } }
}

/// Myo's 128-bit UUIDs: base `d506xxxx-a904-deb9-4748-2c7f4a124842` (`MYO_SERVICE_BASE_UUID`).
public enum MyoProfile {
    static func uuid(_ short: UInt16) -> BluetoothUUID {
        BluetoothUUID(high: 0xD506_0000_A904_DEB9 | UInt64(short) << 32, low: 0x4748_2C7F_4A12_4842)
    }

    /// `ControlService` 0x0001.
    public static let controlService = uuid(0x0001)
    /// `CommandCharacteristic` 0x0401 (write).
    public static let commandCharacteristic = uuid(0x0401)
    /// `EmgDataService` 0x0005.
    public static let emgDataService = uuid(0x0005)
    /// `EmgData0Characteristic` … `EmgData3Characteristic`: 0x0105, 0x0205, 0x0305, 0x0405.
    public static let emgDataCharacteristics = [uuid(0x0105), uuid(0x0205), uuid(0x0305), uuid(0x0405)]

    /// The "set mode" command (`myohw_command_set_mode`, 0x01, payload 3) that starts EMG
    /// streaming: EMG mode `send_emg` (0x02), IMU and classifier off.
    public static let startEMGCommand: [UInt8] = [0x01, 0x03, 0x02, 0x00, 0x00]
    /// The same command with EMG off.
    public static let stopEMGCommand: [UInt8] = [0x01, 0x03, 0x00, 0x00, 0x00]
}
