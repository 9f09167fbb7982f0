// SPDX-License-Identifier: MIT

/// How many heart-rate, cadence and speed samples were used and rejected.
public struct CardioGaitSampleCounts: Hashable, Sendable {
    /// Heart-rate samples used.
    public var heartRateAccepted = 0
    /// Heart-rate samples rejected (non-finite, out of range, invalid time).
    public var heartRateRejected = 0
    /// Cadence samples used.
    public var cadenceAccepted = 0
    /// Cadence samples rejected (non-finite, out of range, impossible jump, invalid time).
    public var cadenceRejected = 0
    /// Cadence values held back as a jump and then confirmed by the next value (a genuine
    /// abrupt change, used one value late; `CadencePlausibility`), or left unjudged.
    public var cadenceHeldBack = 0
    /// Speed samples used.
    public var speedAccepted = 0
    /// Speed samples rejected (non-finite, out of range, invalid time).
    public var speedRejected = 0
    /// RR intervals whose time was invalid (counted here, not in `RRIntervalCounts`).
    public var rrInvalidTime = 0
    /// Snapshots not emitted because a single sample jumped more than
    /// `CardioGaitTracker.maximumCatchUpSnapshots` intervals ahead.
    public var skippedSnapshots = 0

    /// All counters at zero.
    public init() {}
}

/// Every heart-rate and gait feature at one session time (`CardioGaitTracker`).
///
/// A snapshot at time T reflects the samples timed before T. A value is `nil` when it cannot
/// be known: its sensor is stale, the baseline is not established yet, the runner is not
/// running, or there is not enough data.
public struct CardioGaitSnapshot: Hashable, Sendable {
    /// Session time of the snapshot, in seconds (a whole multiple of the interval).
    public var timeSeconds: Double

    // MARK: - Heart

    /// Smoothed heart rate, in beats per minute.
    public var heartRateBeatsPerMinute: Double?
    /// Heart rate against the baseline at the current running cadence.
    public var cardiacDrift: CardiacDrift?
    /// Efficiency factor of the second half of the running time against the first.
    public var aerobicDecoupling: AerobicDecoupling?
    /// The latest DFA α1 whose window has few enough artifacts, while RR intervals arrive.
    public var dfaAlpha1: DFAAlpha1Estimate?
    /// RR intervals kept and rejected so far.
    public var rrIntervals: RRIntervalCounts

    // MARK: - Gait

    /// What the legs are doing now.
    public var gait: GaitState
    /// The latest plausible cadence, in steps per minute.
    public var cadenceStepsPerMinute: Double?
    /// Smoothed running cadence (while running), in steps per minute.
    public var runningCadenceStepsPerMinute: Double?
    /// The latest plausible speed, in metres per second.
    public var speedMetresPerSecond: Double?
    /// How raw cadence values are being read.
    public var cadenceUnit: CadenceUnit
    /// Whether that reading is settled.
    public var isCadenceUnitDecided: Bool
    /// The runner's baseline cadence and speed, once the baseline window has closed.
    public var baseline: GaitBaseline?
    /// Running cadence against the baseline cadence.
    public var cadenceSag: CadenceSag?
    /// Whether a surge is under way.
    public var isSurging: Bool
    /// Whether a walk break is under way.
    public var isWalkBreak: Bool
    /// Whether the runner is stopped.
    public var isStopped: Bool

    /// Samples used and rejected so far.
    public var samples: CardioGaitSampleCounts
}
