// SPDX-License-Identifier: MIT

/// What `CadencePlausibility` made of one cadence value.
public enum CadenceVerdict: String, CaseIterable, Hashable, Sendable {
    /// 0 (standing), or within the plausible range and consistent with the previous value:
    /// use it.
    case plausible
    /// NaN or infinite: rejected.
    case nonFinite
    /// Negative, between 0 and the minimum (60 steps/min), or above the maximum (240):
    /// rejected.
    case outOfRange
    /// Further from the previous plausible value than cadence changes in the time between
    /// them: not used, and held back until the next value shows whether it was a genuine fast
    /// change (the next value agrees with it) or an impossible jump (the next value is back at
    /// the old level; see `CadencePlausibility.rejectedJump`).
    case heldBack
}

/// A cadence value found to be an impossible jump: an isolated excursion that the next value
/// contradicted.
public struct CadenceJump: Hashable, Sendable {
    /// The value's session time, in seconds.
    public var timeSeconds: Double
    /// The value, in steps per minute.
    public var stepsPerMinute: Double

    /// A jump with the given values.
    public init(timeSeconds: Double, stepsPerMinute: Double) {
        self.timeSeconds = timeSeconds
        self.stepsPerMinute = stepsPerMinute
    }
}

/// The plausibility check for cadence in steps per minute: a range and a check for isolated
/// jumps.
///
/// - 0 is plausible (standing still; foot pods report 0 when no steps are detected).
/// - Otherwise the value must lie within 60–240 steps/min: slower is not walking, and 240
///   (4 steps per second) is well above distance-running cadences (about 150–200).
/// - A value further than `maximumChangeStepsPerMinutePerSecond` (default 60) per second
///   (at least one second's worth) from the previous plausible non-zero value is held back.
///   The next value decides: if it agrees with the held-back value (within the same limit),
///   the change was real — a runner stopping abruptly passes 170 → 140 → 75 → 0 within two
///   seconds — and the new level is accepted; if it is back near the old level, the held-back
///   value was an impossible jump (a single 170 → 85 → 170 is a sensor halving its count) and
///   is reported in `rejectedJump`. A held-back value is never used, so the verdict needs no
///   look-ahead; its cost is one value's delay at a genuine abrupt change. 60 steps/min lets the
///   largest common change within a second, running to walking (about 170 → 115), through
///   without holding anything back.
///
/// The range is the project's (DESIGN.md); the jump limit and the confirmation by the next
/// value are modelling choices.
public struct CadencePlausibility: Sendable {
    /// The range and the rate limit.
    public struct Configuration: Hashable, Sendable {
        /// Lowest plausible non-zero cadence, in steps per minute. Default 60.
        public var minimumStepsPerMinute: Double
        /// Highest plausible cadence, in steps per minute. Default 240.
        public var maximumStepsPerMinute: Double
        /// Largest change between non-zero values per second between them, in steps per
        /// minute per second. Default 60.
        public var maximumChangeStepsPerMinutePerSecond: Double

        /// The defaults, overridden where given.
        public init(minimumStepsPerMinute: Double = 60, maximumStepsPerMinute: Double = 240, maximumChangeStepsPerMinutePerSecond: Double = 60) {
            self.minimumStepsPerMinute = minimumStepsPerMinute
            self.maximumStepsPerMinute = maximumStepsPerMinute
            self.maximumChangeStepsPerMinutePerSecond = maximumChangeStepsPerMinutePerSecond
        }

        /// Checks the parameters.
        ///
        /// - Throws: `CardioGaitConfigurationError.outOfRange` for a minimum outside 1–120, a
        ///   maximum outside 150–400 steps/min, a rate limit outside 1–1000.
        public func validate() throws(CardioGaitConfigurationError) {
            try CardioGaitConfigurationError.check("cadencePlausibility.minimumStepsPerMinute", minimumStepsPerMinute, in: 1...120)
            try CardioGaitConfigurationError.check("cadencePlausibility.maximumStepsPerMinute", maximumStepsPerMinute, in: 150...400)
            try CardioGaitConfigurationError.check(
                "cadencePlausibility.maximumChangeStepsPerMinutePerSecond", maximumChangeStepsPerMinutePerSecond, in: 1...1000)
        }
    }

    /// The parameters in use.
    public let configuration: Configuration
    /// Set by the last `check` when it showed the previously held-back value to be an
    /// impossible jump; `nil` otherwise.
    public private(set) var rejectedJump: CadenceJump?
    private var reference: Double?
    private var referenceTimeSeconds = 0.0
    private var held: CadenceJump?

    /// A check with no history.
    ///
    /// - Throws: `CardioGaitConfigurationError` from `Configuration.validate()`.
    public init(configuration: Configuration = .init()) throws(CardioGaitConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Checks one value; a plausible non-zero value becomes the reference for the next.
    ///
    /// - Parameters:
    ///   - timeSeconds: The value's session time.
    ///   - stepsPerMinute: The cadence, already normalised to steps per minute.
    public mutating func check(timeSeconds t: Double, stepsPerMinute x: Double) -> CadenceVerdict {
        rejectedJump = nil
        guard x.isFinite else { return .nonFinite }
        if x == 0 {
            // Stopping is always possible; a held-back value on the way down was real.
            held = nil
            return .plausible
        }
        guard x >= configuration.minimumStepsPerMinute && x <= configuration.maximumStepsPerMinute else { return .outOfRange }
        if let h = held {
            held = nil
            if !isJump(from: h.stepsPerMinute, at: h.timeSeconds, to: x, at: t) {
                return accept(x, t)
            }
            if let r = reference, !isJump(from: r, at: referenceTimeSeconds, to: x, at: t) {
                rejectedJump = h
                return accept(x, t)
            }
            // Far from both: this value is itself held back; the earlier one is left unjudged.
            held = CadenceJump(timeSeconds: t, stepsPerMinute: x)
            return .heldBack
        }
        if let r = reference, isJump(from: r, at: referenceTimeSeconds, to: x, at: t) {
            held = CadenceJump(timeSeconds: t, stepsPerMinute: x)
            return .heldBack
        }
        return accept(x, t)
    }

    /// Forgets the reference and any held-back value.
    public mutating func reset() {
        reference = nil
        held = nil
        rejectedJump = nil
    }

    private func isJump(from a: Double, at ta: Double, to b: Double, at tb: Double) -> Bool {
        abs(b - a) > configuration.maximumChangeStepsPerMinutePerSecond * max(1, tb - ta)
    }

    private mutating func accept(_ x: Double, _ t: Double) -> CadenceVerdict {
        reference = x
        referenceTimeSeconds = t
        return .plausible
    }
}
