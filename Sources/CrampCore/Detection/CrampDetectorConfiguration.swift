// SPDX-License-Identifier: MIT

/// Everything `CrampDetector` can be told. Every property has a default: crampd's documented
/// behaviour (docs/DETECTION.md says why each value, and which corpus it was tuned on).
///
/// Times are in seconds of session time; "blocks" are the newest quarter of each feature
/// window (`WindowFeatures.tailRMS`: 62.5 ms at the default 250 ms window and 75 % overlap).
public struct CrampDetectorConfiguration: Hashable, Sendable {
    // MARK: - Stages

    /// The EMG feature pipeline (conditioning, windows, bursts, strides, runner's baseline).
    public var features: SessionFeatureConfiguration
    /// The heart-rate and gait features.
    public var cardioGait: CardioGaitConfiguration
    /// The muscles the detector raises alerts for. Default: the calf (gastrocnemius, soleus) and
    /// the hamstring, the cramps crampd is for. Tibialis and quadriceps channels are still
    /// checked for sensor faults; their two bursts per stride (tibialis) leave no quiet interval
    /// for the prodrome measures.
    public var alertSites: Set<MuscleSite>

    // MARK: - Signal quality → sensor events and abstention

    /// Quality flags are counted over the newest this many windows (2 s at 16 windows/s).
    public var faultWindowCount: Int
    /// A fault is on when at least this many of those windows carry its flag (0.5 s of them).
    public var faultOnWindows: Int
    /// A fault is off after this long without its flag.
    public var faultOffSeconds: Double
    /// After any flagged window the muscle abstains for this long (filters settle after a
    /// dropout, saturation or motion transient), even when no fault was raised.
    public var abstainAfterFlagSeconds: Double

    // MARK: - Cramp onset: sustained activity not locked to gait

    /// Blocks that must all be above the threshold (the sustained span). Default 8: 0.5 s.
    public var onsetBlocks: Int
    /// Threshold as a fraction of the runner's active-burst RMS.
    public var onsetFractionOfActive: Float
    /// The same, while the muscle is in `warning` (a prodrome is under way).
    public var onsetFractionInWarning: Float
    /// Blocks of the sustained span while in `warning`.
    public var onsetBlocksInWarning: Int
    /// Threshold floor as a multiple of the recent sustained level: the second largest of the
    /// per-second largest base-span levels over the last `onsetRecentSeconds`, leaving out the
    /// newest `onsetRecentSkipSeconds`.
    public var onsetRecentMultiple: Float
    public var onsetRecentSeconds: Int
    public var onsetRecentSkipSeconds: Int
    /// Threshold floor as a multiple of the runner's inter-stride baseline RMS.
    public var onsetMultipleOfBaseline: Float
    /// The newest block must be at least this fraction of the span's largest: the falling
    /// flank of a long gait burst (a slowing last stride) is not a cramp's rise or plateau.
    public var onsetNotFallingFraction: Float
    /// The sustained span must be longer than this multiple of the longest recent gait burst of
    /// the muscle (walking and slowing strides have long bursts).
    public var onsetGaitBurstMultiple: Double
    /// The same, while the muscle is in `warning`.
    public var onsetGaitBurstMultipleInWarning: Double
    /// With no stride in the last `recentGaitSeconds`, the gait burst length assumed (the
    /// first burst after standing can last a second).
    public var onsetUnknownGaitBurstSeconds: Double
    /// How long strides count as recent.
    public var recentGaitSeconds: Double
    /// A cramp needs running before it: a stride on any channel within this long.
    public var crampNeedsStridesWithinSeconds: Double
    /// A cramp lasts at least this long before it can clear.
    public var crampMinimumSeconds: Double
    /// It clears when the span's lowest block stays below this fraction of the onset threshold…
    public var clearFraction: Float
    /// …for this long.
    public var clearQuietSeconds: Double
    /// After a clear, a new cramp of the same muscle needs at least this long.
    public var recrampAfterSeconds: Double

    // MARK: - Prodrome: inter-stride baseline and twitches

    /// Clean strides in the inter-stride baseline median.
    public var baselineStrides: Int
    /// `warning` when that median reaches this multiple of the runner's baseline…
    public var warningBaselineRatio: Float
    /// …on this many consecutive clean strides.
    public var warningConfirmStrides: Int
    /// Twitches (extra bursts) above the runner's own rate, per minute, that count as rising.
    public var twitchExcessPerMinute: Float
    /// With rising twitches, the baseline ratio needed for `warning`.
    public var warningBaselineRatioWithTwitches: Float
    /// Strides over which the twitch rate is measured.
    public var twitchStrides: Int
    /// `warning` clears when the ratio falls below this…
    public var warningReleaseRatio: Float
    /// …for this long, after at least `warningMinimumSeconds` in `warning`.
    public var warningReleaseSeconds: Double
    public var warningMinimumSeconds: Double

