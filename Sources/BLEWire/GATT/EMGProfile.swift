// SPDX-License-Identifier: MIT

/// The crampd EMG GATT profile: an open profile for surface-EMG sensors, specified in
/// docs/EMG-GATT-PROFILE.md (that document is normative; this file implements it).
///
/// One primary service with four characteristics, all 128-bit UUIDs on one base
/// (`18e1xxxx-f7dc-4656-bfb8-258573ce79f1`, generated once at random and fixed):
///
/// | UUID suffix | characteristic | properties | value |
/// |---|---|---|---|
/// | `0001` | service | | |
/// | `0002` | Sample Rate | read | uint32, Hz |
/// | `0003` | Channel Map | read | count, then (site, side) per channel |
/// | `0004` | Scale | read | float32, µV per count |
/// | `0005` | EMG Data | notify | uint16 sequence, format, channel count, samples |
public enum EMGProfile {
    static func uuid(_ role: UInt16) -> BluetoothUUID {
        BluetoothUUID(high: 0x18E1_0000_F7DC_4656 | UInt64(role) << 32, low: 0xBFB8_2585_73CE_79F1)
    }

    /// The EMG service: `18e10001-f7dc-4656-bfb8-258573ce79f1`.
    public static let service = uuid(0x0001)
    /// Sample Rate: `18e10002-…`.
    public static let sampleRate = uuid(0x0002)
    /// Channel Map: `18e10003-…`.
    public static let channelMap = uuid(0x0003)
    /// Scale: `18e10004-…`.
    public static let scale = uuid(0x0004)
    /// EMG Data: `18e10005-…`.
    public static let data = uuid(0x0005)

    /// The most channels one sensor may declare.
    public static let maximumChannels = 16
}

/// The EMG Sample Rate characteristic: uint32 little-endian, samples per second per channel,
/// 1 or more.
public struct EMGSampleRate: Hashable, Sendable {
    public var hertz: UInt32

    public init(hertz: UInt32) { self.hertz = hertz }

    /// - Throws: ``ATTDecodeError`` unless the value is 4 octets holding a rate ≥ 1 Hz.
    public init(decoding value: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = ByteReader(value, type: "EMGSampleRate")
        hertz = try r.uint32()
        try r.finish()
        guard hertz > 0 else { throw ByteReader(value, type: "EMGSampleRate").error(.invalidValue("sample rate 0 Hz"), needing: 4) }
    }

    public var encoded: [UInt8] {
        var buffer: [UInt8] = []
        buffer.appendLE(hertz)
        return buffer
    }
}

/// The muscle site code of a channel, in crampd's names (DESIGN.md): an open set, so a sensor
/// with a newer site list still decodes (the code then has no name).
public struct EMGSite: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let unspecified = Self(rawValue: 0x00)
    public static let gastroc = Self(rawValue: 0x01)
    public static let soleus = Self(rawValue: 0x02)
    public static let tibialis = Self(rawValue: 0x03)
    public static let hamstring = Self(rawValue: 0x04)
    public static let quad = Self(rawValue: 0x05)

    /// crampd's site name (`gastroc`, `soleus`, `tibialis`, `hamstring`, `quad`), or `nil` for
    /// `unspecified` and codes this version does not know.
    public var name: String? {
        switch rawValue {
        case 0x01: "gastroc"
        case 0x02: "soleus"
        case 0x03: "tibialis"
        case 0x04: "hamstring"
        case 0x05: "quad"
        default: nil
        }
    }

    /// The code for a crampd site name.
    public init?(name: String) {
        guard let code = (1 ... 5).first(where: { EMGSite(rawValue: UInt8($0)).name == name }) else { return nil }
        self.init(rawValue: UInt8(code))
    }

    public var description: String { name ?? (rawValue == 0 ? "unspecified" : "site 0x\(hex2(rawValue))") }
}

/// The body side code of a channel: 0 unspecified, 1 left (`L`), 2 right (`R`); other codes are
/// invalid.
public enum EMGSide: UInt8, Hashable, Sendable, CustomStringConvertible {
    case unspecified = 0x00
    case left = 0x01
    case right = 0x02

    /// crampd's side letter, `L` or `R`, or `nil` when unspecified.
    public var letter: String? {
        switch self {
        case .unspecified: nil
        case .left: "L"
        case .right: "R"
        }
    }

    public var description: String { letter ?? "unspecified" }
}

/// The EMG Channel Map characteristic: channel count N (1–16), then N pairs (site code, side
/// code), in the order channels are interleaved in EMG Data.
public struct EMGChannelMap: Hashable, Sendable {
    public struct Channel: Hashable, Sendable {
        public var site: EMGSite
        public var side: EMGSide
        public init(site: EMGSite, side: EMGSide) {
            self.site = site
            self.side = side
        }
    }

    public var channels: [Channel]

    public init(channels: [Channel]) { self.channels = channels }

    /// - Throws: ``ATTDecodeError``: `invalidValue` for a count of 0 or above 16 or an unknown
    ///   side code, `truncated`/`trailingBytes` when the length is not 1 + 2 × count.
    public init(decoding value: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = ByteReader(value, type: "EMGChannelMap")
        let countAt = r
        let count = Int(try r.uint8())
        guard (1 ... EMGProfile.maximumChannels).contains(count) else {
            throw countAt.error(.invalidValue("channel count \(count) is outside 1–\(EMGProfile.maximumChannels)"), needing: 1)
        }
        channels = []
        channels.reserveCapacity(count)
        for _ in 0 ..< count {
            let site = EMGSite(rawValue: try r.uint8())
            let sideAt = r
            let sideCode = try r.uint8()
            guard let side = EMGSide(rawValue: sideCode) else {
                throw sideAt.error(.invalidValue("side code 0x\(hex2(sideCode)) is not 0, 1 or 2"), needing: 1)
            }
            channels.append(Channel(site: site, side: side))
        }
        try r.finish()
    }

    public var encoded: [UInt8] {
        var buffer: [UInt8] = [UInt8(truncatingIfNeeded: channels.count)]
        for channel in channels {
            buffer.append(channel.site.rawValue)
            buffer.append(channel.side.rawValue)
        }
        return buffer
    }
}

/// The EMG Scale characteristic: IEEE 754 binary32, little-endian, microvolts per count (the
/// physical value of sample `s` is `s × scale` µV); finite and greater than zero.
public struct EMGScale: Hashable, Sendable {
    public var microvoltsPerCount: Float

    public init(microvoltsPerCount: Float) { self.microvoltsPerCount = microvoltsPerCount }

    /// - Throws: ``ATTDecodeError`` unless the value is 4 octets holding a finite positive float.
    public init(decoding value: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = ByteReader(value, type: "EMGScale")
        microvoltsPerCount = Float(bitPattern: try r.uint32())
        try r.finish()
        guard microvoltsPerCount.isFinite, microvoltsPerCount > 0 else {
            throw ByteReader(value, type: "EMGScale").error(.invalidValue("scale \(microvoltsPerCount) µV/count is not finite and positive"), needing: 4)
        }
    }

    public var encoded: [UInt8] {
        var buffer: [UInt8] = []
        buffer.appendLE(microvoltsPerCount.bitPattern)
        return buffer
    }
}
