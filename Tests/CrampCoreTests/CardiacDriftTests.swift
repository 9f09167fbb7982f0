// SPDX-License-Identifier: MIT
import CrampCore
import Testing

/// Cardiac drift at matched cadence, on series with a known answer.
@Suite struct CardiacDriftTests {
    @Test func noDriftAtACadenceTheBaselineNeverSaw() throws {
        var drift = try CardiacDriftTracker()
        for k in 0..<1000 {
            drift.process(timeSeconds: Double(k), heartRateBeatsPerMinute: 150, cadenceStepsPerMinute: 170)
        }
        #expect(drift.drift(atSeconds: 1000, heartRateBeatsPerMinute: 160, cadenceStepsPerMinute: 171) != nil)
        #expect(drift.drift(atSeconds: 1000, heartRateBeatsPerMinute: 160, cadenceStepsPerMinute: 180) == nil, "10 steps/min above the band")
        #expect(drift.drift(atSeconds: 1000, heartRateBeatsPerMinute: 120, cadenceStepsPerMinute: 115) == nil, "walking")
        #expect(drift.drift(atSeconds: 899, heartRateBeatsPerMinute: 160, cadenceStepsPerMinute: 170) == nil, "baseline window still open")
    }

    @Test func baselineIsPerCadenceBand() throws {
        // Baseline: half the time at 160 steps/min with HR 140, half at 180 with HR 160.
        var drift = try CardiacDriftTracker()
        for k in 0..<1000 {
            let fast = k % 120 >= 60
            drift.process(timeSeconds: Double(k), heartRateBeatsPerMinute: fast ? 160 : 140, cadenceStepsPerMinute: fast ? 180 : 160)
        }
        let slow = try #require(drift.drift(atSeconds: 2000, heartRateBeatsPerMinute: 145, cadenceStepsPerMinute: 161))
        #expect(slow.baselineBeatsPerMinute == 140 && slow.driftBeatsPerMinute == 5)
        #expect(slow.bandLowerStepsPerMinute == 160 && slow.bandUpperStepsPerMinute == 161)
        let fast = try #require(drift.drift(atSeconds: 2000, heartRateBeatsPerMinute: 168, cadenceStepsPerMinute: 178.5))
        #expect(fast.baselineBeatsPerMinute == 160 && fast.driftBeatsPerMinute == 8)
        #expect(abs(fast.driftPercent - 5) < 1e-12)
        #expect(drift.drift(atSeconds: 2000, heartRateBeatsPerMinute: 150, cadenceStepsPerMinute: 170) == nil, "no baseline at 170")
    }

    @Test func pausesDoNotWeighTheNextSample() throws {
        // 60 s of running, a 5-minute pause (nil cadence), 60 s more: 120 s of baseline, not 420.
        var drift = try CardiacDriftTracker(baselineWindow: .init(startSeconds: 0, durationSeconds: 600))
        for k in 0...60 { drift.process(timeSeconds: Double(k), heartRateBeatsPerMinute: 150, cadenceStepsPerMinute: 170) }
        for k in 61..<360 { drift.process(timeSeconds: Double(k), heartRateBeatsPerMinute: 110, cadenceStepsPerMinute: nil) }
        for k in 360..<420 { drift.process(timeSeconds: Double(k), heartRateBeatsPerMinute: 150, cadenceStepsPerMinute: 170) }
        #expect(drift.baselineSeconds == 120)
    }

    @Test func sameCadenceMuchSlowerIsNotMatched() throws {
        // Baseline at 170 steps/min and 3.5 m/s; later the same cadence at 2.4 m/s (after a
        // walk break, say) with a lower heart rate: not a negative drift, not the same effort.
        var drift = try CardiacDriftTracker()
        for k in 0..<1000 {
            drift.process(timeSeconds: Double(k), heartRateBeatsPerMinute: 160, cadenceStepsPerMinute: 170, speedMetresPerSecond: 3.5)
        }
        #expect(drift.drift(atSeconds: 2000, heartRateBeatsPerMinute: 135, cadenceStepsPerMinute: 170, speedMetresPerSecond: 2.4) == nil)
        let near = try #require(drift.drift(atSeconds: 2000, heartRateBeatsPerMinute: 166, cadenceStepsPerMinute: 170, speedMetresPerSecond: 3.36))
        let difference = try #require(near.speedDifferencePercent)
        #expect(near.driftBeatsPerMinute == 6 && abs(difference + 4) < 1e-9)
        #expect(drift.drift(atSeconds: 2000, heartRateBeatsPerMinute: 166, cadenceStepsPerMinute: 170)?.speedDifferencePercent == nil,
                "without a current speed, cadence alone")
        var cadenceOnly = try CardiacDriftTracker(configuration: .init(speedTolerancePercent: nil))
        for k in 0..<1000 {
            cadenceOnly.process(timeSeconds: Double(k), heartRateBeatsPerMinute: 160, cadenceStepsPerMinute: 170, speedMetresPerSecond: 3.5)
        }
        #expect(cadenceOnly.drift(atSeconds: 2000, heartRateBeatsPerMinute: 135, cadenceStepsPerMinute: 170, speedMetresPerSecond: 2.4)?.driftBeatsPerMinute == -25)
    }

    @Test func designErrors() {
        #expect(throws: CardioGaitConfigurationError.self) { try CardiacDriftTracker(baselineWindow: .init(durationSeconds: 0)) }
        #expect(throws: CardioGaitConfigurationError.self) { try CardiacDriftTracker(configuration: .init(cadenceToleranceStepsPerMinute: 0)) }
        #expect(throws: CardioGaitConfigurationError.self) { try CardiacDriftTracker(configuration: .init(minimumBaselineSeconds: .infinity)) }
        #expect(throws: CardioGaitConfigurationError.self) { try CardiacDriftTracker(configuration: .init(speedTolerancePercent: 0)) }
    }
}
