// SPDX-License-Identifier: MIT
import CrampCore
import Foundation
import Testing

/// Aerobic decoupling on series with a known answer, and the bounded checkpoint record
/// against a brute-force split of the whole session.
@Suite struct AerobicDecouplingTests {
    /// Brute force: the samples' weights and values, split at half the analysed time.
    static func reference(_ samples: [(w: Double, hr: Double, output: Double)], metresPerBeat: Bool) -> Double {
        let total = samples.reduce(0) { $0 + $1.w }
        var elapsed = 0.0
        var first = (out: 0.0, hr: 0.0), second = (out: 0.0, hr: 0.0)
        for s in samples {
            // A sample straddling the midpoint is split in proportion (the interpolation).
            let inFirst = max(0, min(s.w, total / 2 - elapsed))
            first.out += s.output * inFirst
            first.hr += s.hr * inFirst
            second.out += s.output * (s.w - inFirst)
            second.hr += s.hr * (s.w - inFirst)
            elapsed += s.w
        }
        let scale = metresPerBeat ? 60.0 : 1.0
        let ef1 = scale * first.out / first.hr, ef2 = scale * second.out / second.hr
        return 100 * (ef1 - ef2) / ef1
    }

    /// Constant 3 m/s, heart rate rising linearly from 140 to 150 bpm over the 40 analysed
    /// minutes: EF₁ = 180/142.5, EF₂ = 180/147.5 m/beat, decoupling = 1 − 142.5/147.5 = 3.39 %.
    @Test func linearHeartRateAtConstantSpeed() throws {
        var tracker = try AerobicDecouplingTracker()
        for k in 0..<3000 {
            let t = Double(k)
            let hr = t < 600 ? 120 : 140 + 10 * (t - 600) / 2400
            tracker.process(timeSeconds: t, heartRateBeatsPerMinute: hr, speedMetresPerSecond: 3.0, cadenceStepsPerMinute: 170)
        }
        let d = try #require(tracker.decoupling())
        #expect(d.basis == .speed)
        #expect(d.analysedSeconds == 2400)
        #expect(abs(d.decouplingPercent - 100 * (1 - 142.5 / 147.5)) < 0.01, "\(d.decouplingPercent) %")
        #expect(abs(d.firstHalfEfficiencyFactor - 180 / 142.5) < 1e-3)
        #expect(abs(d.secondHalfEfficiencyFactor - 180 / 147.5) < 1e-3)
        #expect(abs(d.firstHalfBeatsPerMinute - 142.5) < 0.01 && abs(d.secondHalfBeatsPerMinute - 147.5) < 0.01)
    }

    @Test func cadenceBasisWithoutSpeed() throws {
        var tracker = try AerobicDecouplingTracker()
        for k in 0..<3000 {
            let t = Double(k)
            tracker.process(timeSeconds: t, heartRateBeatsPerMinute: 140 + 10 * max(0, t - 600) / 2400, speedMetresPerSecond: nil, cadenceStepsPerMinute: 170)
        }
        let d = try #require(tracker.decoupling())
        #expect(d.basis == .cadence)
        #expect(abs(d.decouplingPercent - 100 * (1 - 142.5 / 147.5)) < 0.01)
        #expect(abs(d.firstHalfEfficiencyFactor - 170 / 142.5) < 1e-3, "steps per beat")
    }

    @Test func nothingBeforeTheMinimumOrWithoutOutput() throws {
        var tracker = try AerobicDecouplingTracker()
        for k in 0..<1700 {
            tracker.process(timeSeconds: Double(k), heartRateBeatsPerMinute: 150, speedMetresPerSecond: 3, cadenceStepsPerMinute: 170)
        }
        #expect(tracker.decoupling() == nil, "1099 s analysed, 1200 needed")
        var walking = try AerobicDecouplingTracker()
        for k in 0..<4000 {
            walking.process(timeSeconds: Double(k), heartRateBeatsPerMinute: 110, speedMetresPerSecond: nil, cadenceStepsPerMinute: nil)
        }
        #expect(walking.decoupling() == nil && walking.analysedSeconds == 0)
    }

    /// Six hours with irregular sampling, walk breaks and varying speed: the checkpoint record
    /// (decimated five times) agrees with the brute-force split within 0.01 percentage points.
    @Test func longSessionAgreesWithBruteForce() throws {
        var tracker = try AerobicDecouplingTracker()
        var rng = TestRandom(seed: 3)
        var analysed: [(w: Double, hr: Double, output: Double)] = []
        var t = 0.0, last = 0.0
        var first = true
        while t < 6 * 3600 {
            let walking = Int(t / 900) % 6 == 5 && t.truncatingRemainder(dividingBy: 900) < 60
            let speed = 3.0 + 0.4 * sin(t / 700) + 0.05 * rng.gaussian()
            let hr = 135 + 12 * (speed - 3) + 4 * t / 3600 + rng.gaussian()
            tracker.process(timeSeconds: t, heartRateBeatsPerMinute: hr, speedMetresPerSecond: walking ? nil : speed, cadenceStepsPerMinute: walking ? nil : 170)
            if !first, t >= 600, !walking { analysed.append((min(t - last, 5), hr, speed)) }
            first = false
            last = t
            t += 0.5 + rng.uniform()
        }
        let d = try #require(tracker.decoupling())
        let expected = Self.reference(analysed, metresPerBeat: true)
        #expect(abs(d.decouplingPercent - expected) < 0.01, "\(d.decouplingPercent) vs brute force \(expected)")
        #expect(abs(d.analysedSeconds - analysed.reduce(0) { $0 + $1.w }) < 1e-6)
    }
}
