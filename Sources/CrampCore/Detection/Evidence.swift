// SPDX-License-Identifier: MIT

/// One feature that supported an alert: its value against the runner's own baseline.
public struct Evidence: Hashable, Sendable {
    /// The feature's name as in `crampd features` output (`baseline_rms_ratio`, `twitch_rate`, …).
    public var feature: String
    /// The current value.
    public var value: Double
    /// The runner's baseline for this feature, when it has one.
    public var baseline: Double?
    /// The threshold that was crossed.
    public var threshold: Double
    /// The unit of `value`, `baseline` and `threshold` (`uV`, `Hz`, `per_min`, `ratio`, `bpm`, …).
    public var unit: String

    public init(feature: String, value: Double, baseline: Double?, threshold: Double, unit: String) {
        self.feature = feature
        self.value = value
        self.baseline = baseline
        self.threshold = threshold
        self.unit = unit
    }
}
