// SPDX-License-Identifier: MIT

/// Why a heart-rate, cadence or speed sample was not used.
public enum SampleRejection: String, CaseIterable, Hashable, Sendable {
    /// The value is NaN or infinite.
    case nonFinite
    /// The value is outside the plausible range of its kind.
    case outOfRange
    /// Cadence only: an isolated excursion, further from the values before and after it than
    /// cadence can change in the time between them (`CadencePlausibility`). Reported when the
    /// next value arrives.
    case impossibleJump
    /// The sample's time is NaN, negative, beyond 10⁷ s, or before the previous sample of the
    /// same channel.
    case invalidTime
}

/// Something that happened in the session, reported by `CardioGaitTracker`.
///
/// Episode starts are back-dated to the first sample of the episode and reported when the
/// episode has lasted its minimum duration; ends are dated at the first sample of the
/// condition's failure and reported after the release time. `CardioGaitOutput.event` carries
/// the session time at which the event was detected as well.
public enum CardioGaitEvent: Hashable, Sendable {
    /// Speed or cadence well above the runner's baseline (an unaccustomed burst of speed).
    case surgeStarted(atSeconds: Double)
    /// The surge is over; the peaks are how far above the baseline it went, in percent
    /// (`nil` where that signal was not measured or had no baseline).
    case surgeEnded(atSeconds: Double, startSeconds: Double, peakSpeedExcessPercent: Double?, peakCadenceExcessPercent: Double?)
    /// The runner walks (walking cadence, or speed below running speed without cadence).
    case walkBreakStarted(atSeconds: Double)
    /// The walk break is over (running again, or stopped).
    case walkBreakEnded(atSeconds: Double, startSeconds: Double)
    /// The runner stands (cadence 0).
    case stopStarted(atSeconds: Double)
    /// The runner moves again.
    case stopEnded(atSeconds: Double, startSeconds: Double)
    /// A sample was rejected; reported for the first of each run of rejected samples of a
    /// channel (the counts in the snapshot have them all).
    case implausibleSample(channel: ChannelKind, atSeconds: Double, value: Double, reason: SampleRejection)
    /// The cadence reading was decided, or changed after being decided
    /// (`CadenceUnitSetting.auto` only).
    case cadenceUnitDecided(CadenceUnit, atSeconds: Double)

    /// When the event happened, in session seconds.
    public var timeSeconds: Double {
        switch self {
        case let .surgeStarted(t), let .walkBreakStarted(t), let .stopStarted(t): t
        case let .surgeEnded(t, _, _, _), let .walkBreakEnded(t, _), let .stopEnded(t, _): t
        case let .implausibleSample(_, t, _, _): t
        case let .cadenceUnitDecided(_, t): t
        }
    }
}

/// What `CardioGaitTracker` hands to its caller: events as they are detected and snapshots at
/// regular session times.
public enum CardioGaitOutput: Hashable, Sendable {
    /// An event, with the session time of the sample that revealed it.
    case event(CardioGaitEvent, detectedAtSeconds: Double)
    /// The periodic snapshot.
    case snapshot(CardioGaitSnapshot)
}
