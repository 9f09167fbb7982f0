// SPDX-License-Identifier: MIT

/// One notification of the crampd EMG Data characteristic (docs/EMG-GATT-PROFILE.md).
///
/// Header (4 octets): Sequence Number (uint16, +1 per notification, wrapping), Sample Format
/// (uint8), Channel Count (uint8, 1–16). Then frames of one sample per channel, in channel-map
/// order, oldest frame first:
/// - format 0x01, `int16`: each sample a little-endian two's-complement int16;
/// - format 0x02, `int12`: samples packed in pairs into 3 octets, `b0 = s0[7:0]`,
///   `b1 = s0[11:8] | s1[3:0] << 4`, `b2 = s1[11:4]`, each sample a 12-bit two's-complement
///   value; the sample count (frames × channels) must be even.
///
/// A packet carries at least one frame.
public struct EMGDataPacket: Hashable, Sendable {
    public enum SampleFormat: UInt8, Hashable, Sendable {
        case int16 = 0x01
        case int12 = 0x02
    }

    public static let headerLength = 4

    public var sequenceNumber: UInt16
    public var format: SampleFormat
    public var channelCount: Int
    /// Samples in counts, interleaved by channel (frame-major).
    public var samples: [Int16]

    /// - Precondition: `samples.count` is a positive multiple of `channelCount`; for `.int12`
    ///   every sample lies in −2048…2047 and the count is even.
    public init(sequenceNumber: UInt16, format: SampleFormat = .int16, channelCount: Int, samples: [Int16]) {
        self.sequenceNumber = sequenceNumber
        self.format = format
        self.channelCount = channelCount
        self.samples = samples
    }

    /// Frames (samples per channel) in this packet.
    public var frameCount: Int { samples.count / max(channelCount, 1) }

    /// How many frames fit one notification at an ATT_MTU (value ≤ ATT_MTU − 3 octets).
    public static func maximumFrames(mtu: Int, channelCount: Int, format: SampleFormat) -> Int {
        let payload = max(0, mtu - 3 - headerLength)
        switch format {
        case .int16: return payload / (2 * channelCount)
        case .int12:
            let samples = payload / 3 * 2
            var frames = samples / channelCount
            if (frames * channelCount) % 2 == 1 { frames -= 1 }
            return frames
        }
    }

    /// - Throws: ``ATTDecodeError``: `truncated` for a header shorter than 4 octets or no whole
    ///   frame, `invalidValue` for an unknown format or a channel count outside 1–16,
    ///   `invalidLength` when the samples do not fill whole frames (or whole 3-octet pairs).
    public init(decoding value: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = ByteReader(value, type: "EMGDataPacket")
        sequenceNumber = try r.uint16()
        let formatAt = r
        let rawFormat = try r.uint8()
        guard let format = SampleFormat(rawValue: rawFormat) else {
            throw formatAt.error(.invalidValue("sample format 0x\(hex2(rawFormat)) is neither 0x01 nor 0x02"), needing: 1)
        }
        self.format = format
        let countAt = r
        channelCount = Int(try r.uint8())
        guard (1 ... EMGProfile.maximumChannels).contains(channelCount) else {
            throw countAt.error(.invalidValue("channel count \(channelCount) is outside 1–\(EMGProfile.maximumChannels)"), needing: 1)
        }
        let payload = r.remaining
        let sampleCount: Int
        switch format {
        case .int16:
            let frameBytes = 2 * channelCount
            guard payload >= frameBytes else { throw r.error(.truncated, needing: frameBytes) }
            guard payload % frameBytes == 0 else {
                throw ATTDecodeError(type: "EMGDataPacket", reason: .invalidLength, offset: r.offset,
                                     expectedLength: frameBytes, actualLength: value.count)
            }
            sampleCount = payload / 2
        case .int12:
            guard payload >= 3 else { throw r.error(.truncated, needing: 3) }
            guard payload % 3 == 0, (payload / 3 * 2) % channelCount == 0 else {
                throw ATTDecodeError(type: "EMGDataPacket", reason: .invalidLength, offset: r.offset,
                                     expectedLength: 3, actualLength: value.count)
            }
            sampleCount = payload / 3 * 2
        }
        samples = []
        samples.reserveCapacity(sampleCount)
        switch format {
        case .int16:
            while !r.isAtEnd { samples.append(try r.int16()) }
        case .int12:
            while !r.isAtEnd {
                let b0 = UInt16(try r.uint8()), b1 = UInt16(try r.uint8()), b2 = UInt16(try r.uint8())
                samples.append(Self.signExtend12(b0 | (b1 & 0x0F) << 8))
                samples.append(Self.signExtend12(b1 >> 4 | b2 << 4))
            }
        }
    }

    public init(decoding value: [UInt8]) throws(ATTDecodeError) { try self.init(decoding: value[...]) }

    static func signExtend12(_ v: UInt16) -> Int16 {
        Int16(bitPattern: v << 4) >> 4
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.appendLE(sequenceNumber)
        buffer.append(format.rawValue)
        buffer.append(UInt8(truncatingIfNeeded: channelCount))
        switch format {
        case .int16:
            for s in samples { buffer.appendLE(UInt16(bitPattern: s)) }
        case .int12:
            var k = 0
            while k + 1 < samples.count {
                let a = UInt16(bitPattern: samples[k]) & 0x0FFF, b = UInt16(bitPattern: samples[k + 1]) & 0x0FFF
                buffer.append(UInt8(truncatingIfNeeded: a))
                buffer.append(UInt8(truncatingIfNeeded: a >> 8 | (b & 0x0F) << 4))
                buffer.append(UInt8(truncatingIfNeeded: b >> 4))
                k += 2
            }
        }
    }

    public var encoded: [UInt8] {
        var buffer: [UInt8] = []
        encode(into: &buffer)
        return buffer
    }
}

/// Detects lost, repeated and reordered EMG Data notifications from their sequence numbers.
///
/// The sequence number is modulo 2¹⁶. A forward step of 1 is in order; a forward step of 2 to
/// 32768 means `step − 1` notifications were lost; 0 is a duplicate; a backward step (a
/// forward step above 32768) is a late, reordered packet. ATT over one L2CAP channel is
/// reliable and ordered, so on a live link gaps come from the sensor's own buffer overruns and
/// from reconnections; replays of damaged captures can show the rest.
public struct EMGSequenceTracker: Hashable, Sendable {
    public enum Observation: Hashable, Sendable {
        /// The first packet seen.
        case first
        case inOrder
        /// `missing` packets were lost before this one.
        case gap(missing: Int)
        /// The same sequence number again: drop the packet.
        case duplicate
        /// An older sequence number: drop the packet.
        case outOfOrder
    }

    public private(set) var last: UInt16?
    /// Packets reported lost so far.
    public private(set) var lostPackets = 0

    public init() {}

    /// Classifies the next packet's sequence number; in-order and gap packets advance the
    /// tracker, duplicates and late packets do not.
    public mutating func observe(_ sequence: UInt16) -> Observation {
        guard let last else {
            self.last = sequence
            return .first
        }
        let step = Int(sequence &- last)
        switch step {
        case 0: return .duplicate
        case 1:
            self.last = sequence
            return .inOrder
        case 2 ... 32768:
            self.last = sequence
            lostPackets += step - 1
            return .gap(missing: step - 1)
        default: return .outOfOrder
        }
    }

    /// Forgets the last sequence number (after a reconnection the sensor may restart it).
    public mutating func reset() { last = nil }
}
