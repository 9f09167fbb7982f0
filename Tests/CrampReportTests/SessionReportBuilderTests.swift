// SPDX-License-Identifier: MIT
import CrampCore
@testable import CrampReport
import Testing

/// The streaming reduction: bins, medians, spans.
@Suite struct SessionReportBuilderTests {
    static func session(duration: Double, channels: [ReportChannel] = []) -> SessionDescription {
        SessionDescription(name: "s", format: "CSV", start: nil, durationSeconds: duration, channels: channels)
    }

    @Test(arguments: [(7.6, 0.1), (60, 0.25), (119, 0.5), (120, 2), (480, 2), (800, 2), (801, 5), (3600, 10), (24_600, 120)])
    func binWidthFollowsTheDuration(duration: Double, bin: Double) {
        #expect(SessionReportBuilder.binSeconds(forDurationSeconds: duration) == bin)
        let b = SessionReportBuilder.binSeconds(forDurationSeconds: duration)
        #expect(duration / b <= 400)
    }

    @Test func strideBinsHoldADozenStrides() {
        #expect(SessionReportBuilder.strideBinSeconds(forDurationSeconds: 480, binSeconds: 2) == 10)
        #expect(SessionReportBuilder.strideBinSeconds(forDurationSeconds: 3600, binSeconds: 10) == 10)
        #expect(SessionReportBuilder.strideBinSeconds(forDurationSeconds: 24_600, binSeconds: 120) == 120)
        #expect(SessionReportBuilder.strideBinSeconds(forDurationSeconds: 7.6, binSeconds: 0.1) == 1)
    }

    @Test func contextSamplesBecomeBinMedians() throws {
        var b = SessionReportBuilder(session: Self.session(duration: 600))
        #expect(b.binSeconds == 2)
        // 4 Hz heart rate: in bin k the values k, k + 100, k + 1000 (x2) and one outlier; no
        // samples at all in 100–120 s.
        for i in 0..<2400 {
            let t = Double(i) / 4
            guard !(100..<120).contains(t) else { continue }
            let k = Double(Int(t / 2))
            let v = [k, k + 100, k + 1000, k + 1000, k + 1000, k + 100, k, 1e6][i % 8]
            b.add(.heartRate, timeSeconds: t, value: v)
        }
        b.add(.heartRate, timeSeconds: 3, value: .nan)
        let r = b.finish()
        let hr = try #require(r.context.first { $0.signal == .heartRate }).series
        #expect(hr.values.count == 300 && hr.binSeconds == 2)
        // Sorted: k, k, k+100, k+100, k+1000, k+1000, k+1000, 1e6 → median (k+100 + k+1000) / 2.
        #expect(hr.values[0] == 550 && hr.values[7] == 557)
        #expect(hr.values[50..<60].allSatisfy { $0 == nil })
        #expect(hr.count == 290)
        #expect(r.context.count == 1, "no cadence or speed series without samples")
    }

    @Test func lateAndOutOfRangeSamplesStayInBounds() throws {
        var b = SessionReportBuilder(session: Self.session(duration: 10), binSeconds: 1)
        b.add(.cadence, timeSeconds: -1, value: 1)  // before the start: the first bin
        b.add(.cadence, timeSeconds: 5.5, value: 170)
        b.add(.cadence, timeSeconds: 2.5, value: 100)  // late: counted in the current bin
        b.add(.cadence, timeSeconds: 50, value: 180)  // past the end: the last bin
        let s = try #require(b.finish().context.first).series
        #expect(s.values.count == 10)
        #expect(s.values[0] == 1 && s.values[5] == 135 && s.values[2] == nil && s.values[9] == 180)
    }

    @Test func memoryIsBoundedByTheBinCount() throws {
        // A 10-hour session at 4 Hz: 144 000 samples, 300 bins (120 s each).
        var b = SessionReportBuilder(session: Self.session(duration: 36_000))
        for i in 0..<144_000 { b.add(.heartRate, timeSeconds: Double(i) / 4, value: 140 + Double(i % 7)) }
        let s = try #require(b.finish().context.first).series
        #expect(s.values.count == 300 && s.values.allSatisfy { $0 == 143 })
    }

    @Test func annotationsAndGapsAreKeptInTimeOrder() {
        var b = SessionReportBuilder(session: Self.session(duration: 100))
        b.add(Annotation(onsetSeconds: 50, text: "b"))
        b.add(Annotation(onsetSeconds: 10, text: "a"))
        b.add(Annotation(onsetSeconds: 50, text: "c"))
        b.addGap(TimeSpan(startSeconds: 20, endSeconds: 30))
        b.addGap(TimeSpan(startSeconds: 40, endSeconds: 40))
        let r = b.finish()
        #expect(r.annotations.map(\.text) == ["a", "b", "c"])
        #expect(r.gaps == [TimeSpan(startSeconds: 20, endSeconds: 30)])
    }
}
