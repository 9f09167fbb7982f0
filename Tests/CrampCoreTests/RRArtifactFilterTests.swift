// SPDX-License-Identifier: MIT
import CrampCore
import Testing

/// The RR artifact rule on hand-made sequences with a known answer.
@Suite struct RRArtifactFilterTests {
    static func classify(_ rr: [Double], _ configuration: RRArtifactFilter.Configuration = .init()) throws -> ([RRClassification], RRIntervalCounts) {
        var filter = try RRArtifactFilter(configuration: configuration)
        let verdicts = rr.map { filter.process(milliseconds: $0) }
        return (verdicts, filter.counts)
    }

    @Test func ectopicMissedAndExtraBeatsAreRejectedAndCounted() throws {
        // Steady 500 ms (120 bpm); a premature beat with its compensatory pause, a missed beat
        // (two intervals merged), a spurious beat (one interval split), out-of-range values.
        var rr = [Double](repeating: 500, count: 20)
        rr += [330, 670]            // ectopic: 34 % short, then 34 % long
        rr += [500, 500, 500, 1000] // missed beat: double interval
        rr += [500, 500, 200, 300]  // extra beat: 200 out of range, 300 short
        rr += [500, 2100, .nan, 500]
        let (verdicts, counts) = try Self.classify(rr)
        #expect(verdicts[20] == .shortAgainstMedian)
        #expect(verdicts[21] == .longAgainstMedian)
        #expect(verdicts[25] == .longAgainstMedian)
        #expect(verdicts[28] == .outOfRange)
        #expect(verdicts[29] == .shortAgainstMedian)
        #expect(verdicts[31] == .outOfRange)
        #expect(verdicts[32] == .nonFinite)
        #expect(counts == {
            var c = RRIntervalCounts()
            c.accepted = 27; c.shortAgainstMedian = 2; c.longAgainstMedian = 2; c.outOfRange = 2; c.nonFinite = 1
            return c
        }())
        #expect(counts.rejected == 7 && counts.total == rr.count)
    }

    @Test func medianFollowsAGenuineChangeOfHeartRate() throws {
        // A step from 800 to 600 ms (75 → 100 bpm, −25 %): the first beats at the new rate are
        // rejected, then the median has moved and the new rate is accepted.
        let rr = [Double](repeating: 800, count: 15) + [Double](repeating: 600, count: 15)
        let (verdicts, _) = try Self.classify(rr)
        #expect(verdicts[15] == .shortAgainstMedian)
        #expect(verdicts[15..<21].allSatisfy { $0 == .shortAgainstMedian })
        #expect(verdicts[21...].allSatisfy { $0 == .accepted }, "accepted again once 6 of the last 11 are at the new rate")
    }

    @Test func noComparisonBeforeThreeBeats() throws {
        let (verdicts, _) = try Self.classify([900, 400, 1200, 410])
        #expect(Array(verdicts.prefix(3)) == [.accepted, .accepted, .accepted])
        #expect(verdicts[3] == .shortAgainstMedian, "median of 900, 400, 1200 is 900")
    }

    @Test func medianOfAnEvenHistoryAveragesTheMiddleValues() throws {
        var filter = try RRArtifactFilter()
        for rr in [400.0, 500, 600, 700] { _ = filter.process(milliseconds: rr) }
        #expect(filter.referenceMedianMilliseconds == 550)
    }

    @Test func designErrors() {
        #expect(throws: CardioGaitConfigurationError.self) { try RRArtifactFilter(configuration: .init(minimumMilliseconds: 2000, maximumMilliseconds: 300)) }
        #expect(throws: CardioGaitConfigurationError.self) { try RRArtifactFilter(configuration: .init(medianBeats: 1)) }
        #expect(throws: CardioGaitConfigurationError.self) { try RRArtifactFilter(configuration: .init(maximumDeviationFraction: 0)) }
        #expect(throws: CardioGaitConfigurationError.self) { try RRArtifactFilter(configuration: .init(maximumDeviationFraction: .nan)) }
    }
}
