// SPDX-License-Identifier: MIT
import CrampCore
import Testing

/// The whole tracker on synthetic sessions with known episodes (`SyntheticRun`), its snapshot
/// grid, rejected samples, staleness and determinism.
///
/// Timing tolerances: episode starts and ends within 5 s of the truth (the 3 s episode
/// smoothing delays a threshold crossing by about 2 s at 1 Hz); detection after the start by
/// the minimum duration (20 s surge, 10 s walk, 5 s stop) and after the end by the 5 s release.
@Suite struct CardioGaitTrackerTests {
    static func expectNear(_ a: Double, _ b: Double, within: Double, _ what: String) {
        #expect(abs(a - b) <= within, "\(what): \(a), expected \(b) ± \(within)")
    }

    @Test func episodesOfASyntheticRun() throws {
        var tracker = try CardioGaitTracker(configuration: .init(snapshotIntervalSeconds: 5))
        let run = tracker.record(SyntheticRun.samples(), endSeconds: 3600)
        let detected = run.detected
        #expect(!run.events.contains { if case .implausibleSample = $0 { true } else { false } },
                "run ↔ walk ↔ stop transitions are plausible: \(run.events)")

        var surges = 0, walks = 0, stops = 0
        for (event, at) in detected {
            switch event {
            case let .surgeStarted(t):
                Self.expectNear(t, 1800, within: 5, "surge start")
                Self.expectNear(at, t + 20, within: 1.5, "surge start reported after 20 s")
            case let .surgeEnded(t, start, speedPeak, cadencePeak):
                surges += 1
                Self.expectNear(t, 1860, within: 5, "surge end")
                Self.expectNear(start, 1800, within: 5, "surge start in the end event")
                Self.expectNear(try #require(speedPeak), 20, within: 3, "surge speed peak %")
                Self.expectNear(try #require(cadencePeak), 5.9, within: 1.5, "surge cadence peak %")
            case let .walkBreakStarted(t):
                Self.expectNear(t, 2400, within: 5, "walk start")
            case let .walkBreakEnded(t, start):
                walks += 1
                Self.expectNear(t, 2460, within: 5, "walk end")
                Self.expectNear(start, 2400, within: 5, "walk start in the end event")
            case let .stopStarted(t):
                Self.expectNear(t, 2700, within: 1, "stop start")
            case let .stopEnded(t, start):
                stops += 1
                Self.expectNear(t, 2730, within: 1, "resume")
                Self.expectNear(start, 2700, within: 1, "stop start in the end event")
            default:
                Issue.record("unexpected event \(event)")
            }
        }
        #expect(surges == 1 && walks == 1 && stops == 1, "\(run.events)")

        // Snapshots: every 5 s, 720 of them, with the episodes flagged while under way.
        #expect(run.snapshots.count == 720)
        #expect(run.snapshots.map(\.timeSeconds) == (1...720).map { Double($0) * 5 })
        #expect(run.snapshot(at: 1840)?.isSurging == true && run.snapshot(at: 1790)?.isSurging == false)
        #expect(run.snapshot(at: 2430)?.isWalkBreak == true && run.snapshot(at: 2430)?.gait == .walking)
        #expect(run.snapshot(at: 2715)?.isStopped == true && run.snapshot(at: 2715)?.gait == .stopped)
        #expect(run.snapshot(at: 2430)?.cardiacDrift == nil, "no baseline band at a walking cadence")

        // Baselines from 600–900 s: 170 steps/min, 3.0 m/s.
        let baseline = try #require(run.snapshot(at: 1000)?.baseline)
        Self.expectNear(try #require(baseline.cadenceStepsPerMinute), 170, within: 0.2, "baseline cadence")
        Self.expectNear(try #require(baseline.speedMetresPerSecond), 3.0, within: 0.01, "baseline speed")
        #expect(run.snapshot(at: 895)?.baseline == nil)

        // Sag: cadence falls to 160 by the end; the 30 s smoothing lags the ramp by ~0.5.
        let sag = try #require(run.snapshot(at: 3600)?.cadenceSag)
        Self.expectNear(sag.sagPercent, 100 * (170 - 160.5) / 170, within: 0.3, "sag at the end")
        Self.expectNear(try #require(run.snapshot(at: 2000)?.cadenceSag?.sagPercent), 0, within: 0.3, "no sag mid-run")

        // Drift: the heart-rate model drifts 10 bpm/h at constant speed; at 3000 s the rise
        // since the baseline (mean 750 s) is 6.25 bpm.
        let drift = try #require(run.snapshot(at: 3000)?.cardiacDrift)
        Self.expectNear(drift.driftBeatsPerMinute, 6.25, within: 0.5, "drift at 3000 s")

        // Decoupling, DFA α1 and the RR counts are there.
        let decoupling = try #require(run.snapshot(at: 3600)?.aerobicDecoupling)
        #expect(decoupling.basis == .speed && decoupling.decouplingPercent > 2)
        #expect(run.snapshot(at: 3600)?.dfaAlpha1 != nil)
        #expect(run.snapshot(at: 3600)?.rrIntervals.rejected == 0)
        #expect(run.snapshot(at: 3600)?.samples.cadenceRejected == 0)
    }

    @Test func stridesAreNormalisedAndTheUnitReported() throws {
        // The same run from a strides sensor with `.auto`: the same episodes.
        var steps = try CardioGaitTracker()
        var strides = try CardioGaitTracker(configuration: .init(cadenceNormalisation: .init(setting: .auto)))
        let a = steps.record(SyntheticRun.samples(seconds: 3000, withRR: false), endSeconds: 3000)
        let b = strides.record(SyntheticRun.samples(seconds: 3000, cadenceScale: 2, withRR: false), endSeconds: 3000)
        let decided = b.detected.filter { if case .cadenceUnitDecided = $0.event { true } else { false } }
        #expect(decided.count == 1)
        if case let .cadenceUnitDecided(unit, t)? = decided.first?.event {
            #expect(unit == .stridesPerMinute && t <= 31)
        }
        let episodes: (CardioGaitRecording) -> [CardioGaitEvent] = { r in
            r.events.filter { if case .cadenceUnitDecided = $0 { false } else { true } }
        }
        #expect(episodes(a) == episodes(b))
        #expect(b.snapshot(at: 2000)?.cadenceUnit == .stridesPerMinute && b.snapshot(at: 2000)?.isCadenceUnitDecided == true)
        Self.expectNear(try #require(b.snapshot(at: 2000)?.runningCadenceStepsPerMinute), 170, within: 1, "strides doubled")
    }

    @Test func implausibleSamplesAreRejectedCountedAndReportedOncePerRun() throws {
        var tracker = try CardioGaitTracker()
        var samples: [CardioGaitSample] = []
        for k in 0..<120 {
            let t = Double(k)
            var cadence = 170.0
            if k == 50 { cadence = 85 }            // a halved count
            if (70..<73).contains(k) { cadence = 300 } // three impossible values in a row
            samples.append(.init(kind: .hr, timeSeconds: t, value: k == 60 ? 0 : (k == 61 ? .nan : 150)))
            samples.append(.init(kind: .cadence, timeSeconds: t + 0.5, value: cadence))
            samples.append(.init(kind: .speed, timeSeconds: t + 0.5, value: k == 80 ? -1 : 3))
        }
        samples.append(.init(kind: .hr, timeSeconds: 90, value: 150))  // earlier than the last HR
        let run = tracker.record(samples, endSeconds: 120)
        let rejected = run.events.compactMap { e -> (ChannelKind, SampleRejection)? in
            if case let .implausibleSample(channel, _, _, reason) = e { (channel, reason) } else { nil }
        }
        #expect(rejected.map(\.0) == [.cadence, .hr, .cadence, .speed, .hr])
        #expect(rejected.map(\.1) == [.impossibleJump, .outOfRange, .outOfRange, .outOfRange, .invalidTime])
        let counts = try #require(run.snapshots.last?.samples)
        #expect(counts.cadenceRejected == 4 && counts.heartRateRejected == 3 && counts.speedRejected == 1)
        #expect(counts.cadenceAccepted == 116 && counts.heartRateAccepted == 118 && counts.speedAccepted == 119)
    }

    @Test func staleChannelsAreLeftOut() throws {
        var tracker = try CardioGaitTracker()
        var samples: [CardioGaitSample] = []
        for k in 0..<60 {
            samples.append(.init(kind: .hr, timeSeconds: Double(k), value: 150))
            if k < 30 { samples.append(.init(kind: .cadence, timeSeconds: Double(k), value: 170)) }
        }
        let run = tracker.record(samples, endSeconds: 80)
        #expect(run.snapshot(at: 30)?.gait == .running)
        #expect(run.snapshot(at: 34)?.cadenceStepsPerMinute == 170, "29 s + 5 s is still fresh")
        #expect(run.snapshot(at: 35)?.cadenceStepsPerMinute == nil && run.snapshot(at: 35)?.gait == .unknown)
        #expect(run.snapshot(at: 60)?.heartRateBeatsPerMinute == 150)
        #expect(run.snapshot(at: 65)?.heartRateBeatsPerMinute == nil)
        #expect(run.snapshots.count == 80, "advance() emits the snapshots of the silent stretch")
    }

    @Test func determinism() throws {
        let samples = SyntheticRun.samples(seconds: 2000)
        var a = try CardioGaitTracker()
        var b = try CardioGaitTracker()
        let first = a.record(samples, endSeconds: 2000)
        let second = b.record(samples, endSeconds: 2000)
        #expect(first == second)
        // Extra advance() calls between samples (a live loop's timer) change nothing.
        var c = try CardioGaitTracker()
        var third = CardioGaitRecording()
        for s in samples {
            c.advance(toSeconds: s.timeSeconds - 0.1) { third.outputs.append($0) }
            switch s.kind {
            case .hr: c.hr(timeSeconds: s.timeSeconds, beatsPerMinute: s.value) { third.outputs.append($0) }
            case .rr: c.rr(timeSeconds: s.timeSeconds, milliseconds: s.value) { third.outputs.append($0) }
            case .cadence: c.cadence(timeSeconds: s.timeSeconds, perMinute: s.value) { third.outputs.append($0) }
            case .speed: c.speed(timeSeconds: s.timeSeconds, metresPerSecond: s.value) { third.outputs.append($0) }
            }
        }
        c.advance(toSeconds: 2000) { third.outputs.append($0) }
        #expect(first == third)
    }

    @Test func clockJumpsAreBounded() throws {
        var tracker = try CardioGaitTracker()
        var outputs: [CardioGaitOutput] = []
        tracker.hr(timeSeconds: 0, beatsPerMinute: 120) { outputs.append($0) }
        tracker.hr(timeSeconds: 1e6, beatsPerMinute: 120) { outputs.append($0) }
        tracker.hr(timeSeconds: .infinity, beatsPerMinute: 120) { outputs.append($0) }
        tracker.advance(toSeconds: 1e6 + 2) { outputs.append($0) }
        let snapshots = outputs.compactMap { if case let .snapshot(s) = $0 { s } else { nil } }
        #expect(snapshots.count == 3, "one snapshot for the jump, then two seconds")
        #expect(snapshots.first?.timeSeconds == 1e6)
        #expect(snapshots.last?.samples.skippedSnapshots == 999_999)
        #expect(snapshots.last?.samples.heartRateRejected == 1)
    }

    @Test func designErrors() {
        #expect(throws: CardioGaitConfigurationError.self) { try CardioGaitTracker(configuration: .init(snapshotIntervalSeconds: 0)) }
        #expect(throws: CardioGaitConfigurationError.self) { try CardioGaitTracker(configuration: .init(staleAfterSeconds: .nan)) }
        #expect(throws: CardioGaitConfigurationError.self) { try CardioGaitTracker(configuration: .init(heartRateRangeBeatsPerMinute: 200...210.5, maximumSpeedMetresPerSecond: 50)) }
        #expect(throws: CardioGaitConfigurationError.self) { try CardioGaitTracker(configuration: .init(rr: .init(medianBeats: 500))) }
        #expect(throws: CardioGaitConfigurationError.self) { try CardioGaitTracker(configuration: .init(dfa: .init(windowBeats: 10))) }
        #expect(throws: CardioGaitConfigurationError.self) { try CardioGaitTracker(configuration: .init(baselineWindow: .init(startSeconds: -1))) }
        do {
            _ = try CardioGaitTracker(configuration: .init(surgeSpeedExcessPercent: 0))
            Issue.record("expected an error")
        } catch {
            #expect(error == .outOfRange(parameter: "surgeSpeedExcessPercent", value: 0, allowed: 1...200))
        }
    }
    /// Constant cadence, heart rate rising 10 bpm/h, 1 Hz for an hour, through the tracker.
    /// The smoothing lag (≈ 30 s × 10 bpm/h) is the same in the baseline and now, so the drift
    /// is exactly the rise between the baseline samples' mean time (749.5 s) and the last
    /// sample (3599 s): 10 × 2849.5 / 3600 = 7.915 bpm.
    @Test func linearDriftAtConstantCadence() throws {
        var samples: [CardioGaitSample] = []
        var rng = TestRandom(seed: 7)
        for k in 0..<3600 {
            let t = Double(k)
            samples.append(.init(kind: .hr, timeSeconds: t, value: 140 + 10 * t / 3600))
            samples.append(.init(kind: .cadence, timeSeconds: t + 0.5, value: 170 + 1.5 * rng.gaussian()))
        }
        var tracker = try CardioGaitTracker()
        let run = tracker.record(samples, endSeconds: 3600)
        let end = try #require(run.snapshot(at: 3600)?.cardiacDrift)
        #expect(abs(end.driftBeatsPerMinute - 10 * (3599 - 749.5) / 3600) < 0.02, "drift \(end.driftBeatsPerMinute)")
        #expect(abs(end.baselineBeatsPerMinute - (140 + 10 * 749.5 / 3600 - 0.082)) < 0.02, "baseline \(end.baselineBeatsPerMinute)")
        #expect(abs(end.driftPercent - 100 * end.driftBeatsPerMinute / end.baselineBeatsPerMinute) < 1e-9)
        #expect(end.bandLowerStepsPerMinute >= 166 && end.bandUpperStepsPerMinute <= 175)
        #expect(end.bandLowerStepsPerMinute < 170 && end.bandUpperStepsPerMinute > 170)
        #expect(end.baselineSeconds > 250 && end.baselineSeconds <= 300)
        // Half way: 10 × (1799 − 749.5) / 3600 = 2.915 bpm.
        let half = try #require(run.snapshot(at: 1800)?.cardiacDrift)
        #expect(abs(half.driftBeatsPerMinute - 10 * (1799 - 749.5) / 3600) < 0.02)
        // Nothing before the baseline window has closed.
        #expect(run.snapshots.filter { $0.timeSeconds < 900 }.allSatisfy { $0.cardiacDrift == nil })
        #expect(run.snapshot(at: 900)?.cardiacDrift != nil)
    }

}
