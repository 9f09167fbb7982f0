// SPDX-License-Identifier: MIT
import CrampCore
import RealModule

// MARK: - One EMG channel
//
// x(t) = A(t) · s(t) + MUAP trains(t) + artifacts(t) + n(t)
//
// s is unit-variance shaped noise (EMGShapingFilter), n white electrode/amplifier noise, and
// the amplitude A(t) = gait burst envelope · burst RMS · fatigue + tonic baseline (raised in the
// prodrome) + twitch envelopes + the unresolved part of a cramp. A cramp adds resolved
// motor-unit action potential trains: a few motor units firing irregularly at 6–25 Hz.

/// One motor unit recruited by a cramp.
struct CrampMotorUnit: Sendable {
    /// Cramp envelope level above which the unit fires (recruitment order).
    var threshold: Double
    var minimumRate: Double
    var maximumRate: Double
    /// Signed peak amplitude of its action potential, µV.
    var amplitude: Double
    /// Width parameter λ of its action potential (first Hermite–Rodriguez function), s.
    var width: Double
    var nextFiring: Double
}

/// A cramp as seen by one channel: the cramping muscle itself (gain 1) or its synergist,
/// whose electrode picks up weaker activity (gain 0.15–0.25).
struct CrampEffect: Sendable {
    var cramp: CrampPlan
    var gain: Double
    var isPrimary: Bool
    var units: [CrampMotorUnit] = []
    var phaseOffset: Double

    /// Level of involuntary activity, 0…1: rises over `riseSeconds`, fluctuates on a plateau
    /// (±15 %, 6.3 s period), subsides over the last 30 % of the cramp.
    func envelope(at t: Double) -> Double {
        let u = t - cramp.onset
        guard u >= 0 && u < cramp.duration else { return 0 }
        let rise = smoothstep(u / cramp.riseSeconds)
        let fall = 1 - smoothstep((u - 0.7 * cramp.duration) / (0.3 * cramp.duration))
        let wobble = 0.85 + 0.15 * Double.sin(2 * .pi * u / 6.3 + phaseOffset)
        return rise * fall * wobble
    }

    /// Multiplier of the tonic (inter-stride) baseline: climbs linearly to `baselineGain`
    /// through the prodrome, stays there during the cramp, decays (25 s) afterwards.
    func baselineFactor(at t: Double) -> Double {
        guard isPrimary, t >= cramp.prodromeStart else { return 1 }
        let k = cramp.baselineGain - 1
        if t < cramp.onset {
            let q = (t - cramp.prodromeStart) / (cramp.onset - cramp.prodromeStart)
            return 1 + k * q
        }
        if t < cramp.end { return 1 + k }
        return 1 + k * Double.exp(-(t - cramp.end) / 25)
    }

    /// Twitch rate (per second) and amplitude scale at `t`; 0 outside the prodrome. The rate
    /// rises from 0.05/s with the square of the prodrome's progress.
    func twitches(at t: Double) -> (rate: Double, scale: Double) {
        guard isPrimary, t >= cramp.prodromeStart, t < cramp.onset else { return (0, 0) }
        let q = (t - cramp.prodromeStart) / (cramp.onset - cramp.prodromeStart)
        return (0.05 + (cramp.twitchRate - 0.05) * q * q, cramp.twitchAmplitude * (0.5 + 0.5 * q))
    }
}

struct EMGChannel: Sendable {
    let descriptor: ChannelDescriptor
    let site: MuscleSite
    let side: BodySide
    let pattern: GaitPattern
    /// Gait phase of this side relative to the left foot: 0 or 0.5 (half a stride apart).
    let sideOffset: Double
    let burstRMS: Double
    let tonic: Double
    let electrodeNoise: Double
    let lowCorner: Double
    let highCorner: Double
    let mainsCoupling: Double
    let fatigueWeight: Double
    var effects: [CrampEffect]
    let artifacts: [ArtifactPlan]

    private var rng: SplitMix64
    private var filter = EMGShapingFilter()
    private var burstJitter = 1.0
    private var previousGapPhase = 0.0
    private var twitchStart = 0
    private var twitchLength = 0
    private var twitchAmplitude = 0.0
    /// Overlap-add buffer for action potentials and motion transients that run past the end
    /// of a record; index 0 is the record's first sample.
    private var pending: [Double]
    static let pendingMargin = 1024

