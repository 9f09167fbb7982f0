// SPDX-License-Identifier: MIT

/// A change of alert level for one muscle on one side.
///
/// Time is session time (seconds from the first sample), taken from the samples; an alert
/// carries no wall-clock time (sinks add it when asked), so a replay at any speed produces
/// the same alerts.
public struct Alert: Hashable, Sendable {
    /// Seconds from the session start to the sample that triggered the alert.
    public var sessionSeconds: Double
    public var level: AlertLevel
    /// The muscle, or `nil` for a session-level alert from heart rate and cadence alone (a
    /// session without EMG: fatigue context, never more than `watch`).
    public var site: MuscleSite?
    /// The side, `nil` exactly when `site` is.
    public var side: BodySide?
    /// How likely a cramp is, 0…1 (1 during a cramp).
    public var risk: Double
    /// The features that crossed, each against its baseline.
    public var evidence: [Evidence]
    public var advice: Advice

    public init(sessionSeconds: Double, level: AlertLevel, site: MuscleSite?, side: BodySide?, risk: Double, evidence: [Evidence], advice: Advice) {
        self.sessionSeconds = sessionSeconds
        self.level = level
        self.site = site
        self.side = side
        self.risk = risk
        self.evidence = evidence
        self.advice = advice
    }
}
