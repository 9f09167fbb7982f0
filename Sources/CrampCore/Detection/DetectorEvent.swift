// SPDX-License-Identifier: MIT

/// What `CrampDetector` reports, in the order it is decided.
public enum DetectorEvent: Hashable, Sendable {
    /// A muscle's alert level changed (or, without EMG, the session's fatigue context).
    case alert(Alert)
    /// A channel's signal-quality fault started or ended; the detector abstains for that muscle
    /// while it lasts.
    case sensor(SensorEvent)
    /// The end of the session (once, from `finish`).
    case summary(SessionSummary)

    /// The session time of the event, in seconds.
    public var sessionSeconds: Double {
        switch self {
        case .alert(let a): a.sessionSeconds
        case .sensor(let s): s.sessionSeconds
        case .summary(let s): s.durationSeconds
        }
    }
}
