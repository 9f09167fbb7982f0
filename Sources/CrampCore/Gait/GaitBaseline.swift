// SPDX-License-Identifier: MIT

/// The runner's own running cadence and speed, measured in the baseline window.
public struct GaitBaseline: Hashable, Sendable {
    /// Mean running cadence in the window, in steps per minute; `nil` with too little running.
    public var cadenceStepsPerMinute: Double?
    /// Mean running speed in the window, in metres per second; `nil` with too little running
    /// or no speed sensor.
    public var speedMetresPerSecond: Double?

    /// A baseline with the given values.
    public init(cadenceStepsPerMinute: Double?, speedMetresPerSecond: Double?) {
        self.cadenceStepsPerMinute = cadenceStepsPerMinute
        self.speedMetresPerSecond = speedMetresPerSecond
    }
}

/// Time-weighted means of running cadence and speed inside the baseline window.
struct GaitBaselineAccumulator: Sendable {
    let window: BaselineWindow
    let minimumSeconds: Double
    let maximumSampleGapSeconds: Double
    private var cadenceSum = 0.0
    private var cadenceSeconds = 0.0
    private var speedSum = 0.0
    private var speedSeconds = 0.0
    private var lastCadenceSeconds: Double?
    private var lastSpeedSeconds: Double?

    init(window: BaselineWindow, minimumSeconds: Double, maximumSampleGapSeconds: Double) {
        self.window = window
        self.minimumSeconds = minimumSeconds
        self.maximumSampleGapSeconds = maximumSampleGapSeconds
    }

    /// Adds a plausible cadence sample; `running` says whether it counts.
    mutating func addCadence(timeSeconds t: Double, stepsPerMinute: Double, running: Bool) {
        defer { lastCadenceSeconds = max(lastCadenceSeconds ?? t, t) }
        guard running, window.contains(t), let last = lastCadenceSeconds else { return }
        let w = min(max(0, t - last), maximumSampleGapSeconds)
        cadenceSum += stepsPerMinute * w
        cadenceSeconds += w
    }

    /// Adds a plausible speed sample; `running` says whether it counts.
    mutating func addSpeed(timeSeconds t: Double, metresPerSecond: Double, running: Bool) {
        defer { lastSpeedSeconds = max(lastSpeedSeconds ?? t, t) }
        guard running, window.contains(t), let last = lastSpeedSeconds else { return }
        let w = min(max(0, t - last), maximumSampleGapSeconds)
        speedSum += metresPerSecond * w
        speedSeconds += w
    }

    /// The baseline once the window has closed at `timeSeconds`, else `nil`.
    func baseline(atSeconds timeSeconds: Double) -> GaitBaseline? {
        guard timeSeconds >= window.endSeconds else { return nil }
        return GaitBaseline(
            cadenceStepsPerMinute: cadenceSeconds >= minimumSeconds ? cadenceSum / cadenceSeconds : nil,
            speedMetresPerSecond: speedSeconds >= minimumSeconds ? speedSum / speedSeconds : nil)
    }
}
