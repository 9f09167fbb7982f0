// SPDX-License-Identifier: MIT

/// Everything `CardioGaitTracker` can be tuned with. Every property has a default; the
/// defaults, their reasons and their sources are in docs/CARDIO_GAIT.md.
public struct CardioGaitConfiguration: Hashable, Sendable {
    // MARK: - Output and freshness

    /// Session time between snapshots, in seconds. Snapshots fall on whole multiples of it.
    /// Default 1.
    public var snapshotIntervalSeconds: Double
    /// A channel with no accepted sample for longer than this is stale: its values are left
    /// out of snapshots and episode decisions, and its smoothing restarts. In seconds.
    /// Default 5 (sensors send about once a second).
    public var staleAfterSeconds: Double

    // MARK: - Smoothing (time constants, seconds)

    /// Heart rate, for drift. Default 30.
    public var heartRateSmoothingSeconds: Double
    /// Running cadence, for drift's cadence band and for sag. Default 30.
    public var cadenceSmoothingSeconds: Double
    /// Cadence and speed for the walk-break and surge conditions: short, so that episodes
    /// start and end within a few seconds of the change, yet single noisy samples near a
    /// threshold do not flicker. Default 3.
    public var episodeSmoothingSeconds: Double

    // MARK: - Baselines

    /// When the runner's baselines are measured (heart rate per cadence, cadence, speed).
    public var baselineWindow: BaselineWindow
    /// Least running time in the baseline window for a cadence or speed baseline, in
    /// seconds. Default 60.
    public var minimumBaselineSeconds: Double

    // MARK: - Components

    /// Cardiac drift's cadence band, minimum baseline and speed check.
    public var drift: CardiacDriftTracker.Configuration
    /// Aerobic decoupling's start, minimum and coverage.
    public var decoupling: AerobicDecouplingTracker.Configuration
    /// The RR artifact rule.
    public var rr: RRArtifactFilter.Configuration
    /// The DFA α1 window, hop, box sizes and artifact limit.
    public var dfa: DFAAlpha1Tracker.Configuration
    /// Whether raw cadence is steps or strides per minute, or decided from the values.
    /// Default `.stepsPerMinute`.
    public var cadenceNormalisation: CadenceNormalisation.Configuration
    /// The cadence range and jump limit.
    public var cadencePlausibility: CadencePlausibility.Configuration
    /// The cadence and speed thresholds between running, walking and standing.
    public var gait: GaitThresholds

    // MARK: - Plausibility of heart rate and speed

    /// Plausible heart rates, in beats per minute. Default 25–250.
    public var heartRateRangeBeatsPerMinute: ClosedRange<Double>
    /// Highest plausible speed, in metres per second. Default 12 (faster than any runner).
    public var maximumSpeedMetresPerSecond: Double

    // MARK: - Episodes

    /// A surge: speed at least this much above the baseline speed, in percent. Default 10.
    public var surgeSpeedExcessPercent: Double
    /// …or cadence at least this much above the baseline cadence, in percent. Default 5.
    public var surgeCadenceExcessPercent: Double
    /// …held for at least this long, in seconds. Default 20.
    public var surgeMinimumSeconds: Double
    /// A walk break: walking for at least this long, in seconds. Default 10.
    public var walkBreakMinimumSeconds: Double
    /// A stop: standing for at least this long, in seconds. Default 5.
    public var stopMinimumSeconds: Double
    /// An episode ends after its condition has failed for this long, in seconds. Default 5.
    public var episodeReleaseSeconds: Double