    init(site: MuscleSite, side: BodySide, plan: SessionPlan, seed: UInt64, sampleRate: Int) {
        self.site = site
        self.side = side
        descriptor = .emg(site, side)
        pattern = GaitPattern(site: site)
        sideOffset = side == .left ? 0 : 0.5
        let siteIndex = MuscleSite.allCases.firstIndex(of: site)!
        rng = .stream(seed: seed, id: 100 + UInt64(siteIndex * 2 + (side == .left ? 0 : 1)))
        burstRMS = GaitPattern.burstRMS(site) * rng.uniform(0.75...1.25)
        tonic = rng.uniform(2...4)
        electrodeNoise = rng.uniform(0.8...1.5)
        lowCorner = EMGSpectrum.lowCorner * rng.uniform(0.9...1.1)
        highCorner = EMGSpectrum.highCorner * rng.uniform(0.9...1.1)
        mainsCoupling = rng.uniform(0.5...1.5)
        var effects: [CrampEffect] = []
        var primary = false
        for cramp in plan.cramps {
            let spread = rng.uniform(0.15...0.25)
            let offset = rng.uniform(0...(2 * .pi))
            if cramp.site == site && cramp.side == side {
                effects.append(CrampEffect(cramp: cramp, gain: 1, isPrimary: true, phaseOffset: offset))
                primary = true
            } else if synergist(of: cramp.site) == site && cramp.side == side {
                effects.append(CrampEffect(cramp: cramp, gain: spread, isPrimary: false, phaseOffset: offset))
            }
        }
        self.effects = effects
        fatigueWeight = primary ? 1 : GaitPattern.fatigueWeight(site)
        let me = ChannelDescriptor.emg(site, side)
        artifacts = plan.artifacts.filter { $0.kind != .mains && ($0.channel == nil || $0.channel == me) }
        pending = [Double](repeating: 0, count: sampleRate + Self.pendingMargin)
        filter.retune(low: lowCorner, high: highCorner, sampleRate: Double(sampleRate))
    }

    /// Conduction-velocity factor and burst-RMS factor at `t` (fatigue).
    func fatigueFactors(at t: Double, plan: SessionPlan) -> (conduction: Double, rms: Double) {
        let f = plan.fatigue(at: t) * fatigueWeight
        return (1 - plan.runner.conductionDrop * f, 1 + plan.runner.rmsRise * f)
    }

    // MARK: Rendering one record

