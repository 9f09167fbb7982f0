// SPDX-License-Identifier: MIT
import CrampCore
import Testing

/// `CardioGaitTracker` on real runs: Garmin FIT files from python-fitparse's test set
/// (MIT), converted to CSV in ../shared/data (not committed; skipped with a message where
/// absent). Snapshots every 10 s.
///
/// - `developer-types-sample` (Stryd, 57 min, a steady easy run at ~150 steps/min and
///   ~1.95 m/s, heart rate 122 → 139 bpm): cardiac drift at matched cadence.
/// - `activity-small-fenix2-run` (fēnix 2 + HRM-Run, 47 min, a hard run with walking at the
///   end): walk breaks and a stop; no drift reported once the runner runs much slower.
@Suite(.enabled(if: FITDerivedSessions.available, Comment(rawValue: FITDerivedSessions.skipMessage)))
struct FITDerivedSessionTests {
    static func run(_ name: String, _ configuration: CardioGaitConfiguration = .init(snapshotIntervalSeconds: 10), strides: Bool = false) throws -> CardioGaitRecording {
        let samples = try FITDerivedSessions.samples(name, cadenceAsStrides: strides)
        var tracker = try CardioGaitTracker(configuration: configuration)
        return tracker.record(samples, endSeconds: samples.last!.timeSeconds + 1)
    }

    static func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(max(1, x.count)) }

    @Test func strydSampleDriftsAtMatchedCadence() throws {
        let run = try Self.run("developer-types-sample")
        let drifts = run.snapshots.compactMap { s in s.cardiacDrift.map { (s.timeSeconds, $0) } }
        let after = run.snapshots.filter { $0.timeSeconds >= 900 && $0.gait == .running }
        // Baseline at 10–15 min: ~124 bpm at 146–151 steps/min.
        let baseline = try #require(drifts.first?.1)
        #expect(abs(baseline.baselineBeatsPerMinute - 124) < 2)
        #expect(baseline.bandLowerStepsPerMinute <= 148 && baseline.bandUpperStepsPerMinute >= 150)
        // Most snapshots match a baseline band (cadence within ±4, speed within ±15 %).
        #expect(Double(drifts.count) >= 0.6 * Double(after.count), "\(drifts.count) of \(after.count) snapshots")
        // Drift grows through the run: mean of 15–25 min vs 45–55 min.
        let early = Self.mean(drifts.filter { $0.0 >= 900 && $0.0 < 1500 }.map(\.1.driftBeatsPerMinute))
        let late = Self.mean(drifts.filter { $0.0 >= 2700 && $0.0 < 3300 }.map(\.1.driftBeatsPerMinute))
        #expect(early > 0 && early < 8, "early drift \(early)")
        #expect(late > 10 && late < 22, "late drift \(late)")
        // Steady running: no walk break, no stop, nothing rejected.
        #expect(!run.events.contains { if case .walkBreakStarted = $0 { true } else if case .stopStarted = $0 { true } else { false } })
        let last = try #require(run.snapshots.last)
        #expect(last.samples.cadenceRejected == 0 && last.samples.heartRateRejected == 0)
        let decoupling = try #require(last.aerobicDecoupling)
        #expect(decoupling.basis == .speed)
        print("FIT developer-types-sample: baseline \(baseline.baselineBeatsPerMinute) bpm at \(baseline.bandLowerStepsPerMinute)-\(baseline.bandUpperStepsPerMinute) steps/min; drift 15-25 min \(early), 45-55 min \(late) bpm; decoupling \(decoupling.decouplingPercent) % (speed); \(drifts.count) of \(after.count) running snapshots matched")
    }

    @Test func strydSampleAsStridesDecidesStrides() throws {
        var configuration = CardioGaitConfiguration(snapshotIntervalSeconds: 10)
        configuration.cadenceNormalisation.setting = .auto
        let strides = try Self.run("developer-types-sample", configuration, strides: true)
        let steps = try Self.run("developer-types-sample")
        guard case let .cadenceUnitDecided(unit, t)? = strides.events.first else {
            Issue.record("no unit decision first: \(strides.events.prefix(2))")
            return
        }
        #expect(unit == .stridesPerMinute && t <= 31)
        #expect(strides.snapshots.suffix(from: 10).map(\.cardiacDrift) == steps.snapshots.suffix(from: 10).map(\.cardiacDrift))
    }

    @Test func fenixRunWalksAndStopsAtTheEnd() throws {
        let run = try Self.run("activity-small-fenix2-run")
        let walks = run.events.compactMap { if case let .walkBreakStarted(t) = $0 { t } else { nil } }
        let stops = run.events.compactMap { if case let .stopStarted(t) = $0 { t } else { nil } }
        #expect(walks.contains { $0 > 2600 }, "walking in the last minutes: \(walks)")
        #expect(walks.contains { abs($0 - 1990) < 30 }, "a walk break near 33 min: \(walks)")
        #expect(!stops.isEmpty)
        let drifts = run.snapshots.compactMap(\.cardiacDrift)
        #expect(drifts.allSatisfy { $0.driftBeatsPerMinute > -5 }, "no large negative drift: slower running is not matched")
        let mid = Self.mean(run.snapshots.filter { $0.timeSeconds >= 1400 && $0.timeSeconds < 1900 }.compactMap(\.cardiacDrift?.driftBeatsPerMinute))
        #expect(mid > 8 && mid < 16, "drift at 23–32 min \(mid)")
        print("FIT activity-small-fenix2-run: walk breaks from \(walks.map { Int($0) }) s, stops from \(stops.map { Int($0) }) s; drift 23-32 min \(mid) bpm")
    }
}