    /// The defaults, overridden where given.
    public init(
        snapshotIntervalSeconds: Double = 1,
        staleAfterSeconds: Double = 5,
        heartRateSmoothingSeconds: Double = 30,
        cadenceSmoothingSeconds: Double = 30,
        episodeSmoothingSeconds: Double = 3,
        baselineWindow: BaselineWindow = .init(),
        minimumBaselineSeconds: Double = 60,
        drift: CardiacDriftTracker.Configuration = .init(),
        decoupling: AerobicDecouplingTracker.Configuration = .init(),
        rr: RRArtifactFilter.Configuration = .init(),
        dfa: DFAAlpha1Tracker.Configuration = .init(),
        cadenceNormalisation: CadenceNormalisation.Configuration = .init(),
        cadencePlausibility: CadencePlausibility.Configuration = .init(),
        gait: GaitThresholds = .init(),
        heartRateRangeBeatsPerMinute: ClosedRange<Double> = 25...250,
        maximumSpeedMetresPerSecond: Double = 12,
        surgeSpeedExcessPercent: Double = 10,
        surgeCadenceExcessPercent: Double = 5,
        surgeMinimumSeconds: Double = 20,
        walkBreakMinimumSeconds: Double = 10,
        stopMinimumSeconds: Double = 5,
        episodeReleaseSeconds: Double = 5
    ) {
        self.snapshotIntervalSeconds = snapshotIntervalSeconds
        self.staleAfterSeconds = staleAfterSeconds
        self.heartRateSmoothingSeconds = heartRateSmoothingSeconds
        self.cadenceSmoothingSeconds = cadenceSmoothingSeconds
        self.episodeSmoothingSeconds = episodeSmoothingSeconds
        self.baselineWindow = baselineWindow
        self.minimumBaselineSeconds = minimumBaselineSeconds
        self.drift = drift
        self.decoupling = decoupling
        self.rr = rr
        self.dfa = dfa
        self.cadenceNormalisation = cadenceNormalisation
        self.cadencePlausibility = cadencePlausibility
        self.gait = gait
        self.heartRateRangeBeatsPerMinute = heartRateRangeBeatsPerMinute
        self.maximumSpeedMetresPerSecond = maximumSpeedMetresPerSecond
        self.surgeSpeedExcessPercent = surgeSpeedExcessPercent
        self.surgeCadenceExcessPercent = surgeCadenceExcessPercent
        self.surgeMinimumSeconds = surgeMinimumSeconds
        self.walkBreakMinimumSeconds = walkBreakMinimumSeconds
        self.stopMinimumSeconds = stopMinimumSeconds
        self.episodeReleaseSeconds = episodeReleaseSeconds
    }

    /// Checks every parameter, including the components'.
    ///
    /// - Throws: The first `CardioGaitConfigurationError` found.
    public func validate() throws(CardioGaitConfigurationError) {
        typealias E = CardioGaitConfigurationError
        try E.check("snapshotIntervalSeconds", snapshotIntervalSeconds, in: 0.1...3600)
        try E.check("staleAfterSeconds", staleAfterSeconds, in: 0.5...600)
        try E.check("heartRateSmoothingSeconds", heartRateSmoothingSeconds, in: 0...3600)
        try E.check("cadenceSmoothingSeconds", cadenceSmoothingSeconds, in: 0...3600)
        try E.check("episodeSmoothingSeconds", episodeSmoothingSeconds, in: 0...60)
        try baselineWindow.validate()
        try E.check("minimumBaselineSeconds", minimumBaselineSeconds, in: 1...86_400)
        try drift.validate()
        try decoupling.validate()
        try rr.validate()
        try dfa.validate()
        try cadenceNormalisation.validate()
        try cadencePlausibility.validate()
        try gait.validate()
        try E.check("heartRateRangeBeatsPerMinute.lowerBound", heartRateRangeBeatsPerMinute.lowerBound, in: 1...300)
        try E.check("heartRateRangeBeatsPerMinute.upperBound", heartRateRangeBeatsPerMinute.upperBound, in: (heartRateRangeBeatsPerMinute.lowerBound + 1)...400)
        try E.check("maximumSpeedMetresPerSecond", maximumSpeedMetresPerSecond, in: 1...20)
        try E.check("surgeSpeedExcessPercent", surgeSpeedExcessPercent, in: 1...200)
        try E.check("surgeCadenceExcessPercent", surgeCadenceExcessPercent, in: 1...100)
        try E.check("surgeMinimumSeconds", surgeMinimumSeconds, in: 0...3600)
        try E.check("walkBreakMinimumSeconds", walkBreakMinimumSeconds, in: 0...3600)
        try E.check("stopMinimumSeconds", stopMinimumSeconds, in: 0...3600)
        try E.check("episodeReleaseSeconds", episodeReleaseSeconds, in: 0...600)
    }
}