    /// Writes one 1-s record of this channel into `out` (µV, not yet clipped).
    mutating func render(
        record: Int, sampleRate fs: Int, plan: SessionPlan, quarters: [QuarterState],
        phases: UnsafeBufferPointer<Double>, contacts: [Int], out: UnsafeMutableBufferPointer<Float>
    ) {
        let recordStart = Double(record)
        let firstSample = record * fs
        let rate = Double(fs)
        let (conduction, rmsFactor) = fatigueFactors(at: recordStart + 0.5, plan: plan)
        filter.retune(low: lowCorner * conduction, high: highCorner * conduction, sampleRate: rate)

        var pending: [Double] = []
        swap(&pending, &self.pending)
        defer { swap(&pending, &self.pending) }

        scheduleMotorUnits(recordStart: recordStart, sampleRate: rate, conduction: conduction, into: &pending)
        scheduleMotion(recordStart: recordStart, sampleRate: rate, contacts: contacts, into: &pending)

        var rng = self.rng
        var filter = self.filter
        var burstJitter = self.burstJitter
        var previousGapPhase = self.previousGapPhase
        var twitchStart = self.twitchStart
        var twitchLength = self.twitchLength
        var twitchAmplitude = self.twitchAmplitude
        let gapStart = pattern.gapStart
        let gapLength = pattern.gapLength
        let tableScale = Double(GaitPattern.size)

        pattern.running.withUnsafeBufferPointer { run in
        pattern.walking.withUnsafeBufferPointer { walk in
        pending.withUnsafeMutableBufferPointer { pend in
            for (q, quarter) in quarters.enumerated() {
                let t = quarter.time
                let moving = quarter.locomotion * rmsFactor * burstRMS
                let runAmplitude = moving * quarter.runWeight * (1 + 0.9 * (quarter.intensity - 1))
                let walkAmplitude = moving * (1 - quarter.runWeight)
                var baseline = tonic
                var crampLevel = 0.0
                var twitchRate = 0.0
                var twitchScale = 0.0
                for e in effects {
                    baseline *= e.baselineFactor(at: t)
                    crampLevel += e.cramp.activityAmplitude * e.gain * e.envelope(at: t)
                    let tw = e.twitches(at: t)
                    twitchRate += tw.rate
                    twitchScale = max(twitchScale, tw.scale)
                }
                let lo = q * fs / quarters.count
                let hi = (q + 1) * fs / quarters.count
                // Standing still: twitches come as a Poisson process instead of between strides.
                if twitchRate > 0 && quarter.strideFrequency == 0 && twitchLength == 0
                    && rng.chance(twitchRate * BodyModel.controlStep) {
                    twitchLength = Int(rng.uniform(0.03...0.2) * rate)
                    twitchStart = firstSample + lo + rng.index(max(1, hi - lo))
                    twitchAmplitude = twitchScale * rng.uniform(0.6...1.4)
                }
                let base = baseline + crampLevel
                for i in lo..<hi {
                    var phase = phases[i] + sideOffset
                    if phase >= 1 { phase -= 1 }
                    var gapPhase = phase - gapStart
                    if gapPhase < 0 { gapPhase += 1 }
                    if gapPhase < previousGapPhase {
                        // Entering the silent window after a burst: the next burst's size, and
                        // (in a prodrome) perhaps a twitch somewhere inside this window.
                        burstJitter = clamp(1 + 0.12 * rng.fastGaussian(), 0.6...1.5)
                        if twitchRate > 0 && twitchLength == 0 && quarter.strideFrequency > 0
                            && rng.chance(min(0.9, twitchRate / quarter.strideFrequency)) {
                            let window = gapLength / quarter.strideFrequency
                            let length = min(rng.uniform(0.03...0.2), 0.9 * window)
                            let offset = rng.uniform(0...max(0, window - length))
                            twitchLength = Int(length * rate)
                            twitchStart = firstSample + i + Int(offset * rate)
                            twitchAmplitude = twitchScale * rng.uniform(0.6...1.4)
                        }
                    }
                    previousGapPhase = gapPhase

                    let x = phase * tableScale
                    let j = Int(x)
                    let fraction = x - Double(j)
                    let runEnvelope = run[j] + (run[j + 1] - run[j]) * fraction
                    let walkEnvelope = walk[j] + (walk[j + 1] - walk[j]) * fraction
                    var amplitude = (runEnvelope * runAmplitude + walkEnvelope * walkAmplitude) * burstJitter + base
                    if twitchLength > 0 {
                        let n = firstSample + i - twitchStart
                        if n >= twitchLength {
                            twitchLength = 0
                        } else if n >= 0 {
                            let u = Double(n) / Double(twitchLength)
                            amplitude += twitchAmplitude * 4 * u * (1 - u)
                        }
                    }
                    let carrier = filter.process(rng.fastGaussian())
                    let value = amplitude * carrier + pend[i] + electrodeNoise * rng.fastGaussian()
                    out[i] = Float(value)
                }
            }
            // Carry what runs into the next record.
            let margin = Self.pendingMargin
            for k in 0..<margin { pend[k] = pend[fs + k] }
            for k in margin..<pend.count { pend[k] = 0 }
        }
        }
        }
        self.rng = rng
        self.filter = filter
        self.burstJitter = burstJitter
        self.previousGapPhase = previousGapPhase
        self.twitchStart = twitchStart
        self.twitchLength = twitchLength
        self.twitchAmplitude = twitchAmplitude
    }

    /// Fires the cramp's motor units that discharge in this record into `pending`.
    private mutating func scheduleMotorUnits(recordStart: Double, sampleRate: Double, conduction: Double, into pending: inout [Double]) {
        let recordEnd = recordStart + 1
        for e in effects.indices where effects[e].cramp.onset < recordEnd && effects[e].cramp.end > recordStart {
            if effects[e].units.isEmpty {
                // 5–10 units, recruited in order as the cramp builds (modelling choice).
                let count = 5 + rng.index(6)
                for k in 0..<count {
                    let minimum = rng.uniform(6...10)
                    effects[e].units.append(CrampMotorUnit(
                        threshold: 0.05 + 0.6 * Double(k) / Double(count),
                        minimumRate: minimum,
                        maximumRate: rng.uniform(14...25),
                        amplitude: (rng.chance(0.5) ? 1 : -1) * rng.uniform(200...700) * effects[e].gain,
                        width: rng.uniform(1.2e-3...2.4e-3),
                        nextFiring: effects[e].cramp.onset + rng.uniform(0...(1 / minimum))))
                }
            }
            let effect = effects[e]
            for u in effects[e].units.indices {
                var unit = effects[e].units[u]
                while unit.nextFiring < recordEnd && unit.nextFiring < effect.cramp.end {
                    let level = effect.envelope(at: unit.nextFiring)
                    guard level > unit.threshold else {
                        unit.nextFiring += 0.05  // not recruited yet (or already dropped out)
                        continue
                    }
                    let start = max(0, Int(((unit.nextFiring - recordStart) * sampleRate).rounded()))
                    addActionPotential(at: start, amplitude: unit.amplitude, width: unit.width / conduction, sampleRate: sampleRate, into: &pending)
                    let drive = clamp((level - unit.threshold) / (1 - unit.threshold), 0...1)
                    let firingRate = unit.minimumRate + (unit.maximumRate - unit.minimumRate) * drive
                    // Irregular discharge: inter-spike intervals with a 20 % coefficient of variation.
                    unit.nextFiring += max(0.03, (1 + 0.2 * rng.gaussian()) / firingRate)
                }
                effects[e].units[u] = unit
            }
        }
    }

