// SPDX-License-Identifier: MIT

/// Running cadence now against the runner's baseline running cadence.
///
/// Cadence falls with fatigue late in long runs; a sag of a few percent at an unchanged
/// effort is one of the fatigue signs DESIGN.md lists.
public struct CadenceSag: Hashable, Sendable {
    /// Smoothed running cadence now, in steps per minute.
    public var currentStepsPerMinute: Double
    /// Mean running cadence of the baseline window, in steps per minute.
    public var baselineStepsPerMinute: Double
    /// `(baseline − current) / baseline` in percent: positive when cadence has fallen.
    public var sagPercent: Double

    /// A sag with the given values; `sagPercent` is derived.
    public init(currentStepsPerMinute: Double, baselineStepsPerMinute: Double) {
        self.currentStepsPerMinute = currentStepsPerMinute
        self.baselineStepsPerMinute = baselineStepsPerMinute
        sagPercent = 100 * (baselineStepsPerMinute - currentStepsPerMinute) / baselineStepsPerMinute
    }
}
