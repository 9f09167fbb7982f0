// SPDX-License-Identifier: MIT
import CrampCore
import RealModule

// MARK: - The plan of one session
//
// Everything that happens in a session is decided once, at initialisation, from the scenario,
// the seed and the duration: the runner's profile, the pace changes, walk breaks, stops, cramps
// and artifacts. The plan holds a handful of events whatever the session's length, and the
// ground-truth annotations are derived from it, so they always match the samples.

/// What the runner's legs are doing.
enum LocomotionMode: Sendable { case running, walking, stopped }

/// The runner's physiology and pacing for one session (all drawn from the seed).
struct RunnerProfile: Sendable {
    /// Planned running speed, m/s.
    var pace: Double
    /// Planned running cadence, steps/min.
    var cadence: Double
    var walkSpeed: Double
    var walkCadence: Double
    /// HR at the start of the recording (standing, about to run), bpm.
    var hrStart: Double
    /// HR the runner tends to when standing still after running, bpm (intercept of the
    /// HR–speed line).
    var hrStand: Double
    /// Steady-state HR at the planned pace, before drift, bpm.
    var hrPace: Double
    var hrMax: Double
    /// Extra steady HR in the heat, bpm.
    var heatOffset: Double
    /// Cardiac drift while running at pace, bpm per minute (after the first 10 minutes).
    var driftPerMinute: Double
    /// HR time constants, s: rising (on-kinetics) and falling (recovery).
    var hrTauUp: Double
    var hrTauDown: Double
    /// Fractional cadence and speed loss by the end of the run (the late sag).
    var cadenceSag: Double
    var speedSag: Double
    var warmUpSeconds: Double
    /// Fractional fall of muscle-fibre conduction velocity by the end (scales the EMG spectrum).
    var conductionDrop: Double
    /// Fractional rise of burst RMS by the end.
    var rmsRise: Double
}

/// A multiplicative change of running speed and cadence over a span (surge, interval,
/// recovery jog, easing off, post-cramp easy running).
struct PaceModifier: Sendable {
    var start: Double
    var end: Double
    var speed: Double
    var cadence: Double
}

/// A half-open span of session time, seconds.
struct TimeSpan: Sendable {
    var start: Double
    var end: Double
    @inline(__always) func contains(_ t: Double) -> Bool { t >= start && t < end }
}

/// One cramp and its prodrome.
struct CrampPlan: Sendable {
    var site: MuscleSite
    var side: BodySide
    var prodromeStart: Double
    var tightness: Double
    var onset: Double
    var duration: Double
    /// Tonic inter-stride activity at the cramp onset relative to before the prodrome (3…6);
    /// with the electrode noise under it, the measured baseline rises by about 100–500 %.
    var baselineGain: Double
    /// Twitch rate reached at the onset, per second.
    var twitchRate: Double
    /// Twitch amplitude (RMS at the twitch's peak), µV.
    var twitchAmplitude: Double
    /// RMS of the unresolved interference part of the cramp, µV.
    var activityAmplitude: Double
    /// Time for the cramp to reach its plateau, s.
    var riseSeconds: Double
    var end: Double { onset + duration }
}

/// The artifacts the simulator can add (the `artifact <kind>` annotation words).
enum ArtifactKind: String, Sendable { case mains, motion, dead, saturation, dropout }

/// One artifact episode.
struct ArtifactPlan: Sendable {
    var kind: ArtifactKind
    /// The electrode, or `nil` for all EMG channels.
    var channel: ChannelDescriptor?
    var start: Double
    var duration: Double
    /// µV: mains fundamental, motion transient peak, saturation offset (signed).
    var amplitude: Double
    /// Mains frequency, Hz (mains only).
    var frequency: Double = 0
    /// Time constant of the motion transient, s (motion only).
    var timeConstant: Double = 0
    var end: Double { start + duration }
}

struct SessionPlan: Sendable {
    var durationSeconds: Int
    var runner: RunnerProfile
    var modifiers: [PaceModifier] = []
    var walks: [TimeSpan] = []
    var stops: [TimeSpan] = []
    var cramps: [CrampPlan] = []
    var artifacts: [ArtifactPlan] = []
    /// Ground truth and context, sorted by onset.
    var annotations: [Annotation] = []

    /// Electrodes the plan needs: the cramping muscles and the artifact electrodes.
    var requiredChannels: [ChannelDescriptor] {
        cramps.map { .emg($0.site, $0.side) } + artifacts.compactMap(\.channel)
    }

    // MARK: Queries (called at the 4 Hz control rate)

    /// The locomotion mode and the pace factors at `t` (warm-up and modifiers, not the sag).
    func locomotion(at t: Double) -> (mode: LocomotionMode, speed: Double, cadence: Double) {
        for s in stops where s.contains(t) { return (.stopped, 0, 0) }
        for w in walks where w.contains(t) { return (.walking, 0, 0) }
        let warm = smoothstep(t / runner.warmUpSeconds)
        var speed = 0.85 + 0.15 * warm
        var cadence = 0.97 + 0.03 * warm
        for m in modifiers where t >= m.start && t < m.end {
            speed *= m.speed
            cadence *= m.cadence
        }
        return (.running, speed, cadence)
    }

    /// Late-run sag factors (speed, cadence) at `t`: 1 until 65 % of the run, then falling
    /// to 1 − sag at the end.
    func sag(at t: Double) -> (speed: Double, cadence: Double) {
        let x = clamp((t / Double(durationSeconds) - 0.65) / 0.35, 0...1)
        let shape = x * x.squareRoot()
        return (1 - runner.speedSag * shape, 1 - runner.cadenceSag * shape)
    }

    /// Fatigue index 0…1: the fraction of the end-of-run fatigue reached at `t`.
    func fatigue(at t: Double) -> Double {
        let p = clamp(t / Double(durationSeconds), 0...1)
        return Double.pow(p, 1.4)
    }

    /// True while any cramp is active (the runner's HR carries a pain/stress offset).
    func inCramp(_ t: Double) -> Bool {
        cramps.contains { t >= $0.onset && t < $0.end }
    }
}
