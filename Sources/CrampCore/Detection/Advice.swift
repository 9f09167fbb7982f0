// SPDX-License-Identifier: MIT

/// What the runner should do now, and why (DESIGN.md, "Relief steps").
public struct Advice: Hashable, Sendable {
    /// The step to take, short enough to be spoken aloud.
    public var step: String
    /// The reason, for the runner who asks.
    public var why: String
    /// When the situation calls for more than the usual step: stop the run, or seek medical help.
    public var escalation: String?

    public init(step: String, why: String, escalation: String? = nil) {
        self.step = step
        self.why = why
        self.escalation = escalation
    }
}
