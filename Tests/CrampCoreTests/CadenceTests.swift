// SPDX-License-Identifier: MIT
import CrampCore
import Testing

/// Cadence normalisation (steps or strides), the plausibility check and gait classification.
@Suite struct CadenceTests {
    static func feed(_ n: inout CadenceNormalisation, _ raw: Double, from: Int, to: Int, speed: Double? = nil) -> Double {
        var last = 0.0
        for k in from..<to { last = n.normalise(timeSeconds: Double(k), perMinute: raw, speedMetresPerSecond: speed) }
        return last
    }

    @Test func fixedSettings() throws {
        var steps = try CadenceNormalisation(configuration: .init(setting: .stepsPerMinute))
        var strides = try CadenceNormalisation(configuration: .init(setting: .stridesPerMinute))
        #expect(steps.normalise(timeSeconds: 0, perMinute: 85, speedMetresPerSecond: nil) == 85)
        #expect(strides.normalise(timeSeconds: 0, perMinute: 85, speedMetresPerSecond: nil) == 170)
        // FIT: steps/min = 2 × (cadence + fractional_cadence).
        #expect(strides.normalise(timeSeconds: 1, perMinute: 84 + 64.0 / 128, speedMetresPerSecond: nil) == 169)
        #expect(strides.normalise(timeSeconds: 2, perMinute: 0, speedMetresPerSecond: nil) == 0)
        #expect(steps.isDecided && strides.isDecided && strides.unit == .stridesPerMinute)
    }

    @Test func autoDecidesStridesFromRunningStrideRates() throws {
        var n = try CadenceNormalisation(configuration: .init(setting: .auto))
        #expect(!n.isDecided && n.unit == .stepsPerMinute)
        // 85 strides/min: as steps below walking, as strides 170 running. Evidence from the first.
        #expect(Self.feed(&n, 85, from: 0, to: 2) == 170)
        #expect(!n.isDecided)
        _ = Self.feed(&n, 86, from: 2, to: 40)
        #expect(n.isDecided && n.unit == .stridesPerMinute)
        #expect(n.stridesEvidenceSeconds == 39 && n.stepsEvidenceSeconds == 0)
        // A stop and a walk (ambiguous values) change nothing.
        _ = Self.feed(&n, 0, from: 40, to: 60)
        #expect(Self.feed(&n, 55, from: 60, to: 80) == 110)
    }

    @Test func autoDecidesStepsFromRunningStepRates() throws {
        var n = try CadenceNormalisation(configuration: .init(setting: .auto))
        #expect(Self.feed(&n, 172, from: 0, to: 45) == 172)
        #expect(n.isDecided && n.unit == .stepsPerMinute)
    }

    @Test func ambiguousValuesNeedASpeed() throws {
        // 100/min without speed: walking steps or running strides (200 steps/min).
        var n = try CadenceNormalisation(configuration: .init(setting: .auto))
        #expect(Self.feed(&n, 100, from: 0, to: 100) == 100)
        #expect(!n.isDecided)
        // At 3.2 m/s, 100 steps/min is impossible: strides.
        var fast = try CadenceNormalisation(configuration: .init(setting: .auto))
        #expect(Self.feed(&fast, 100, from: 0, to: 40, speed: 3.2) == 200)
        #expect(fast.isDecided && fast.unit == .stridesPerMinute)
    }

    @Test func autoChangesItsMindOnStrongerEvidence() throws {
        // A steps sensor whose session starts with a minute of very slow walking (80 steps/min
        // looks like running strides), then a run at 168 steps/min.
        var n = try CadenceNormalisation(configuration: .init(setting: .auto))
        _ = Self.feed(&n, 80, from: 0, to: 61)
        #expect(n.isDecided && n.unit == .stridesPerMinute)
        #expect(Self.feed(&n, 168, from: 61, to: 200) == 168)
        #expect(n.unit == .stepsPerMinute)
    }

    @Test func plausibilityRange() throws {
        var p = try CadencePlausibility()
        #expect(p.check(timeSeconds: 0, stepsPerMinute: 0) == .plausible)
        #expect(p.check(timeSeconds: 1, stepsPerMinute: 30) == .outOfRange)
        #expect(p.check(timeSeconds: 2, stepsPerMinute: 250) == .outOfRange)
        #expect(p.check(timeSeconds: 3, stepsPerMinute: -5) == .outOfRange)
        #expect(p.check(timeSeconds: 4, stepsPerMinute: .nan) == .nonFinite)
        #expect(p.check(timeSeconds: 5, stepsPerMinute: 60) == .plausible)
        #expect(p.check(timeSeconds: 6, stepsPerMinute: 0) == .plausible)
    }

