// SPDX-License-Identifier: MIT

/// What the runner's legs are doing, from cadence (or speed without cadence).
public enum GaitState: String, CaseIterable, Hashable, Sendable {
    /// Running: cadence at or above the running minimum (or, without cadence, speed at or
    /// above the walking maximum).
    case running
    /// Walking: a non-zero cadence below the running minimum (or, without cadence, a speed
    /// below the walking maximum).
    case walking
    /// Standing: cadence 0 (or, without cadence, speed near 0).
    case stopped
    /// Neither cadence nor speed is fresh.
    case unknown
}

/// The thresholds that classify gait.
///
/// Cadence decides whenever it is known: below `runningMinimumStepsPerMinute` (default 140)
/// is walking, 0 is standing. Speed decides only without a cadence — a slow jog is often below
/// the walk–run transition speed (the Stryd sample in the test data runs at 150 steps/min and
/// a median 1.98 m/s), so a speed rule would call it walking. Without cadence, below
/// `walkingMaximumSpeedMetresPerSecond` (default 2.0, about the preferred walk–run transition
/// speed, Hreljac 1993) is walking and below `stoppedMaximumSpeedMetresPerSecond` (0.5) is
/// standing. The cadence ranges (running 140–210, walking 90–135 steps/min) are the project's
/// typical values; the speed of 0.5 m/s is a modelling choice, below any walking speed.
public struct GaitThresholds: Hashable, Sendable {
    /// Lowest running cadence, in steps per minute. Default 140.
    public var runningMinimumStepsPerMinute: Double
    /// Without cadence: highest walking speed, in metres per second. Default 2.0.
    public var walkingMaximumSpeedMetresPerSecond: Double
    /// Without cadence: highest standing speed, in metres per second. Default 0.5.
    public var stoppedMaximumSpeedMetresPerSecond: Double

    /// The defaults, overridden where given.
    public init(runningMinimumStepsPerMinute: Double = 140, walkingMaximumSpeedMetresPerSecond: Double = 2.0, stoppedMaximumSpeedMetresPerSecond: Double = 0.5) {
        self.runningMinimumStepsPerMinute = runningMinimumStepsPerMinute
        self.walkingMaximumSpeedMetresPerSecond = walkingMaximumSpeedMetresPerSecond
        self.stoppedMaximumSpeedMetresPerSecond = stoppedMaximumSpeedMetresPerSecond
    }

    /// Checks the thresholds.
    ///
    /// - Throws: `CardioGaitConfigurationError.outOfRange` for a running minimum outside
    ///   100–200 steps/min or speeds outside 0.1–5 m/s; `.inconsistent` for a standing speed
    ///   at or above the walking speed.
    public func validate() throws(CardioGaitConfigurationError) {
        try CardioGaitConfigurationError.check("gait.runningMinimumStepsPerMinute", runningMinimumStepsPerMinute, in: 100...200)
        try CardioGaitConfigurationError.check("gait.walkingMaximumSpeedMetresPerSecond", walkingMaximumSpeedMetresPerSecond, in: 0.1...5)
        try CardioGaitConfigurationError.check("gait.stoppedMaximumSpeedMetresPerSecond", stoppedMaximumSpeedMetresPerSecond, in: 0.1...5)
        guard stoppedMaximumSpeedMetresPerSecond < walkingMaximumSpeedMetresPerSecond else {
            throw .inconsistent("gait.stoppedMaximumSpeedMetresPerSecond must be below gait.walkingMaximumSpeedMetresPerSecond")
        }
    }

    /// The gait for a plausible cadence and speed (`nil` when unknown or stale).
    public func classify(cadenceStepsPerMinute cadence: Double?, speedMetresPerSecond speed: Double?) -> GaitState {
        if let cadence {
            // Plausible cadences are 0 or at least 60 steps/min; anything below 30 is standing.
            if cadence < 30 { return .stopped }
            return cadence < runningMinimumStepsPerMinute ? .walking : .running
        }
        if let speed {
            if speed < stoppedMaximumSpeedMetresPerSecond { return .stopped }
            return speed < walkingMaximumSpeedMetresPerSecond ? .walking : .running
        }
        return .unknown
    }
}
