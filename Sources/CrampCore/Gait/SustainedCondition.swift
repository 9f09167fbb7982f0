// SPDX-License-Identifier: MIT

/// An episode detector: a condition that must hold for `minimumSeconds` to start an episode,
/// and must fail for `releaseSeconds` to end it.
///
/// The start is back-dated to the first sample at which the condition held, the end to the
/// first sample at which it failed for good; both are reported when they are certain, i.e.
/// `minimumSeconds` after the start and `releaseSeconds` after the end. A brief failure
/// (shorter than `releaseSeconds`) neither ends an episode nor restarts a pending one.
struct SustainedCondition: Hashable, Sendable {
    enum Transition: Hashable, Sendable {
        case started(atSeconds: Double)
        case ended(atSeconds: Double, startSeconds: Double)
    }

    private enum Phase: Hashable, Sendable { case idle, pending, active }

    let minimumSeconds: Double
    let releaseSeconds: Double
    private var phase = Phase.idle
    private(set) var startSeconds = 0.0
    private var failingSinceSeconds: Double?

    init(minimumSeconds: Double, releaseSeconds: Double) {
        self.minimumSeconds = minimumSeconds
        self.releaseSeconds = releaseSeconds
    }

    /// Whether an episode is under way (started and not ended).
    var isActive: Bool { phase == .active }
    /// Whether the condition has held recently, started or not.
    var isPendingOrActive: Bool { phase != .idle }

    /// Feeds the condition's value at `timeSeconds`.
    mutating func update(timeSeconds t: Double, holds: Bool) -> Transition? {
        switch phase {
        case .idle:
            guard holds else { return nil }
            startSeconds = t
            failingSinceSeconds = nil
            phase = .pending
            if minimumSeconds <= 0 {
                phase = .active
                return .started(atSeconds: t)
            }
            return nil
        case .pending:
            if holds {
                failingSinceSeconds = nil
                if t - startSeconds >= minimumSeconds {
                    phase = .active
                    return .started(atSeconds: startSeconds)
                }
            } else {
                let since = failingSinceSeconds ?? t
                failingSinceSeconds = since
                if t - since >= releaseSeconds { phase = .idle }
            }
            return nil
        case .active:
            if holds {
                failingSinceSeconds = nil
            } else {
                let since = failingSinceSeconds ?? t
                failingSinceSeconds = since
                if t - since >= releaseSeconds {
                    phase = .idle
                    return .ended(atSeconds: since, startSeconds: startSeconds)
                }
            }
            return nil
        }
    }

    mutating func reset() {
        phase = .idle
        failingSinceSeconds = nil
    }
}
