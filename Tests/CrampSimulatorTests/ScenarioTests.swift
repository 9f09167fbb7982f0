// SPDX-License-Identifier: MIT
import CrampCore
import CrampSimulator
import Testing

/// Checks that a session's annotations are consistent ground truth for its scenario.
func checkGroundTruth(_ annotations: [Annotation], scenario: Scenario, duration: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    let total = Double(duration)
    #expect(annotations.map(\.onsetSeconds) == annotations.map(\.onsetSeconds).sorted(), sourceLocation: sourceLocation)
    var onsets: [(MuscleSite, BodySide, Double)] = []
    var cramps = 0
    for a in annotations {
        #expect(a.onsetSeconds >= 0 && a.onsetSeconds < total, "\(a)", sourceLocation: sourceLocation)
        #expect((a.durationSeconds ?? 0) >= 0, sourceLocation: sourceLocation)
        #expect(a.onsetSeconds + (a.durationSeconds ?? 0) <= total + 1e-6, "\(a)", sourceLocation: sourceLocation)
        switch GroundTruth(text: a.text) {
        case let .crampOnset(site, side):
            cramps += 1
            onsets.append((site, side, a.onsetSeconds))
            let end = annotations.first { $0.text == "cramp end \(site.rawValue) \(side.rawValue)" && $0.onsetSeconds > a.onsetSeconds }
            #expect(end != nil, sourceLocation: sourceLocation)
            if let end {
                #expect((30...150).contains(end.onsetSeconds - a.onsetSeconds), "cramp length", sourceLocation: sourceLocation)
            }
            let prodrome = annotations.last { $0.text == "prodrome \(site.rawValue) \(side.rawValue)" && $0.onsetSeconds < a.onsetSeconds }
            #expect(prodrome != nil, sourceLocation: sourceLocation)
            if let prodrome, let length = prodrome.durationSeconds {
                #expect((29.999...120.001).contains(length), "prodrome length \(length)", sourceLocation: sourceLocation)
                #expect(abs(prodrome.onsetSeconds + length - a.onsetSeconds) < 0.002, sourceLocation: sourceLocation)
                let felt = annotations.last { GroundTruth(text: $0.text) == .tightness(site, side) && $0.onsetSeconds < a.onsetSeconds }
                #expect(felt != nil, sourceLocation: sourceLocation)
                if let felt { #expect(felt.onsetSeconds > prodrome.onsetSeconds, sourceLocation: sourceLocation) }
            }
            let stop = annotations.last { $0.text == "stop" && $0.onsetSeconds <= a.onsetSeconds + 15 }
            #expect(stop != nil, "the runner stops", sourceLocation: sourceLocation)
        case .crampEnd, .tightness:
            break
        case let .artifact(kind, _, _):
            #expect(["mains", "motion", "dead", "saturation", "dropout"].contains(kind), sourceLocation: sourceLocation)
            #expect(a.durationSeconds != nil, sourceLocation: sourceLocation)
        case let .other(text):
            let word = text.split(separator: " ").first.map(String.init) ?? ""
            #expect(["surge", "interval", "walk", "stop", "prodrome"].contains(word), "\(text)", sourceLocation: sourceLocation)
        }
    }
    let expected: Int = switch scenario.family {
    case .twoCramps, .bilateralCramp: 2
    case let f where f.hasCramp: 1
    default: 0
    }
    #expect(cramps == expected, "\(scenario.name)", sourceLocation: sourceLocation)
    if scenario.family == .bilateralCramp, onsets.count == 2 {
        #expect(onsets[0].1 != onsets[1].1)
        #expect(abs(onsets[0].2 - onsets[1].2) <= 15)
    }
    // The (last) cramp comes at 80-90 % of the run; the second calf of a bilateral cramp
    // follows the first within 15 s.
    if scenario.family.hasCramp, let last = onsets.map(\.2).max() {
        let first = scenario.family == .bilateralCramp ? onsets.map(\.2).min()! : last
        #expect(first >= 0.8 * total - 1 && first <= 0.9 * total + 1, "late cramp at \(first / total)", sourceLocation: sourceLocation)
    }
}

@Suite struct ScenarioTests {
    @Test func namesAreUniqueAndDefaultsHoldTheEvents() {
        let names = Scenario.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(Set(Scenario.all.map(\.family)) == Set(ScenarioFamily.allCases))
        for s in Scenario.all {
            #expect(s.defaultDurationSeconds >= s.minimumDurationSeconds)
            #expect(!s.summary.isEmpty && s.summary.count < 100)
        }
    }

    /// Every scenario generates at its shortest duration; the samples stay within the physical
    /// ranges and the annotations are consistent ground truth.
    @Test(arguments: Scenario.all.map(\.name))
    func generatesAtItsMinimumDuration(name: String) throws {
        let scenario = try Scenario.named(name)
        let session = try generate(name, seed: 5, duration: scenario.minimumDurationSeconds, sites: [.soleus])
        for (signal, x) in zip(session.signals, session.samples) {
            #expect(x.count == signal.samplesPerRecord * scenario.minimumDurationSeconds)
            #expect(x.allSatisfy { $0.isFinite && Double($0) >= signal.physicalMinimum && Double($0) <= signal.physicalMaximum }, "\(signal.label)")
        }
        checkGroundTruth(session.annotations, scenario: scenario, duration: scenario.minimumDurationSeconds)
    }

    /// Plans (no samples) over many seeds and several durations keep events within their
    /// physiological bounds.
    @Test(arguments: Scenario.all.map(\.name))
    func plansStayWithinBoundsAcrossSeeds(name: String) throws {
        let scenario = try Scenario.named(name)
        let durations = [scenario.minimumDurationSeconds, scenario.minimumDurationSeconds + 97,
                         scenario.defaultDurationSeconds, 2 * scenario.defaultDurationSeconds]
        for duration in durations {
            for seed in 0..<25 as Range<UInt64> {
                let sim = try SessionSimulator(scenario: scenario, seed: seed, durationSeconds: duration)
                checkGroundTruth(sim.annotations, scenario: scenario, duration: duration)
            }
        }
    }
}
