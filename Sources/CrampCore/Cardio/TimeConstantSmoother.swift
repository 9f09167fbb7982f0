// SPDX-License-Identifier: MIT
import RealModule

/// First-order exponential smoothing of an irregularly sampled signal, with a time constant in
/// seconds of session time.
///
/// Each sample moves the estimate towards itself by `1 − exp(−Δt/τ)`, where `Δt` is the time
/// since the previous sample: the discrete form of a first-order low-pass, exact for a signal
/// held constant between samples. Because the weight depends on the samples' own times, the
/// same samples give the same output whatever rate or speed they are replayed at. A step is
/// followed with 63 % of its size after `τ` seconds; a ramp of slope `s` is followed with a lag
/// of `s·τ` (for heart rate drifting 10 bpm/h and τ = 30 s: 0.08 bpm).
///
/// The first sample, and the first after a gap longer than `restartAfterSeconds`, restart the
/// estimate at the sample's value: smoothing across a sensor dropout would blend a stale value
/// into a fresh one.
public struct TimeConstantSmoother: Hashable, Sendable {
    /// The time constant τ, in seconds (0: no smoothing, the output is the last sample).
    public let timeConstantSeconds: Double
    /// A gap between samples longer than this restarts the estimate, in seconds.
    public let restartAfterSeconds: Double
    /// The current estimate, `nil` before the first sample.
    public private(set) var value: Double?
    /// The time of the last sample, in session seconds.
    public private(set) var lastTimeSeconds: Double?

    /// A smoother with time constant `timeConstantSeconds`.
    ///
    /// - Throws: `CardioGaitConfigurationError.outOfRange` for a time constant outside
    ///   0…86 400 s or a restart gap outside 0…86 400 s.
    public init(timeConstantSeconds: Double, restartAfterSeconds: Double = .greatestFiniteMagnitude) throws(CardioGaitConfigurationError) {
        try CardioGaitConfigurationError.check("timeConstantSeconds", timeConstantSeconds, in: 0...86_400)
        if restartAfterSeconds != .greatestFiniteMagnitude {
            try CardioGaitConfigurationError.check("restartAfterSeconds", restartAfterSeconds, in: 0...86_400)
        }
        self.timeConstantSeconds = timeConstantSeconds
        self.restartAfterSeconds = restartAfterSeconds
    }

    /// Adds a sample and returns the new estimate.
    ///
    /// - Parameters:
    ///   - timeSeconds: The sample's session time; a time before the previous sample's is
    ///     treated as simultaneous with it (Δt = 0: with τ > 0 the sample changes nothing).
    ///   - value: The sample's value (finite; callers validate).
    @discardableResult
    public mutating func process(timeSeconds: Double, value x: Double) -> Double {
        guard let current = value, let last = lastTimeSeconds, timeSeconds - last <= restartAfterSeconds else {
            value = x
            lastTimeSeconds = timeSeconds
            return x
        }
        let dt = max(0, timeSeconds - last)
        let weight = timeConstantSeconds > 0 ? 1 - Double.exp(-dt / timeConstantSeconds) : 1
        let next = current + weight * (x - current)
        value = next
        lastTimeSeconds = max(last, timeSeconds)
        return next
    }

    /// Forgets the estimate.
    public mutating func reset() {
        value = nil
        lastTimeSeconds = nil
    }
}