    // MARK: - Fatigue → watch

    /// Clean strides in the fatigue medians.
    public var fatigueStrides: Int
    /// `watch` when the active-phase MNF median falls to this fraction of the baseline…
    public var watchMeanFrequencyRatio: Float
    /// …or the inter-stride baseline median reaches this ratio.
    public var watchBaselineRatio: Float
    /// While in `watch`, its reasons count until the MNF median is back above this fraction…
    public var watchReleaseMeanFrequencyRatio: Float
    /// …and the inter-stride baseline median below this ratio (hysteresis).
    public var watchReleaseBaselineRatio: Float
    /// `watch` clears after this long without its reasons, after at least
    /// `watchMinimumSeconds` in `watch`.
    public var watchReleaseSeconds: Double
    public var watchMinimumSeconds: Double

    // MARK: - Context from heart rate and cadence (modifiers, never alone a warning)

    /// Cardiac drift (bpm) and drift rate (bpm per minute since the baseline) that read as heat
    /// strain (`hot`: the hydration advice, and a risk modifier).
    public var hotDriftBeatsPerMinute: Double
    public var hotDriftRatePerMinute: Double
    /// A surge counts as recent for this long after it ended.
    public var surgeRecentSeconds: Double
    /// Cadence sag (percent) that counts as fatigue context.
    public var contextSagPercent: Double
    /// Session time from which the run counts as long.
    public var longRunSeconds: Double
    /// How much each context lowers the `warning` ratio: the excess over 1 is divided by
    /// `1 + Σ weights`.
    public var contextWeight: Double
    /// Sessions without EMG: a session-level `watch` when cardiac drift reaches this (bpm)…
    public var contextWatchDriftBeatsPerMinute: Double
    /// …or cadence sag this (percent), for `contextWatchHoldSeconds`.
    public var contextWatchSagPercent: Double
    public var contextWatchHoldSeconds: Double
    /// It clears after this long below 70 % of both, after at least this long in `watch`.
    public var contextWatchReleaseSeconds: Double
    public var contextWatchMinimumSeconds: Double

    /// The defaults.
    public init() {
        features = SessionFeatureConfiguration()
        cardioGait = CardioGaitConfiguration()
        alertSites = [.gastroc, .soleus, .hamstring]
        faultWindowCount = 32
        faultOnWindows = 8
        faultOffSeconds = 5
        abstainAfterFlagSeconds = 1
        onsetBlocks = 10
        onsetFractionOfActive = 0.3
        onsetFractionInWarning = 0.45
        onsetBlocksInWarning = 8
        onsetRecentMultiple = 1.5
        onsetRecentSeconds = 16
        onsetRecentSkipSeconds = 2
        onsetMultipleOfBaseline = 6
        onsetNotFallingFraction = 0.5
        onsetGaitBurstMultiple = 1.3
        onsetGaitBurstMultipleInWarning = 0.8
        onsetUnknownGaitBurstSeconds = 1.2
        recentGaitSeconds = 5
        crampNeedsStridesWithinSeconds = 30
        crampMinimumSeconds = 10
        clearFraction = 0.5
        clearQuietSeconds = 3
        recrampAfterSeconds = 10
        baselineStrides = 8
        warningBaselineRatio = 1.4
        warningConfirmStrides = 3
        twitchExcessPerMinute = 6
        warningBaselineRatioWithTwitches = 1.3
        twitchStrides = 40
        warningReleaseRatio = 1.25
        warningReleaseSeconds = 30
        warningMinimumSeconds = 60
        fatigueStrides = 64
        watchMeanFrequencyRatio = 0.88
        watchBaselineRatio = 1.3
        watchReleaseMeanFrequencyRatio = 0.92
        watchReleaseBaselineRatio = 1.2
        watchReleaseSeconds = 120
        watchMinimumSeconds = 300
        hotDriftBeatsPerMinute = 10
        hotDriftRatePerMinute = 0.28
        surgeRecentSeconds = 600
        contextSagPercent = 3
        longRunSeconds = 2700
        contextWeight = 0.15
        contextWatchDriftBeatsPerMinute = 8
        contextWatchSagPercent = 4
        contextWatchHoldSeconds = 60
        contextWatchReleaseSeconds = 120
        contextWatchMinimumSeconds = 300
    }
}

// MARK: - Setting parameters by name

extension CrampDetectorConfiguration {
    /// The names of the numeric parameters `set(_:to:)` takes: the property names in
    /// snake case (`warning_baseline_ratio`), sorted.
    public static var parameterNames: [String] {
        (Array(floatParameters.keys) + Array(intParameters.keys) + Array(doubleParameters.keys)).sorted()
    }

