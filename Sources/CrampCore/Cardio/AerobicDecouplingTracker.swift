// SPDX-License-Identifier: MIT

/// Aerobic decoupling (Pa:HR) of the running time so far: the efficiency factor — speed per
/// heartbeat, or cadence per heartbeat without speed — of the first half against the second.
///
/// The usual definition (TrainingPeaks' Pa:HR, after Friel): EF = mean output / mean heart
/// rate over each half of a steady effort after the warm-up, and
/// `decoupling = (EF₁ − EF₂) / EF₁`, in percent; under about 5 % on a long steady run is read as
/// good aerobic endurance. Differences from TrainingPeaks: raw speed rather than normalized
/// graded pace (no grade adjustment, no normalisation), and the halves are halves of the
/// *running* time, because a walk break or a stop is not part of a steady effort.
///
/// Streaming: the halves move as the session goes on (the midpoint of 40 min is 20 min, of
/// 60 min 30 min), so the tracker keeps running sums and a bounded record of past sums
/// (`CumulativeCheckpoints`), and interpolates the sums at the current midpoint. Memory is
/// fixed whatever the session's length.
///
/// Each heart-rate sample is weighted by the time since the previous one (at most
/// `maximumSampleGapSeconds`) and paired with the speed and cadence at that time; the caller
/// passes `nil` for both when the runner is not running, and the sample is then left out.
public struct AerobicDecouplingTracker: Sendable {
    /// When the analysis starts and what it needs.
    public struct Configuration: Hashable, Sendable {
        /// Session time from which samples are analysed, in seconds. Default 600: after the
        /// warm-up, whose low early heart rate would inflate the first half's efficiency.
        public var startSeconds: Double
        /// Least running time analysed before a decoupling is reported, in seconds. Default
        /// 1200 (10 min per half).
        public var minimumSeconds: Double
        /// Least share of each half that must have a speed (or else a cadence) for that basis
        /// to be used. Default 0.9.
        public var minimumCoverageFraction: Double
        /// Longest time weight of a single sample, in seconds. Default 5.
        public var maximumSampleGapSeconds: Double

        /// The defaults, overridden where given.
        public init(startSeconds: Double = 600, minimumSeconds: Double = 1200, minimumCoverageFraction: Double = 0.9, maximumSampleGapSeconds: Double = 5) {
            self.startSeconds = startSeconds
            self.minimumSeconds = minimumSeconds
            self.minimumCoverageFraction = minimumCoverageFraction
            self.maximumSampleGapSeconds = maximumSampleGapSeconds
        }

        /// Checks the parameters.
        ///
        /// - Throws: `CardioGaitConfigurationError.outOfRange` for a start outside 0–24 h, a
        ///   minimum outside 60 s–24 h, a coverage outside 0.5–1, a gap outside 0.1–60 s.
        public func validate() throws(CardioGaitConfigurationError) {
            try CardioGaitConfigurationError.check("decoupling.startSeconds", startSeconds, in: 0...86_400)
            try CardioGaitConfigurationError.check("decoupling.minimumSeconds", minimumSeconds, in: 60...86_400)
            try CardioGaitConfigurationError.check("decoupling.minimumCoverageFraction", minimumCoverageFraction, in: 0.5...1)
            try CardioGaitConfigurationError.check("decoupling.maximumSampleGapSeconds", maximumSampleGapSeconds, in: 0.1...60)
        }
    }

    /// The parameters in use.
    public let configuration: Configuration
    private var sums = DecouplingSums.zero
    private var checkpoints = CumulativeCheckpoints()
    private var lastTimeSeconds: Double?

    /// Running time analysed so far, in seconds.
    public var analysedSeconds: Double { sums.analysedSeconds }

    /// An empty analysis.
    ///
    /// - Throws: `CardioGaitConfigurationError` from `Configuration.validate()`.
    public init(configuration: Configuration = .init()) throws(CardioGaitConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Adds one heart-rate sample.
    ///
    /// - Parameters:
    ///   - timeSeconds: The sample's session time.
    ///   - heartRateBeatsPerMinute: Heart rate.
    ///   - speedMetresPerSecond: Running speed at that time, `nil` if unknown or not running.
    ///   - cadenceStepsPerMinute: Running cadence at that time, `nil` if unknown or not running.
    public mutating func process(
        timeSeconds: Double, heartRateBeatsPerMinute hr: Double, speedMetresPerSecond speed: Double?, cadenceStepsPerMinute cadence: Double?
    ) {
        defer { lastTimeSeconds = max(lastTimeSeconds ?? timeSeconds, timeSeconds) }
        guard timeSeconds >= configuration.startSeconds, speed != nil || cadence != nil, let last = lastTimeSeconds else { return }
        let w = min(max(0, timeSeconds - last), configuration.maximumSampleGapSeconds)
        guard w > 0 else { return }
        sums.analysedSeconds += w
        if let speed {
            sums.speedSeconds += w
            sums.speedHeartRate += hr * w
            sums.speedMetres += speed * w
        }
        if let cadence {
            sums.cadenceSeconds += w
            sums.cadenceHeartRate += hr * w
            sums.cadenceSteps += cadence * w
        }
        checkpoints.record(sums)
    }

    /// The decoupling of the running time analysed so far.
    ///
    /// - Returns: `nil` before `minimumSeconds` of running, or when neither speed nor cadence
    ///   covers enough of both halves.
    public func decoupling() -> AerobicDecoupling? {
        let total = sums.analysedSeconds
        guard total >= configuration.minimumSeconds else { return nil }
        let first = checkpoints.sums(atAnalysedSeconds: total / 2, current: sums)
        let second = sums - first
        let coverage = configuration.minimumCoverageFraction
        if first.speedSeconds >= coverage * first.analysedSeconds, second.speedSeconds >= coverage * second.analysedSeconds,
           first.speedHeartRate > 0, second.speedHeartRate > 0, first.speedMetres > 0 {
            // (Σ v·w / Σ HR·w) in (m/s)/(beats/min); × 60 gives metres per beat.
            return AerobicDecoupling(
                basis: .speed, analysedSeconds: total,
                firstHalfEfficiencyFactor: 60 * first.speedMetres / first.speedHeartRate,
                secondHalfEfficiencyFactor: 60 * second.speedMetres / second.speedHeartRate,
                firstHalfBeatsPerMinute: first.speedHeartRate / first.speedSeconds,
                secondHalfBeatsPerMinute: second.speedHeartRate / second.speedSeconds)
        }
        if first.cadenceSeconds >= coverage * first.analysedSeconds, second.cadenceSeconds >= coverage * second.analysedSeconds,
           first.cadenceHeartRate > 0, second.cadenceHeartRate > 0, first.cadenceSteps > 0 {
            return AerobicDecoupling(
                basis: .cadence, analysedSeconds: total,
                firstHalfEfficiencyFactor: first.cadenceSteps / first.cadenceHeartRate,
                secondHalfEfficiencyFactor: second.cadenceSteps / second.cadenceHeartRate,
                firstHalfBeatsPerMinute: first.cadenceHeartRate / first.cadenceSeconds,
                secondHalfBeatsPerMinute: second.cadenceHeartRate / second.cadenceSeconds)
        }
        return nil
    }

    /// Forgets everything analysed.
    public mutating func reset() {
        sums = .zero
        checkpoints.reset()
        lastTimeSeconds = nil
    }
}
