// SPDX-License-Identifier: MIT

/// What the aerobic efficiency factor is computed from.
public enum EfficiencyBasis: String, CaseIterable, Hashable, Sendable {
    /// Speed per heartbeat (Pa:HR): the efficiency factor is in metres per beat.
    case speed
    /// Cadence per heartbeat, when speed is not measured: the efficiency factor is in steps
    /// per beat. Cadence changes less than speed with effort, so the same fatigue gives a
    /// smaller decoupling than with speed.
    case cadence
}

/// Aerobic decoupling: the loss of output per heartbeat between the first and the second half
/// of the running time analysed so far (`AerobicDecouplingTracker`).
public struct AerobicDecoupling: Hashable, Sendable {
    /// Speed or cadence.
    public var basis: EfficiencyBasis
    /// Running time analysed, in seconds (the halves are half of it each).
    public var analysedSeconds: Double
    /// Mean output over mean heart rate in the first half: metres per beat (speed) or steps
    /// per beat (cadence).
    public var firstHalfEfficiencyFactor: Double
    /// The same for the second half.
    public var secondHalfEfficiencyFactor: Double
    /// `(EF₁ − EF₂) / EF₁` in percent: positive when each heartbeat buys less speed (or
    /// cadence) later in the run.
    public var decouplingPercent: Double
    /// Mean heart rate of the first half, in beats per minute.
    public var firstHalfBeatsPerMinute: Double
    /// Mean heart rate of the second half, in beats per minute.
    public var secondHalfBeatsPerMinute: Double

    /// A decoupling with the given values; `decouplingPercent` is derived.
    public init(
        basis: EfficiencyBasis, analysedSeconds: Double, firstHalfEfficiencyFactor: Double,
        secondHalfEfficiencyFactor: Double, firstHalfBeatsPerMinute: Double, secondHalfBeatsPerMinute: Double
    ) {
        self.basis = basis
        self.analysedSeconds = analysedSeconds
        self.firstHalfEfficiencyFactor = firstHalfEfficiencyFactor
        self.secondHalfEfficiencyFactor = secondHalfEfficiencyFactor
        decouplingPercent = 100 * (firstHalfEfficiencyFactor - secondHalfEfficiencyFactor) / firstHalfEfficiencyFactor
        self.firstHalfBeatsPerMinute = firstHalfBeatsPerMinute
        self.secondHalfBeatsPerMinute = secondHalfBeatsPerMinute
    }
}
