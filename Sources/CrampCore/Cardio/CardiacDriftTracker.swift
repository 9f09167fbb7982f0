// SPDX-License-Identifier: MIT

/// Cardiac drift: heart rate against the runner's own baseline heart rate at the same cadence.
///
/// During the baseline window the tracker builds a table of mean heart rate by cadence, in
/// 1 steps/min bins from 60 to 240 steps/min, each sample weighted by the time since the
/// previous one. After the window, `drift(…)` compares the current heart rate with the
/// baseline of the bins within ± `cadenceToleranceStepsPerMinute` of the current cadence
/// (time-weighted together), provided they hold at least `minimumBaselineSeconds`; at a
/// cadence the baseline never saw — walking, a surge far above the usual cadence — there is no
/// drift to report.
///
/// Matching on cadence rather than comparing heart rate over time alone is what separates
/// drift from a change of effort: running faster raises heart rate, and cadence rises with
/// speed. It is only a proxy — most of a speed change is stride length, and hills change the
/// effort at constant cadence. So where speed is known, the table also keeps the mean speed of
/// each cadence bin, and no drift is reported when the current speed differs from the matched
/// baseline's by more than `speedTolerancePercent`: a runner jogging at the same cadence but
/// 30 % slower after a walk break has a lower heart rate for that reason, not a negative drift.
/// Aerobic decoupling (`AerobicDecouplingTracker`) is the complementary, speed-based measure.
///
/// Feed it smoothed values (`CardioGaitTracker` uses 30 s time constants) and the cadence only
/// while running; pass `nil` for the cadence otherwise, so that the time weight of the next
/// sample does not include the pause. Allocates nothing after `init`.
public struct CardiacDriftTracker: Sendable {
    /// How the baseline is matched.
    public struct Configuration: Hashable, Sendable {
        /// Half-width of the cadence band matched, in steps per minute. Default 4: the
        /// sample-to-sample spread of a steady runner's cadence is a few steps/min, and heart
        /// rate changes little over ±4 steps/min at constant terrain.
        public var cadenceToleranceStepsPerMinute: Double
        /// Least baseline time in the matched band for a drift to be reported, in seconds.
        /// Default 60.
        public var minimumBaselineSeconds: Double
        /// Longest time weight a single sample gets, in seconds (a longer gap since the
        /// previous sample is a dropout, not a minute at this heart rate). Default 5.
        public var maximumSampleGapSeconds: Double
        /// Largest difference between the current speed and the matched baseline's mean speed
        /// for a drift to be reported, in percent of the baseline speed; `nil` to match on
        /// cadence alone. Applies only when both speeds are known. Default 15: heart rate
        /// rises roughly in proportion to running speed, so 15 % of speed is worth several bpm
        /// — the same order as the drift measured — but speed from foot pods and GPS, even
        /// smoothed over 30 s, wanders by 10 % around a steady pace (the Stryd sample), and a
        /// tighter match would leave little to report.
        public var speedTolerancePercent: Double?

        /// The defaults, overridden where given.
        public init(
            cadenceToleranceStepsPerMinute: Double = 4, minimumBaselineSeconds: Double = 60, maximumSampleGapSeconds: Double = 5,
            speedTolerancePercent: Double? = 15
        ) {
            self.cadenceToleranceStepsPerMinute = cadenceToleranceStepsPerMinute
            self.minimumBaselineSeconds = minimumBaselineSeconds
            self.maximumSampleGapSeconds = maximumSampleGapSeconds
            self.speedTolerancePercent = speedTolerancePercent
        }

        /// Checks the parameters.
        ///
        /// - Throws: `CardioGaitConfigurationError.outOfRange` for a tolerance outside
        ///   0.5–20 steps/min, a minimum baseline outside 1–3600 s, a gap outside 0.1–60 s, a
        ///   speed tolerance outside 1–100 %.
        public func validate() throws(CardioGaitConfigurationError) {
            try CardioGaitConfigurationError.check("drift.cadenceToleranceStepsPerMinute", cadenceToleranceStepsPerMinute, in: 0.5...20)
            try CardioGaitConfigurationError.check("drift.minimumBaselineSeconds", minimumBaselineSeconds, in: 1...3600)
            try CardioGaitConfigurationError.check("drift.maximumSampleGapSeconds", maximumSampleGapSeconds, in: 0.1...60)
            if let speedTolerancePercent {
                try CardioGaitConfigurationError.check("drift.speedTolerancePercent", speedTolerancePercent, in: 1...100)
            }
        }
    }

    /// Lowest cadence of the table, in steps per minute.
    public static let lowestStepsPerMinute = 60
    /// Highest cadence of the table (exclusive), in steps per minute.
    public static let highestStepsPerMinute = 240

    /// When the baseline is taken.
    public let baselineWindow: BaselineWindow
    /// The matching parameters.
    public let configuration: Configuration

    private var weightedBeats: [Double]
    private var seconds: [Double]
    private var weightedSpeed: [Double]
    private var speedSeconds: [Double]
    private var lastTimeSeconds: Double?
    /// Running time recorded in the baseline table, in seconds.
    public private(set) var baselineSeconds = 0.0

