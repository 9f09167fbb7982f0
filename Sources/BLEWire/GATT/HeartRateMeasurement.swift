// SPDX-License-Identifier: MIT

/// Heart Rate Measurement, characteristic 0x2A37 (GATT Specification Supplement 5, 3.113; Heart
/// Rate Service 1.0, 3.1).
///
/// Flags (1 octet), Heart Rate Measurement Value (uint8 or uint16, bpm), Energy Expended
/// (uint16, kJ, if flagged), RR-Interval (uint16 each, 1/1024 s, if flagged, as many as fit).
///
/// Heart Rate Service 3.1.1.5: "the RR-Interval value is represented in units of 1/1024 second",
/// and several may be sent in one notification: "RR-Interval values are in the order of oldest
/// to newest".
public struct HeartRateMeasurement: Hashable, Sendable {
    /// Bits 1 and 2 of the Flags field: "Sensor Contact Status bits".
    public enum SensorContact: Hashable, Sendable {
        /// "Sensor Contact feature is not supported in the current connection" (0b00 or 0b01).
        case notSupported
        /// "Sensor Contact feature is supported, but contact is not detected" (0b10).
        case notDetected
        /// "Sensor Contact feature is supported and contact is detected" (0b11).
        case detected
    }

    static let flagValueFormatUInt16: UInt8 = 0x01
    static let flagContactDetected: UInt8 = 0x02
    static let flagContactSupported: UInt8 = 0x04
    static let flagEnergyExpended: UInt8 = 0x08
    static let flagRRIntervals: UInt8 = 0x10

    /// Beats per minute.
    public var beatsPerMinute: UInt16
    /// True when the value was sent as uint16 (Flags bit 0); kept so a value re-encodes to the
    /// same bytes.
    public var isValueUInt16: Bool
    public var sensorContact: SensorContact
    /// Accumulated energy expended, kilojoules ("Energy Expended Status" flag, bit 3).
    public var energyExpendedKilojoules: UInt16?
    /// RR intervals in 1/1024 s, oldest first (flag bit 4). Empty when none were sent.
    public var rrIntervals1024: [UInt16]

    public init(beatsPerMinute: UInt16, isValueUInt16: Bool = false, sensorContact: SensorContact = .notSupported,
                energyExpendedKilojoules: UInt16? = nil, rrIntervals1024: [UInt16] = []) {
        self.beatsPerMinute = beatsPerMinute
        self.isValueUInt16 = isValueUInt16 || beatsPerMinute > 255
        self.sensorContact = sensorContact
        self.energyExpendedKilojoules = energyExpendedKilojoules
        self.rrIntervals1024 = rrIntervals1024
    }

    /// The RR intervals as durations (1/1024 s each, exactly).
    public var rrIntervals: [Duration] {
        rrIntervals1024.map { .nanoseconds(Int64($0) * 1_000_000_000 / 1024) }
    }

    /// The RR intervals in seconds.
    public var rrIntervalSeconds: [Double] { rrIntervals1024.map { Double($0) / 1024 } }

    /// Decodes one characteristic value.
    ///
    /// - Throws: ``ATTDecodeError``: `truncated` when a flagged field is missing; `invalidLength`
    ///   when the RR-Interval field has an odd number of octets; `trailingBytes` when octets
    ///   follow the last field and no RR-Intervals are flagged.
    public init(decoding value: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = ByteReader(value, type: "HeartRateMeasurement")
        let flags = try r.uint8()
        isValueUInt16 = flags & Self.flagValueFormatUInt16 != 0
        beatsPerMinute = isValueUInt16 ? try r.uint16() : UInt16(try r.uint8())
        switch (flags & Self.flagContactSupported != 0, flags & Self.flagContactDetected != 0) {
        case (false, _): sensorContact = .notSupported
        case (true, false): sensorContact = .notDetected
        case (true, true): sensorContact = .detected
        }
        energyExpendedKilojoules = flags & Self.flagEnergyExpended != 0 ? try r.uint16() : nil
        rrIntervals1024 = []
        if flags & Self.flagRRIntervals != 0 {
            guard r.remaining % 2 == 0 else {
                throw ATTDecodeError(type: "HeartRateMeasurement", reason: .invalidLength, offset: r.offset,
                                     expectedLength: 2, actualLength: value.count)
            }
            rrIntervals1024.reserveCapacity(r.remaining / 2)
            while !r.isAtEnd { rrIntervals1024.append(try r.uint16()) }
        }
        // Flag bits 5–7 are "Reserved for Future Use" and ignored on receipt.
        try r.finish()
    }

    public init(decoding value: [UInt8]) throws(ATTDecodeError) { try self.init(decoding: value[...]) }

    /// Appends the characteristic value.
    public func encode(into buffer: inout [UInt8]) {
        var flags: UInt8 = isValueUInt16 ? Self.flagValueFormatUInt16 : 0
        switch sensorContact {
        case .notSupported: break
        case .notDetected: flags |= Self.flagContactSupported
        case .detected: flags |= Self.flagContactSupported | Self.flagContactDetected
        }
        if energyExpendedKilojoules != nil { flags |= Self.flagEnergyExpended }
        if !rrIntervals1024.isEmpty { flags |= Self.flagRRIntervals }
        buffer.append(flags)
        if isValueUInt16 { buffer.appendLE(beatsPerMinute) } else { buffer.append(UInt8(truncatingIfNeeded: beatsPerMinute)) }
        if let energy = energyExpendedKilojoules { buffer.appendLE(energy) }
        for rr in rrIntervals1024 { buffer.appendLE(rr) }
    }

    public var encoded: [UInt8] {
        var buffer: [UInt8] = []
        encode(into: &buffer)
        return buffer
    }
}
