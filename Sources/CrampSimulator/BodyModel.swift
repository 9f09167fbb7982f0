// SPDX-License-Identifier: MIT
import RealModule

// MARK: - Locomotion and heart rate at the 4 Hz control rate
//
// Speed and cadence follow their targets (the plan's pace, walk breaks and stops, and the late
// sag) through first-order lags; heart rate follows a target that is linear in running speed
// (HR and oxygen uptake are close to linear in running speed at submaximal intensities), plus
// cardiac drift and a heat offset, with separate on- and off-time constants. The gait phase
// advances sample by sample at the current stride frequency, which is redrawn at every left
// foot contact with a small stride-to-stride jitter.

/// The state shared by all EMG channels during one quarter of a second.
struct QuarterState: Sendable {
    /// Session time at the start of the quarter, s.
    var time = 0.0
    /// 0 standing … 1 moving (fades bursts out when the runner stops).
    var locomotion = 0.0
    /// 1 running … 0 walking (blends the running and walking activation patterns).
    var runWeight = 1.0
    /// Running effort relative to the planned pace (surges > 1), without the late sag.
    var intensity = 1.0
    /// Stride frequency, Hz (0 when standing).
    var strideFrequency = 0.0
}

struct BodyModel: Sendable {
    static let controlRate = 4
    static let controlStep = 0.25

    private var rng: SplitMix64
    private(set) var speed = 0.0
    private(set) var cadenceCommand = 0.0
    private(set) var heartRate: Double
    private var drift = 0.0
    private var hrNoise = 0.0
    private var speedNoise = 0.0
    private(set) var strideFrequency = 0.0
    private(set) var phase = 0.0
    private var locomotion = 0.0
    private var runWeight = 1.0

    private let alphaSpeedUp: Double
    private let alphaSpeedDown: Double
    private let alphaCadence: Double
    private let alphaCadenceStop: Double
    private let alphaHRUp: Double
    private let alphaHRDown: Double
    private let alphaLocomotionUp: Double
    private let alphaLocomotionDown: Double
    private let alphaRunWeight: Double
    /// AR(1) coefficients for HR (4 s) and speed-sensor (2 s) noise.
    private let rhoHR = Double.exp(-0.25 / 4)
    private let rhoSpeed = Double.exp(-0.25 / 2)

    /// Cadence below which the runner is standing (no strides), steps/min.
    static let standingCadence = 60.0

    init(runner: RunnerProfile, seed: UInt64) {
        rng = .stream(seed: seed, id: 2)
        heartRate = runner.hrStart
        func alpha(_ tau: Double) -> Double { 1 - Double.exp(-Self.controlStep / tau) }
        alphaSpeedUp = alpha(3.0)
        alphaSpeedDown = alpha(1.5)
        alphaCadence = alpha(2.0)
        alphaCadenceStop = alpha(1.2)
        alphaHRUp = alpha(runner.hrTauUp)
        alphaHRDown = alpha(runner.hrTauDown)
        alphaLocomotionUp = alpha(0.6)
        alphaLocomotionDown = alpha(0.15)
        alphaRunWeight = alpha(1.5)
    }

    /// Advances the slow state to session time `t` and returns the sensor readings
    /// (HR bpm, cadence spm, speed m/s) and the state the EMG channels need.
    mutating func tick(at t: Double, plan: SessionPlan) -> (hr: Double, cadence: Double, speed: Double, quarter: QuarterState) {
        let runner = plan.runner
        let (mode, speedFactor, cadenceFactor) = plan.locomotion(at: t)
        let sag = plan.sag(at: t)
        let speedTarget: Double
        let cadenceTarget: Double
        switch mode {
        case .running:
            speedTarget = runner.pace * speedFactor * sag.speed
            cadenceTarget = runner.cadence * cadenceFactor * sag.cadence
        case .walking:
            speedTarget = runner.walkSpeed
            cadenceTarget = runner.walkCadence
        case .stopped:
            speedTarget = 0
            cadenceTarget = 0
        }
        speed += (speedTarget - speed) * (speedTarget < speed ? alphaSpeedDown : alphaSpeedUp)
        cadenceCommand += (cadenceTarget - cadenceCommand) * (mode == .stopped ? alphaCadenceStop : alphaCadence)
        if strideFrequency == 0 && cadenceCommand >= Self.standingCadence {
            strideFrequency = cadenceCommand / 120
        }

        // Cardiac drift accrues while running after the first 10 minutes.
        if t > 600 && mode == .running {
            drift += runner.driftPerMinute / 60 * Self.controlStep * min(1.2, speed / runner.pace)
        }
        var hrTarget = runner.hrStand + (runner.hrPace - runner.hrStand) * speed / runner.pace
            + drift + runner.heatOffset
        if plan.inCramp(t) { hrTarget += 8 }  // pain and alarm keep HR up while cramping
        hrTarget = min(hrTarget, runner.hrMax - 2)
        heartRate += (hrTarget - heartRate) * (hrTarget > heartRate ? alphaHRUp : alphaHRDown)
        hrNoise = rhoHR * hrNoise + 1.0 * (1 - rhoHR * rhoHR).squareRoot() * rng.gaussian()
        let hrReading = clamp(heartRate + hrNoise + 0.3 * rng.gaussian(), 30...250)

        speedNoise = rhoSpeed * speedNoise + 0.02 * (1 - rhoSpeed * rhoSpeed).squareRoot() * rng.gaussian()
        // A foot pod measures speed from steps: no strides, no speed.
        let speedReading = strideFrequency == 0 ? 0 : clamp(speed * (1 + speedNoise), 0...10)
        let cadenceNoise = 0.5 * rng.gaussian()
        let cadenceReading = strideFrequency > 0 ? clamp(120 * strideFrequency + cadenceNoise, 0...250) : 0

        // Bursts fade within about half a second of the last stride (the phase freezes there).
        locomotion += strideFrequency > 0 ? (1 - locomotion) * alphaLocomotionUp : -locomotion * alphaLocomotionDown
        switch mode {
        case .running: runWeight += (1 - runWeight) * alphaRunWeight
        case .walking: runWeight += (0 - runWeight) * alphaRunWeight
        case .stopped: break
        }
        let quarter = QuarterState(
            time: t, locomotion: locomotion, runWeight: runWeight,
            intensity: mode == .running ? speedFactor : 1, strideFrequency: strideFrequency)
        return (hrReading, cadenceReading, speedReading, quarter)
    }

    /// Advances the gait phase over `range` of the record's EMG samples, writing the left
    /// stride phase of each sample and the foot contacts (sample indices) of each side.
    mutating func advanceGait(
        _ range: Range<Int>, sampleRate: Double,
        phases: UnsafeMutableBufferPointer<Double>, leftContacts: inout [Int], rightContacts: inout [Int]
    ) {
        for i in range {
            let previous = phase
            phase += strideFrequency / sampleRate
            if phase >= 1 {
                phase -= 1
                leftContacts.append(i)
                // A new stride: its frequency follows the cadence command, with 1 % jitter.
                strideFrequency = cadenceCommand >= Self.standingCadence
                    ? cadenceCommand / 120 * (1 + 0.01 * rng.fastGaussian()) : 0
            } else if previous < 0.5 && phase >= 0.5 {
                rightContacts.append(i)
            }
            phases[i] = phase
        }
    }
}
