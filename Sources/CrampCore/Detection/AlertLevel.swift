// SPDX-License-Identifier: MIT

/// How close a muscle is to a cramp, as the alert policy sees it (DESIGN.md, "Alerts").
///
/// The levels are ordered: `watch` < `warning` < `cramp`. `clear` announces the return to
/// normal after any of them.
public enum AlertLevel: String, CaseIterable, Hashable, Sendable, Comparable {
    /// Fatigue or twitches are building: ease off early.
    case watch
    /// The prodrome is under way (twitches rising, inter-stride baseline up): ease off now.
    case warning
    /// Sustained involuntary activity: the cramp itself. Stop and relieve it.
    case cramp
    /// Back to normal after a watch, warning or cramp.
    case clear

    private var rank: Int {
        switch self {
        case .clear: 0
        case .watch: 1
        case .warning: 2
        case .cramp: 3
        }
    }

    public static func < (lhs: AlertLevel, rhs: AlertLevel) -> Bool { lhs.rank < rhs.rank }
}