    /// Sets the numeric parameter `name` (snake case, as `parameterNames`) to `value`: for
    /// comparing detector settings on a corpus (`crampd eval --set NAME=VALUE`).
    ///
    /// - Throws: `CrampDetectorError.unknownParameter` for a name that is not one, or
    ///   `.invalidParameter` for a value that is not finite (or not whole, for a count).
    public mutating func set(_ name: String, to value: Double) throws(CrampDetectorError) {
        guard value.isFinite else { throw .invalidParameter(name, value) }
        if let k = Self.floatParameters[name] {
            self[keyPath: k] = Float(value)
        } else if let k = Self.doubleParameters[name] {
            self[keyPath: k] = value
        } else if let k = Self.intParameters[name] {
            guard value == value.rounded(), abs(value) < 1e9 else { throw .invalidParameter(name, value) }
            self[keyPath: k] = Int(value)
        } else {
            throw .unknownParameter(name)
        }
    }

    private static var floatParameters: [String: WritableKeyPath<Self, Float>] { [
        "onset_fraction_of_active": \.onsetFractionOfActive,
        "onset_fraction_in_warning": \.onsetFractionInWarning,
        "onset_recent_multiple": \.onsetRecentMultiple,
        "onset_multiple_of_baseline": \.onsetMultipleOfBaseline,
        "onset_not_falling_fraction": \.onsetNotFallingFraction,
        "clear_fraction": \.clearFraction,
        "warning_baseline_ratio": \.warningBaselineRatio,
        "twitch_excess_per_minute": \.twitchExcessPerMinute,
        "warning_baseline_ratio_with_twitches": \.warningBaselineRatioWithTwitches,
        "warning_release_ratio": \.warningReleaseRatio,
        "watch_mean_frequency_ratio": \.watchMeanFrequencyRatio,
        "watch_baseline_ratio": \.watchBaselineRatio,
        "watch_release_mean_frequency_ratio": \.watchReleaseMeanFrequencyRatio,
        "watch_release_baseline_ratio": \.watchReleaseBaselineRatio,
    ] }

    private static var intParameters: [String: WritableKeyPath<Self, Int>] { [
        "fault_window_count": \.faultWindowCount,
        "fault_on_windows": \.faultOnWindows,
        "onset_blocks": \.onsetBlocks,
        "onset_blocks_in_warning": \.onsetBlocksInWarning,
        "onset_recent_seconds": \.onsetRecentSeconds,
        "onset_recent_skip_seconds": \.onsetRecentSkipSeconds,
        "baseline_strides": \.baselineStrides,
        "warning_confirm_strides": \.warningConfirmStrides,
        "twitch_strides": \.twitchStrides,
        "fatigue_strides": \.fatigueStrides,
    ] }

    private static var doubleParameters: [String: WritableKeyPath<Self, Double>] { [
        "fault_off_seconds": \.faultOffSeconds,
        "abstain_after_flag_seconds": \.abstainAfterFlagSeconds,
        "onset_gait_burst_multiple": \.onsetGaitBurstMultiple,
        "onset_gait_burst_multiple_in_warning": \.onsetGaitBurstMultipleInWarning,
        "onset_unknown_gait_burst_seconds": \.onsetUnknownGaitBurstSeconds,
        "recent_gait_seconds": \.recentGaitSeconds,
        "cramp_needs_strides_within_seconds": \.crampNeedsStridesWithinSeconds,
        "cramp_minimum_seconds": \.crampMinimumSeconds,
        "clear_quiet_seconds": \.clearQuietSeconds,
        "recramp_after_seconds": \.recrampAfterSeconds,
        "warning_release_seconds": \.warningReleaseSeconds,
        "warning_minimum_seconds": \.warningMinimumSeconds,
        "watch_release_seconds": \.watchReleaseSeconds,
        "watch_minimum_seconds": \.watchMinimumSeconds,
        "hot_drift_beats_per_minute": \.hotDriftBeatsPerMinute,
        "hot_drift_rate_per_minute": \.hotDriftRatePerMinute,
        "surge_recent_seconds": \.surgeRecentSeconds,
        "context_sag_percent": \.contextSagPercent,
        "long_run_seconds": \.longRunSeconds,
        "context_weight": \.contextWeight,
        "context_watch_drift_beats_per_minute": \.contextWatchDriftBeatsPerMinute,
        "context_watch_sag_percent": \.contextWatchSagPercent,
        "context_watch_hold_seconds": \.contextWatchHoldSeconds,
        "context_watch_release_seconds": \.contextWatchReleaseSeconds,
        "context_watch_minimum_seconds": \.contextWatchMinimumSeconds,
    ] }
}
