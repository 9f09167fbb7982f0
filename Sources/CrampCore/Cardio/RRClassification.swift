// SPDX-License-Identifier: MIT

/// What `RRArtifactFilter` made of one RR interval.
public enum RRClassification: String, CaseIterable, Hashable, Sendable {
    /// A plausible normal-to-normal interval: kept.
    case accepted
    /// NaN or infinite: rejected.
    case nonFinite
    /// Shorter than the physiological minimum (default 250 ms, 240 bpm) or longer than the
    /// maximum (default 2000 ms, 30 bpm): rejected.
    case outOfRange
    /// Shorter than the recent median by more than the allowed fraction: a premature (ectopic)
    /// beat or a spurious extra R peak splitting an interval. Rejected.
    case shortAgainstMedian
    /// Longer than the recent median by more than the allowed fraction: a missed R peak
    /// (two intervals merged) or the compensatory pause after an ectopic beat. Rejected.
    case longAgainstMedian

    /// Whether the interval was kept.
    public var isAccepted: Bool { self == .accepted }
}

/// How many RR intervals were kept and rejected, by reason.
public struct RRIntervalCounts: Hashable, Sendable {
    /// Intervals kept.
    public var accepted = 0
    /// Intervals rejected as NaN or infinite.
    public var nonFinite = 0
    /// Intervals rejected outside the physiological range.
    public var outOfRange = 0
    /// Intervals rejected as too short against the recent median.
    public var shortAgainstMedian = 0
    /// Intervals rejected as too long against the recent median.
    public var longAgainstMedian = 0

    /// All counters at zero.
    public init() {}

    /// Every interval rejected, for whatever reason.
    public var rejected: Int { nonFinite + outOfRange + shortAgainstMedian + longAgainstMedian }
    /// Every interval seen.
    public var total: Int { accepted + rejected }

    /// Counts one classification.
    public mutating func add(_ classification: RRClassification) {
        switch classification {
        case .accepted: accepted += 1
        case .nonFinite: nonFinite += 1
        case .outOfRange: outOfRange += 1
        case .shortAgainstMedian: shortAgainstMedian += 1
        case .longAgainstMedian: longAgainstMedian += 1
        }
    }
}
