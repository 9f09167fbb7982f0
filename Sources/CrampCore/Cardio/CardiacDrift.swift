// SPDX-License-Identifier: MIT

/// Heart rate now against the runner's baseline heart rate at the same cadence
/// (`CardiacDriftTracker`): cardiovascular drift.
public struct CardiacDrift: Hashable, Sendable {
    /// Smoothed heart rate now, in beats per minute.
    public var currentBeatsPerMinute: Double
    /// Mean smoothed heart rate in the baseline window at the matched cadences, in beats per
    /// minute.
    public var baselineBeatsPerMinute: Double
    /// `current − baseline`, in beats per minute: positive when the heart works harder for the
    /// same cadence.
    public var driftBeatsPerMinute: Double
    /// The drift as a percentage of the baseline.
    public var driftPercent: Double
    /// Lowest cadence of the baseline band used (inclusive), in steps per minute.
    public var bandLowerStepsPerMinute: Double
    /// Highest cadence of the baseline band used (exclusive), in steps per minute.
    public var bandUpperStepsPerMinute: Double
    /// Baseline running time inside the band, in seconds: how much the baseline rests on.
    public var baselineSeconds: Double
    /// Current speed against the band's baseline speed, in percent; `nil` where either is
    /// unknown. Within the tracker's tolerance (default ±15 %) by construction.
    public var speedDifferencePercent: Double?

    /// A drift with the given values.
    public init(
        currentBeatsPerMinute: Double, baselineBeatsPerMinute: Double, bandLowerStepsPerMinute: Double,
        bandUpperStepsPerMinute: Double, baselineSeconds: Double, speedDifferencePercent: Double? = nil
    ) {
        self.currentBeatsPerMinute = currentBeatsPerMinute
        self.baselineBeatsPerMinute = baselineBeatsPerMinute
        driftBeatsPerMinute = currentBeatsPerMinute - baselineBeatsPerMinute
        driftPercent = 100 * (currentBeatsPerMinute - baselineBeatsPerMinute) / baselineBeatsPerMinute
        self.bandLowerStepsPerMinute = bandLowerStepsPerMinute
        self.bandUpperStepsPerMinute = bandUpperStepsPerMinute
        self.baselineSeconds = baselineSeconds
        self.speedDifferencePercent = speedDifferencePercent
    }
}
