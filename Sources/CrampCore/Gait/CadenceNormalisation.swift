// SPDX-License-Identifier: MIT

/// Turns raw cadence values into steps per minute, whether the source counts steps or strides,
/// and — with the `.auto` setting — decides which from the values themselves.
///
/// With `.stepsPerMinute` or `.stridesPerMinute` the factor is fixed (1 or 2). With `.auto`,
/// each raw value `r` (not 0) is evidence for the reading that alone makes it plausible, using
/// the ranges running 140–210 steps/min, walking 90–135 steps/min, anything 60–240:
///
/// | raw value | as steps/min | as strides/min (×2) | evidence for |
/// |---|---|---|---|
/// | above 120 | walking to sprinting | above 240: impossible | steps |
/// | 70–105 at a running speed (≥ 2 m/s) | a walking cadence while running: impossible | 140–210: running | strides |
/// | 30–89 | below walking (90) | 60–178: walking or running | strides |
/// | 90–120 without a running speed | walking | running | neither (ambiguous) |
///
/// Evidence is counted in seconds (each value weighs the time since the previous one, at most
/// 5 s). The reading with more evidence is used (on a tie — at the first value — the reading
/// the value itself supports, else steps);
/// the reading counts as decided once its evidence reaches `decisionSeconds` (default 30 s).
/// The reading can still change later if the other gathers more evidence — a strides sensor
/// that starts with a minute of brisk walking at 100 strides/min looks like steps until the run
/// starts — and `CardioGaitTracker` reports every change.
///
/// The ranges are modelling choices from typical values (DESIGN.md, docs/CARDIO_GAIT.md); the
/// 2 m/s running speed is about the preferred walk–run transition speed (Hreljac 1993).
public struct CadenceNormalisation: Sendable {
    /// The setting and the `.auto` decision's parameters.
    public struct Configuration: Hashable, Sendable {
        /// What the source reports. Default `.stepsPerMinute`.
        public var setting: CadenceUnitSetting
        /// Evidence needed before the `.auto` reading counts as decided, in seconds. Default 30.
        public var decisionSeconds: Double
        /// Speed at or above which the runner is running, in metres per second. Default 2.0.
        public var runningSpeedMetresPerSecond: Double

        /// The defaults, overridden where given.
        public init(setting: CadenceUnitSetting = .stepsPerMinute, decisionSeconds: Double = 30, runningSpeedMetresPerSecond: Double = 2.0) {
            self.setting = setting
            self.decisionSeconds = decisionSeconds
            self.runningSpeedMetresPerSecond = runningSpeedMetresPerSecond
        }

        /// Checks the parameters.
        ///
        /// - Throws: `CardioGaitConfigurationError.outOfRange` for a decision time outside
        ///   1–3600 s or a running speed outside 1–5 m/s.
        public func validate() throws(CardioGaitConfigurationError) {
            try CardioGaitConfigurationError.check("cadenceNormalisation.decisionSeconds", decisionSeconds, in: 1...3600)
            try CardioGaitConfigurationError.check("cadenceNormalisation.runningSpeedMetresPerSecond", runningSpeedMetresPerSecond, in: 1...5)
        }
    }

    /// Longest evidence weight of one value, in seconds.
    static let maximumSampleGapSeconds = 5.0

    /// The parameters in use.
    public let configuration: Configuration
    /// The reading in use.
    public private(set) var unit: CadenceUnit
    /// Whether the reading is settled: always for a fixed setting; for `.auto`, once the
    /// leading reading has `decisionSeconds` of evidence.
    public private(set) var isDecided: Bool
    /// Evidence for steps per minute so far, in seconds (`.auto` only).
    public private(set) var stepsEvidenceSeconds = 0.0
    /// Evidence for strides per minute so far, in seconds (`.auto` only).
    public private(set) var stridesEvidenceSeconds = 0.0
    private var lastTimeSeconds: Double?

    /// A normalisation with no evidence yet.
    ///
    /// - Throws: `CardioGaitConfigurationError` from `Configuration.validate()`.
    public init(configuration: Configuration = .init()) throws(CardioGaitConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        switch configuration.setting {
        case .stepsPerMinute: (unit, isDecided) = (.stepsPerMinute, true)
        case .stridesPerMinute: (unit, isDecided) = (.stridesPerMinute, true)
        case .auto: (unit, isDecided) = (.stepsPerMinute, false)
        }
    }

    /// The steps per minute that `raw` stands for.
    ///
    /// - Parameters:
    ///   - timeSeconds: The value's session time (weights the evidence).
    ///   - raw: The value as the source reports it, per minute.
    ///   - speedMetresPerSecond: The current speed if known, used by `.auto`.
    /// - Returns: `raw × 1` or `raw × 2`; a non-finite `raw` comes back unchanged.
    public mutating func normalise(timeSeconds: Double, perMinute raw: Double, speedMetresPerSecond speed: Double?) -> Double {
        if configuration.setting == .auto, raw.isFinite {
            let weight = lastTimeSeconds.map { min(max(0, timeSeconds - $0), Self.maximumSampleGapSeconds) } ?? 0
            lastTimeSeconds = max(lastTimeSeconds ?? timeSeconds, timeSeconds)
            let running = speed.map { $0 >= configuration.runningSpeedMetresPerSecond } ?? false
            var evidence: CadenceUnit?
            if raw > 120 {
                evidence = .stepsPerMinute
                stepsEvidenceSeconds += weight
            } else if raw >= 30 && raw < 90 || running && raw >= 70 && raw <= 105 {
                evidence = .stridesPerMinute
                stridesEvidenceSeconds += weight
            }
            if stridesEvidenceSeconds != stepsEvidenceSeconds {
                unit = stridesEvidenceSeconds > stepsEvidenceSeconds ? .stridesPerMinute : .stepsPerMinute
            } else if let evidence {
                // A tie (at the first value, which weighs nothing yet): this value decides.
                unit = evidence
            }
            isDecided = max(stepsEvidenceSeconds, stridesEvidenceSeconds) >= configuration.decisionSeconds
        }
        return raw * unit.stepsPerCount
    }
}
