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
/// effort at constant cadence — so where speed is known, aerobic decoupling
/// (`AerobicDecouplingTracker`) is the complementary measure.
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

        /// The defaults, overridden where given.
        public init(cadenceToleranceStepsPerMinute: Double = 4, minimumBaselineSeconds: Double = 60, maximumSampleGapSeconds: Double = 5) {
            self.cadenceToleranceStepsPerMinute = cadenceToleranceStepsPerMinute
            self.minimumBaselineSeconds = minimumBaselineSeconds
            self.maximumSampleGapSeconds = maximumSampleGapSeconds
        }

        /// Checks the parameters.
        ///
        /// - Throws: `CardioGaitConfigurationError.outOfRange` for a tolerance outside
        ///   0.5–20 steps/min, a minimum baseline outside 1–3600 s, a gap outside 0.1–60 s.
        public func validate() throws(CardioGaitConfigurationError) {
            try CardioGaitConfigurationError.check("drift.cadenceToleranceStepsPerMinute", cadenceToleranceStepsPerMinute, in: 0.5...20)
            try CardioGaitConfigurationError.check("drift.minimumBaselineSeconds", minimumBaselineSeconds, in: 1...3600)
            try CardioGaitConfigurationError.check("drift.maximumSampleGapSeconds", maximumSampleGapSeconds, in: 0.1...60)
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
    }

    /// Adds one heart-rate sample.
    ///
    /// - Parameters:
    ///   - timeSeconds: The sample's session time.
    ///   - heartRateBeatsPerMinute: Smoothed heart rate.
    ///   - cadenceStepsPerMinute: Smoothed running cadence at that time, or `nil` when the
    ///     runner is not running or the cadence is unknown.
    public mutating func process(timeSeconds: Double, heartRateBeatsPerMinute: Double, cadenceStepsPerMinute: Double?) {
        defer { lastTimeSeconds = max(lastTimeSeconds ?? timeSeconds, timeSeconds) }
        guard let cadence = cadenceStepsPerMinute, baselineWindow.contains(timeSeconds),
              let last = lastTimeSeconds, let bin = Self.bin(cadence) else { return }
        let weight = min(max(0, timeSeconds - last), configuration.maximumSampleGapSeconds)
        weightedBeats[bin] += heartRateBeatsPerMinute * weight
        seconds[bin] += weight
        baselineSeconds += weight
    }

    /// Whether the baseline window has closed at `timeSeconds`.
    public func isBaselineComplete(atSeconds timeSeconds: Double) -> Bool {
        timeSeconds >= baselineWindow.endSeconds
    }

    /// The drift of `heartRateBeatsPerMinute` at `cadenceStepsPerMinute`.
    ///
    /// - Returns: `nil` before the baseline window has closed, or when the baseline holds
    ///   less than `minimumBaselineSeconds` within the cadence band.
    public func drift(atSeconds timeSeconds: Double, heartRateBeatsPerMinute: Double, cadenceStepsPerMinute: Double) -> CardiacDrift? {
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
        var lowest = Int.max
        var highest = Int.min
        for i in first...last where seconds[i] > 0 {
            beats += weightedBeats[i]
            time += seconds[i]
            lowest = min(lowest, i)
            highest = max(highest, i)
        }
        guard time >= configuration.minimumBaselineSeconds else { return nil }
        return CardiacDrift(
            currentBeatsPerMinute: heartRateBeatsPerMinute, baselineBeatsPerMinute: beats / time,
            bandLowerStepsPerMinute: Double(lowest + Self.lowestStepsPerMinute),
            bandUpperStepsPerMinute: Double(highest + 1 + Self.lowestStepsPerMinute),
            baselineSeconds: time)
    }

    /// Forgets the baseline.
    public mutating func reset() {
        for i in seconds.indices {
            seconds[i] = 0
            weightedBeats[i] = 0
        }
        baselineSeconds = 0
        lastTimeSeconds = nil
    }

    private static func bin(_ cadence: Double) -> Int? {
        guard cadence.isFinite, cadence >= Double(lowestStepsPerMinute), cadence < Double(highestStepsPerMinute) else { return nil }
        return Int(cadence) - lowestStepsPerMinute
    }
}
