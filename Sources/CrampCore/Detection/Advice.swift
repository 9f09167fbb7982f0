// SPDX-License-Identifier: MIT

/// What the runner should do now, and why (DESIGN.md, "Relief steps").
public struct Advice: Hashable, Sendable {
    /// The step to take, short enough to be spoken aloud.
    public var step: String
    /// The reason, for the runner who asks.
    public var why: String

    public init(step: String, why: String) {
        self.step = step
        self.why = why
    }
}