    @Test func isolatedJumpsAreRejectedWhenTheNextValueContradictsThem() throws {
        var p = try CadencePlausibility()
        #expect(p.check(timeSeconds: 10, stepsPerMinute: 170) == .plausible)
        #expect(p.check(timeSeconds: 11, stepsPerMinute: 85) == .heldBack, "a halved count, or an abrupt change?")
        #expect(p.rejectedJump == nil)
        #expect(p.check(timeSeconds: 12, stepsPerMinute: 171) == .plausible, "back at the old level")
        #expect(p.rejectedJump == CadenceJump(timeSeconds: 11, stepsPerMinute: 85))
        #expect(p.check(timeSeconds: 13, stepsPerMinute: 170) == .plausible)
        #expect(p.rejectedJump == nil)
    }

    @Test func genuineAbruptChangesAreAcceptedOneValueLate() throws {
        var p = try CadencePlausibility()
        // Running to walking within a second is within the limit.
        #expect(p.check(timeSeconds: 0, stepsPerMinute: 170) == .plausible)
        #expect(p.check(timeSeconds: 1, stepsPerMinute: 115) == .plausible)
        // An abrupt stop at 4 Hz (the simulator's cramp onset): 174, 141, 76, 75, 0.
        #expect(p.check(timeSeconds: 20, stepsPerMinute: 174) == .plausible)
        #expect(p.check(timeSeconds: 20.25, stepsPerMinute: 141) == .plausible)
        #expect(p.check(timeSeconds: 20.5, stepsPerMinute: 76) == .heldBack)
        #expect(p.check(timeSeconds: 20.75, stepsPerMinute: 75) == .plausible)
        #expect(p.rejectedJump == nil, "confirmed: a real change")
        #expect(p.check(timeSeconds: 21, stepsPerMinute: 0) == .plausible)
        // 105 → 180 in a second, and the new level holds.
        #expect(p.check(timeSeconds: 30, stepsPerMinute: 105) == .plausible)
        #expect(p.check(timeSeconds: 31, stepsPerMinute: 180) == .heldBack)
        #expect(p.check(timeSeconds: 32, stepsPerMinute: 181) == .plausible)
        #expect(p.rejectedJump == nil)
        // A held-back value followed by a stop was on the way down.
        #expect(p.check(timeSeconds: 33, stepsPerMinute: 90) == .heldBack)
        #expect(p.check(timeSeconds: 34, stepsPerMinute: 0) == .plausible)
        #expect(p.rejectedJump == nil)
    }

    @Test func gaitClassification() {
        let g = GaitThresholds()
        #expect(g.classify(cadenceStepsPerMinute: 170, speedMetresPerSecond: 1.9) == .running, "cadence decides: a slow jog")
        #expect(g.classify(cadenceStepsPerMinute: 120, speedMetresPerSecond: 3.0) == .walking)
        #expect(g.classify(cadenceStepsPerMinute: 0, speedMetresPerSecond: nil) == .stopped)
        #expect(g.classify(cadenceStepsPerMinute: nil, speedMetresPerSecond: 1.5) == .walking)
        #expect(g.classify(cadenceStepsPerMinute: nil, speedMetresPerSecond: 2.6) == .running)
        #expect(g.classify(cadenceStepsPerMinute: nil, speedMetresPerSecond: 0.2) == .stopped)
        #expect(g.classify(cadenceStepsPerMinute: nil, speedMetresPerSecond: nil) == .unknown)
    }

    @Test func designErrors() {
        #expect(throws: CardioGaitConfigurationError.self) { try CadenceNormalisation(configuration: .init(decisionSeconds: 0)) }
        #expect(throws: CardioGaitConfigurationError.self) { try CadencePlausibility(configuration: .init(maximumChangeStepsPerMinutePerSecond: 0)) }
        #expect(throws: CardioGaitConfigurationError.self) { try GaitThresholds(walkingMaximumSpeedMetresPerSecond: 0.4).validate() }
    }
}
