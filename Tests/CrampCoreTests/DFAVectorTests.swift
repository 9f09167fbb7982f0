// SPDX-License-Identifier: MIT
import CrampCore
import Testing

/// DFA α1 and the RR artifact rule against the NumPy reference of scripts/gen_hr_vectors.py.
///
/// Tolerances: α1 and every F(n) within 1e-9 relative of the reference (float64 both sides;
/// closed-form box fits against `numpy.polyfit`, measured agreement ~1e-14); the RR verdicts
/// exactly. Against theory, the mean α1 of four seeded series of 1024 values must be within
/// 0.10 of 1.0 (1/f) and 1.5 (Brownian), and within 0.15 of 0.5 for white noise, whose DFA-1
/// exponent over boxes of 4–16 is biased upward (≈ 0.59 for long series; docs/CARDIO_GAIT.md).
@Suite struct DFAVectorTests {
    @Test func noiseSeriesMatchReferenceAndTheory() throws {
        let v = try CardioVectors.noise()
        #expect(v.boxSizes == [4, 16])
        var byKind: [String: [Double]] = [:]
        for s in v.series {
            var dfa = try DetrendedFluctuationAnalysis(length: s.rrMs.count, boxSizes: 4...16)
            let alpha = try #require(s.rrMs.withUnsafeBufferPointer { dfa.alpha(of: $0) })
            #expect(isClose(alpha, s.alpha1, relative: 1e-9), "\(s.kind) seed \(s.seed): α1 \(alpha) vs \(s.alpha1)")
            #expect(dfa.fluctuations.count == s.fluctuations.count)
            for (mine, theirs) in zip(dfa.fluctuations, s.fluctuations) {
                #expect(isClose(mine, theirs, relative: 1e-9), "\(s.kind) seed \(s.seed): F(n) \(mine) vs \(theirs)")
            }
            byKind[s.kind, default: []].append(alpha)
        }
        let tolerance = ["white": 0.15, "pink": 0.10, "brown": 0.10]
        let expected = ["white": 0.5, "pink": 1.0, "brown": 1.5]
        for (kind, alphas) in byKind {
            let mean = alphas.reduce(0, +) / Double(alphas.count)
            #expect(abs(mean - expected[kind]!) <= tolerance[kind]!, "\(kind): mean α1 \(mean), expected \(expected[kind]!)")
        }
        #expect(byKind.count == 3)
        if let nk = v.neurokit2MaxAbsDifference { #expect(nk < 1e-12, "NeuroKit2 agreed with the reference when generated") }
    }

    @Test func rrStreamVerdictsAndEstimatesMatchReference() throws {
        let v = try CardioVectors.stream()
        var filter = try RRArtifactFilter(configuration: .init(
            minimumMilliseconds: v.rule.minimumMs, maximumMilliseconds: v.rule.maximumMs, medianBeats: v.rule.medianBeats,
            minimumMedianBeats: v.rule.medianMinimumBeats, maximumDeviationFraction: v.rule.maximumDeviationFraction))
        var dfa = try DFAAlpha1Tracker(configuration: .init(windowBeats: v.windowBeats, hopBeats: v.hopBeats))
        let names: [RRClassification: String] = [
            .accepted: "accepted", .outOfRange: "out_of_range", .shortAgainstMedian: "short", .longAgainstMedian: "long",
        ]
        var estimates: [(Int, DFAAlpha1Estimate)] = []
        var time = 0.0
        for (i, rr) in v.rrMs.enumerated() {
            time += rr / 1000
            let verdict = filter.process(milliseconds: rr)
            #expect(names[verdict] == v.verdicts[i], "RR #\(i) = \(rr) ms: \(verdict) vs \(v.verdicts[i])")
            if let e = dfa.process(timeSeconds: time, milliseconds: rr, classification: verdict) { estimates.append((i, e)) }
        }
        #expect(filter.counts.accepted == v.counts["accepted"])
        #expect(filter.counts.outOfRange == v.counts["out_of_range"])
        #expect(filter.counts.shortAgainstMedian == v.counts["short"])
        #expect(filter.counts.longAgainstMedian == v.counts["long"])
        #expect(filter.counts.rejected == 19, "every injected artifact (5 ectopic pairs, 2 missed, 2 extra, 3 out of range) is caught")
        #expect(estimates.count == v.estimates.count)
        for ((arrival, mine), theirs) in zip(estimates, v.estimates) {
            #expect(arrival == theirs.arrivalIndex)
            #expect(isClose(mine.alpha1, theirs.alpha1, relative: 1e-9), "beat \(arrival): α1 \(mine.alpha1) vs \(theirs.alpha1)")
            #expect(isClose(mine.artifactPercent, theirs.artifactPercent, relative: 1e-12, floor: 1e-12))
            #expect(mine.windowBeats == v.windowBeats)
            #expect(mine.isReliable == (theirs.artifactPercent <= 5))
        }
    }

    @Test func constantSeriesHasNoExponent() throws {
        var dfa = try DetrendedFluctuationAnalysis(length: 64)
        let flat = [Double](repeating: 500, count: 64)
        #expect(flat.withUnsafeBufferPointer { dfa.alpha(of: $0) } == nil)
    }

    @Test func designErrors() {
        #expect(throws: CardioGaitConfigurationError.self) { try DetrendedFluctuationAnalysis(length: 20, boxSizes: 4...16) }
        #expect(throws: CardioGaitConfigurationError.self) { try DetrendedFluctuationAnalysis(length: 200, boxSizes: 2...16) }
        #expect(throws: CardioGaitConfigurationError.self) { try DetrendedFluctuationAnalysis(length: 200, boxSizes: 8...8) }
        #expect(throws: CardioGaitConfigurationError.self) { try DFAAlpha1Tracker(configuration: .init(windowBeats: 200, hopBeats: 0)) }
        #expect(throws: CardioGaitConfigurationError.self) { try DFAAlpha1Tracker(configuration: .init(windowBeats: 16)) }
    }
}
