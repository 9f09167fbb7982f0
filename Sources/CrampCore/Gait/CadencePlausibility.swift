// SPDX-License-Identifier: MIT

/// What `CadencePlausibility` made of one cadence value.
public enum CadenceVerdict: String, CaseIterable, Hashable, Sendable {
    /// 0 (standing) or within the plausible range, and not an impossible jump.
    case plausible
    /// NaN or infinite.
    case nonFinite
    /// Negative, between 0 and the minimum (60 steps/min), or above the maximum (240).
    case outOfRange
    /// Further from the last plausible non-zero value than cadence can change in the time
    /// between them.
    case impossibleJump
}

/// The plausibility check for cadence in steps per minute: a range and a rate-of-change limit.
///
/// - 0 is plausible (standing still; foot pods report 0 when no steps are detected).
/// - Otherwise the value must lie within 60–240 steps/min: slower is not walking, and 240
///   (4 steps per second) is well above distance-running cadences (about 150–200).
/// - Between non-zero values, cadence cannot change by more than
///   `maximumChangeStepsPerMinutePerSecond` (default 60) per second of time between them
///   (at least one second's worth): a single 170 → 85 → 170 value is a sensor halving its count,
///   not a gait change. 60 lets through the largest genuine change within a second, running to
///   walking or back (about 170 ↔ 115), and catches halving or doubling of any running
///   cadence (a change of 70 or more). The limit grows with the time since the last plausible
///   value, so a larger genuine change is accepted at the next value.
///
/// The range is the project's (DESIGN.md); the rate limit is a modelling choice.
/// Rejected values do not become the reference for the next comparison.
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
    private var lastNonZero: Double?
    private var lastNonZeroTimeSeconds = 0.0

    /// A check with no history.
    ///
    /// - Throws: `CardioGaitConfigurationError` from `Configuration.validate()`.
    public init(configuration: Configuration = .init()) throws(CardioGaitConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Checks one value and, if plausible, makes it the reference for the next.
    ///
    /// - Parameters:
    ///   - timeSeconds: The value's session time.
    ///   - stepsPerMinute: The cadence, already normalised to steps per minute.
    public mutating func check(timeSeconds: Double, stepsPerMinute x: Double) -> CadenceVerdict {
        guard x.isFinite else { return .nonFinite }
        if x == 0 { return .plausible }
        guard x >= configuration.minimumStepsPerMinute && x <= configuration.maximumStepsPerMinute else { return .outOfRange }
        if let last = lastNonZero {
            let seconds = max(1, timeSeconds - lastNonZeroTimeSeconds)
            if abs(x - last) > configuration.maximumChangeStepsPerMinutePerSecond * seconds { return .impossibleJump }
        }
        lastNonZero = x
        lastNonZeroTimeSeconds = timeSeconds
        return .plausible
    }

    /// Forgets the reference value.
    public mutating func reset() { lastNonZero = nil }
}