    /// Adds one action potential, the first Hermite–Rodriguez function −(x)·exp(−x²) with
    /// x = (t − t₀)/λ, scaled to peak `amplitude`, starting at sample `start` (centred 3.5λ later).
    private func addActionPotential(at start: Int, amplitude: Double, width: Double, sampleRate: Double, into pending: inout [Double]) {
        let scale = width * sampleRate
        let half = Int((3.5 * scale).rounded(.up))
        let peakNormalisation = 2.331643981597124  // 1/(√½·e^−½), the peak of x·exp(−x²)
        let count = min(2 * half + 1, pending.count - start)
        guard count > 0 else { return }
        for k in 0..<count {
            let x = Double(k - half) / scale
            pending[start + k] -= amplitude * peakNormalisation * x * Double.exp(-x * x)
        }
    }

    /// Adds a motion transient at each foot contact of this side during a motion artifact: an
    /// alpha function A·(u/τ)·e^(1−u/τ), τ = 8–20 ms, peak 500–2000 µV, whose energy lies
    /// mostly below 20 Hz, where De Luca et al. (2010) place movement artifacts.
    private mutating func scheduleMotion(recordStart: Double, sampleRate: Double, contacts: [Int], into pending: inout [Double]) {
        for a in artifacts where a.kind == .motion && a.start < recordStart + 1 && a.end > recordStart {
            let tau = a.timeConstant
            let length = Int(8 * tau * sampleRate)
            for c in contacts {
                let t = recordStart + Double(c) / sampleRate
                guard t >= a.start && t < a.end else { continue }
                let peak = a.amplitude * rng.uniform(0.6...1.4) * (rng.chance(0.8) ? 1 : -1)
                let count = min(length, pending.count - c)
                for k in 0..<count {
                    let u = Double(k) / (sampleRate * tau)
                    pending[c + k] += peak * u * Double.exp(1 - u)
                }
            }
        }
    }

    // MARK: Artifacts that replace the signal

    /// Applies saturation, dead-electrode and dropout episodes to the record, then clips to
    /// the ±5000 µV input range.
    mutating func applyArtifacts(record: Int, sampleRate fs: Int, phases: UnsafeBufferPointer<Double>, out: UnsafeMutableBufferPointer<Float>) {
        let recordStart = Double(record)
        for a in artifacts where a.start < recordStart + 1 && a.end > recordStart {
            let range = sampleRange(a, recordStart: recordStart, sampleRate: fs)
            switch a.kind {
            case .saturation:
                // The electrode lifts: a large offset swinging with the stride drives the
                // amplifier into its rails.
                for i in range {
                    var phase = phases[i] + sideOffset
                    if phase >= 1 { phase -= 1 }
                    let swing = 0.85 + 0.3 * abs(2 * phase - 1)
                    out[i] += Float(a.amplitude * swing)
                }
            case .dead:
                // Flat: amplifier input shorted or lead off; what remains is below one
                // quantisation step of a 16-bit ±5000 µV channel (0.15 µV).
                for i in range { out[i] = Float(0.05 * rng.fastGaussian()) }
            case .dropout:
                for i in range { out[i] = 0 }
            case .mains, .motion:
                break
            }
        }
        for i in 0..<fs { out[i] = min(max(out[i], -5000), 5000) }
    }
}

/// The samples of a record (at `sampleRate`) that fall within an artifact.
func sampleRange(_ a: ArtifactPlan, recordStart: Double, sampleRate fs: Int) -> Range<Int> {
    let lo = max(0, Int(((a.start - recordStart) * Double(fs)).rounded(.up)))
    let hi = min(fs, Int(((a.end - recordStart) * Double(fs)).rounded(.up)))
    return lo..<max(lo, hi)
}
