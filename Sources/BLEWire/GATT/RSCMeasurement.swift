// SPDX-License-Identifier: MIT

/// RSC Measurement, characteristic 0x2A53 (GATT Specification Supplement 5, 3.194; Running Speed
/// and Cadence Service 1.0, 3.1).
///
/// Flags (1 octet), Instantaneous Speed (uint16, 1/256 m/s), Instantaneous Cadence (uint8,
/// 1/min), Instantaneous Stride Length (uint16, 1/100 m, flag bit 0), Total Distance (uint32,
/// 1/10 m, flag bit 1). Flag bit 2: "Walking or Running Status bit: 0 = Walking, 1 = Running".
///
/// The cadence's unit is "1/minute"; whether a sensor counts steps (both feet) or strides (one
/// foot) differs between footpods, so it is interpreted with a per-sensor
/// ``RSCCadenceCounting`` by ``cadence(counting:)``.
public struct RSCMeasurement: Hashable, Sendable {
    static let flagStrideLength: UInt8 = 0x01
    static let flagTotalDistance: UInt8 = 0x02
    static let flagRunning: UInt8 = 0x04

    /// Instantaneous speed in 1/256 m/s.
    public var speed256: UInt16
    /// Instantaneous cadence as sent, per minute (steps or strides: see ``RSCCadenceCounting``).
    public var cadencePerMinute: UInt8
    /// Instantaneous stride length in 1/100 m, if sent.
    public var strideLengthCentimetres: UInt16?
    /// Total distance in 1/10 m, if sent.
    public var totalDistanceDecimetres: UInt32?
    /// "Walking or Running Status": true for running.
    public var isRunning: Bool

    public init(speed256: UInt16, cadencePerMinute: UInt8, strideLengthCentimetres: UInt16? = nil,
                totalDistanceDecimetres: UInt32? = nil, isRunning: Bool) {
        self.speed256 = speed256
        self.cadencePerMinute = cadencePerMinute
        self.strideLengthCentimetres = strideLengthCentimetres
        self.totalDistanceDecimetres = totalDistanceDecimetres
        self.isRunning = isRunning
    }

    /// Speed in metres per second.
    public var speedMetresPerSecond: Double { Double(speed256) / 256 }
    /// Stride length in metres, if sent.
    public var strideLengthMetres: Double? { strideLengthCentimetres.map { Double($0) / 100 } }
    /// Total distance in metres, if sent.
    public var totalDistanceMetres: Double? { totalDistanceDecimetres.map { Double($0) / 10 } }

    /// Decodes one characteristic value.
    ///
    /// - Throws: ``ATTDecodeError``: `truncated` when a flagged field is missing,
    ///   `trailingBytes` when octets follow the last flagged field.
    public init(decoding value: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = ByteReader(value, type: "RSCMeasurement")
        let flags = try r.uint8()
        speed256 = try r.uint16()
        cadencePerMinute = try r.uint8()
        strideLengthCentimetres = flags & Self.flagStrideLength != 0 ? try r.uint16() : nil
        totalDistanceDecimetres = flags & Self.flagTotalDistance != 0 ? try r.uint32() : nil
        isRunning = flags & Self.flagRunning != 0
        // Flag bits 3–7 are "Reserved for Future Use" and ignored on receipt.
        try r.finish()
    }

    public init(decoding value: [UInt8]) throws(ATTDecodeError) { try self.init(decoding: value[...]) }

    public func encode(into buffer: inout [UInt8]) {
        var flags: UInt8 = isRunning ? Self.flagRunning : 0
        if strideLengthCentimetres != nil { flags |= Self.flagStrideLength }
        if totalDistanceDecimetres != nil { flags |= Self.flagTotalDistance }
        buffer.append(flags)
        buffer.appendLE(speed256)
        buffer.append(cadencePerMinute)
        if let stride = strideLengthCentimetres { buffer.appendLE(stride) }
        if let distance = totalDistanceDecimetres { buffer.appendLE(distance) }
    }

    public var encoded: [UInt8] {
        var buffer: [UInt8] = []
        encode(into: &buffer)
        return buffer
    }

    /// The cadence in steps per minute under a sensor's counting, with its plausibility.
    public func cadence(counting: RSCCadenceCounting) -> RSCCadence {
        RSCCadence(raw: cadencePerMinute, counting: counting)
    }
}

/// What a footpod's RSC cadence counts: a per-sensor setting, because the RSC service says only
/// "1/minute" and sensors differ.
public enum RSCCadenceCounting: String, Hashable, Sendable, CaseIterable {
    /// Steps of both feet per minute (what the RSC service intends): the value is steps/min.
    case twoFoot = "two-foot"
    /// Strides of one foot per minute (a sensor on one shoe counting its own foot): steps/min
    /// is twice the value.
    case oneFoot = "one-foot"

    var stepsPerCount: Int { self == .oneFoot ? 2 : 1 }
}

/// An RSC cadence in steps per minute, with a plausibility verdict.
///
/// The rule is crampd's running-cadence range (CrampCore's cadence plausibility, 0 or 60–240
/// steps/min; a modelling choice from the cadence tracker documented in docs/CARDIO_GAIT.md): 0
/// is standing still, below 60 steps/min is no gait at all, and above 240 is beyond elite
/// sprinting. When the value is implausible under the configured counting but plausible under
/// the other, ``suggestedCounting`` names the other: a footpod configured with the wrong setting
/// shows up at once.
public struct RSCCadence: Hashable, Sendable {
    public static let plausibleStepsPerMinute: ClosedRange<Int> = 60 ... 240

    /// The value as sent.
    public var raw: UInt8
    public var counting: RSCCadenceCounting
    /// Steps per minute (both feet).
    public var stepsPerMinute: Int { Int(raw) * counting.stepsPerCount }

    public init(raw: UInt8, counting: RSCCadenceCounting) {
        self.raw = raw
        self.counting = counting
    }

    /// True for 0 (standing) or 60–240 steps/min.
    public var isPlausible: Bool { Self.isPlausible(stepsPerMinute) }

    /// The other counting, when only it makes the value plausible.
    public var suggestedCounting: RSCCadenceCounting? {
        guard !isPlausible else { return nil }
        let other: RSCCadenceCounting = counting == .oneFoot ? .twoFoot : .oneFoot
        return Self.isPlausible(Int(raw) * other.stepsPerCount) ? other : nil
    }

    static func isPlausible(_ steps: Int) -> Bool { steps == 0 || plausibleStepsPerMinute.contains(steps) }
}
