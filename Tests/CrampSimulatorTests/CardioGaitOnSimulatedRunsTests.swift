// SPDX-License-Identifier: MIT
import CrampCore
import CrampSimulator
import Testing

/// `CardioGaitTracker` on simulated sessions: the surges, walk breaks and stops it reports
/// against the simulator's ground truth (`surge`, `walk break` and `stop` annotations with
/// durations), with the simulator's own HR, cadence and speed at 4 Hz.
///
/// Tolerances: starts and ends within 10 s (the simulator's speed and cadence follow their
/// targets with 1.5–3 s lags, and the tracker smooths over 3 s); stops within 5 s (cadence
/// reads 0 about a second after the runner stops).
@Suite struct CardioGaitOnSimulatedRunsTests {
    struct Outcome {
        var events: [CardioGaitEvent] = []
        var annotations: [Annotation] = []
        var last: CardioGaitSnapshot?

        func truth(_ text: String) -> [(start: Double, end: Double)] {
            annotations.filter { $0.text == text }.map { ($0.onsetSeconds, $0.onsetSeconds + ($0.durationSeconds ?? 0)) }
        }

        var surges: [(start: Double, end: Double)] {
            events.compactMap { if case let .surgeEnded(e, s, _, _) = $0 { (s, e) } else { nil } }
        }
        var walks: [(start: Double, end: Double)] {
            events.compactMap { if case let .walkBreakEnded(e, s) = $0 { (s, e) } else { nil } }
        }
        var stops: [(start: Double, end: Double)] {
            events.compactMap { if case let .stopEnded(e, s) = $0 { (s, e) } else { nil } }
        }
    }

    static func track(_ name: String, seed: UInt64, duration: Int) throws -> Outcome {
        var sim = try SessionSimulator(scenario: Scenario.named(name), seed: seed, durationSeconds: duration, emgRate: Hertz(1000), sites: [.gastroc])
        let hr = sim.signals.firstIndex { $0.descriptor == .heartRate }!
        let cadence = sim.signals.firstIndex { $0.descriptor == .cadence }!
        let speed = sim.signals.firstIndex { $0.descriptor == .speed }!
        let rate = sim.signals[hr].samplesPerRecord
        var tracker = try CardioGaitTracker(configuration: .init(snapshotIntervalSeconds: 10))
        var outcome = Outcome()
        var buffers: [[Float]] = []
        var record = 0
        while let notes = sim.nextRecord(into: &buffers) {
            outcome.annotations += notes
            for q in 0..<rate {
                let t = Double(record) + Double(q) / Double(rate)
                let handle: (CardioGaitOutput) -> Void = { output in
                    switch output {
                    case let .event(e, _): outcome.events.append(e)
                    case let .snapshot(s): outcome.last = s
                    }
                }
                tracker.hr(timeSeconds: t, beatsPerMinute: Double(buffers[hr][q]), handle)
                tracker.cadence(timeSeconds: t, perMinute: Double(buffers[cadence][q]), handle)
                tracker.speed(timeSeconds: t, metresPerSecond: Double(buffers[speed][q]), handle)
            }
            record += 1
        }
        return outcome
    }

    static func matches(_ found: [(start: Double, end: Double)], _ truth: [(start: Double, end: Double)], within: Double) -> Bool {
        truth.allSatisfy { t in found.contains { abs($0.start - t.start) <= within && abs($0.end - t.end) <= within } }
    }

    @Test func surgeCramp() throws {
        let o = try Self.track("surge-cramp", seed: 3, duration: 2700)
        let truth = o.truth("surge")
        #expect(truth.count == 1)
        #expect(Self.matches(o.surges, truth, within: 10), "surges \(o.surges), truth \(truth)")
        #expect(o.surges.count == 1, "no other surge: \(o.surges)")
        #expect(Self.matches(o.stops, o.truth("stop"), within: 5), "stops \(o.stops), truth \(o.truth("stop"))")
        #expect(o.last?.samples.cadenceRejected == 0, "\(o.events.filter { if case .implausibleSample = $0 { true } else { false } })")
    }

    @Test func longFatigueWalkBreaks() throws {
        let o = try Self.track("long-fatigue", seed: 5, duration: 3600)
        let truth = o.truth("walk break")
        #expect(truth.count == 2)
        #expect(Self.matches(o.walks, truth, within: 10), "walks \(o.walks), truth \(truth)")
        #expect(o.walks.count == truth.count)
        #expect(o.surges.isEmpty && o.stops.isEmpty)
        // The simulator's late sag (3–5 % of cadence by the end) shows as cadence sag.
        let sag = try #require(o.last?.cadenceSag?.sagPercent)
        #expect(sag > 1.5 && sag < 6, "sag \(sag) %")
        #expect((o.last?.cardiacDrift?.driftBeatsPerMinute ?? 0) >= 0)
    }

    @Test func calfCrampStopsTheRunner() throws {
        let o = try Self.track("calf-cramp", seed: 2, duration: 2400)
        let stops = o.truth("stop")
        #expect(stops.count == 1)
        #expect(Self.matches(o.stops, stops, within: 5), "stops \(o.stops), truth \(stops)")
        #expect(Self.matches(o.walks, o.truth("walk break").filter { $0.end < 2390 }, within: 10), "walks \(o.walks), truth \(o.truth("walk break"))")
    }
}