    /// An empty baseline.
    ///
    /// - Throws: `CardioGaitConfigurationError` from `BaselineWindow.validate()` or
    ///   `Configuration.validate()`.
    public init(baselineWindow: BaselineWindow = .init(), configuration: Configuration = .init()) throws(CardioGaitConfigurationError) {
        try baselineWindow.validate()
        try configuration.validate()
        self.baselineWindow = baselineWindow
        self.configuration = configuration
        let bins = Self.highestStepsPerMinute - Self.lowestStepsPerMinute
        weightedBeats = Array(repeating: 0, count: bins)
        seconds = Array(repeating: 0, count: bins)
        weightedSpeed = Array(repeating: 0, count: bins)
        speedSeconds = Array(repeating: 0, count: bins)
    }

    /// Adds one heart-rate sample.
    ///
    /// - Parameters:
    ///   - timeSeconds: The sample's session time.
    ///   - heartRateBeatsPerMinute: Smoothed heart rate.
    ///   - cadenceStepsPerMinute: Smoothed running cadence at that time, or `nil` when the
    ///     runner is not running or the cadence is unknown.
    ///   - speedMetresPerSecond: Smoothed running speed at that time, `nil` if unknown.
    public mutating func process(
        timeSeconds: Double, heartRateBeatsPerMinute: Double, cadenceStepsPerMinute: Double?, speedMetresPerSecond: Double? = nil
    ) {
        defer { lastTimeSeconds = max(lastTimeSeconds ?? timeSeconds, timeSeconds) }
        guard let cadence = cadenceStepsPerMinute, baselineWindow.contains(timeSeconds),
              let last = lastTimeSeconds, let bin = Self.bin(cadence) else { return }
        let weight = min(max(0, timeSeconds - last), configuration.maximumSampleGapSeconds)
        weightedBeats[bin] += heartRateBeatsPerMinute * weight
        seconds[bin] += weight
        baselineSeconds += weight
        if let speed = speedMetresPerSecond, speed.isFinite {
            weightedSpeed[bin] += speed * weight
            speedSeconds[bin] += weight
        }
    }

    /// Whether the baseline window has closed at `timeSeconds`.
    public func isBaselineComplete(atSeconds timeSeconds: Double) -> Bool {
        timeSeconds >= baselineWindow.endSeconds
    }

    /// The drift of `heartRateBeatsPerMinute` at `cadenceStepsPerMinute`.
    ///
    /// - Parameter speedMetresPerSecond: The current smoothed speed, `nil` if unknown.
    /// - Returns: `nil` before the baseline window has closed, when the baseline holds less
    ///   than `minimumBaselineSeconds` within the cadence band, or when the current speed is
    ///   further than `speedTolerancePercent` from the band's baseline speed.
    public func drift(
        atSeconds timeSeconds: Double, heartRateBeatsPerMinute: Double, cadenceStepsPerMinute: Double, speedMetresPerSecond: Double? = nil
    ) -> CardiacDrift? {
        guard isBaselineComplete(atSeconds: timeSeconds), cadenceStepsPerMinute.isFinite,
              (0...1000).contains(cadenceStepsPerMinute) else { return nil }
        let tolerance = configuration.cadenceToleranceStepsPerMinute
        let low = Int((cadenceStepsPerMinute - tolerance).rounded(.down)) - Self.lowestStepsPerMinute
        let high = Int((cadenceStepsPerMinute + tolerance).rounded(.down)) - Self.lowestStepsPerMinute
        let first = max(0, low)
        let last = min(seconds.count - 1, high)
        guard first <= last else { return nil }
        var beats = 0.0
        var time = 0.0
        var metres = 0.0
        var speedTime = 0.0
        var lowest = Int.max
        var highest = Int.min
        for i in first...last where seconds[i] > 0 {
            beats += weightedBeats[i]
            time += seconds[i]
            metres += weightedSpeed[i]
            speedTime += speedSeconds[i]
            lowest = min(lowest, i)
            highest = max(highest, i)
        }
        guard time >= configuration.minimumBaselineSeconds else { return nil }
        var speedDifference: Double?
        if let speed = speedMetresPerSecond, speedTime >= configuration.minimumBaselineSeconds, metres > 0 {
            let baselineSpeed = metres / speedTime
            let difference = 100 * (speed - baselineSpeed) / baselineSpeed
            if let tolerance = configuration.speedTolerancePercent, abs(difference) > tolerance { return nil }
            speedDifference = difference
        }
        return CardiacDrift(
            currentBeatsPerMinute: heartRateBeatsPerMinute, baselineBeatsPerMinute: beats / time,
            bandLowerStepsPerMinute: Double(lowest + Self.lowestStepsPerMinute),
            bandUpperStepsPerMinute: Double(highest + 1 + Self.lowestStepsPerMinute),
            baselineSeconds: time, speedDifferencePercent: speedDifference)
    }

    /// Forgets the baseline.
    public mutating func reset() {
        for i in seconds.indices {
            seconds[i] = 0
            weightedBeats[i] = 0
            weightedSpeed[i] = 0
            speedSeconds[i] = 0
        }
        baselineSeconds = 0
        lastTimeSeconds = nil
    }

    private static func bin(_ cadence: Double) -> Int? {
        guard cadence.isFinite, cadence >= Double(lowestStepsPerMinute), cadence < Double(highestStepsPerMinute) else { return nil }
        return Int(cadence) - lowestStepsPerMinute
    }
}
