// SPDX-License-Identifier: MIT
import CrampFiles
import Testing

private let t0 = 1_714_548_600.0  // 2024-05-01T07:30:00Z

private func at(_ s: Double) -> UTCInstant { UTCInstant(secondsSince1970: t0 + s) }

private func sample(_ s: Double, hr: Float? = 140, cadence: Float? = 170, speed: Float? = 3, distance: Double? = nil) -> ActivitySample {
    ActivitySample(time: at(s), heartRateBPM: hr, cadenceStepsPerMinute: cadence, speedMetersPerSecond: speed,
                   distanceMeters: distance ?? 3 * s)
}

/// Runs `samples` through a timeline and returns the events and counts.
private func run(_ structure: ActivityStructure, _ samples: [ActivitySample], threshold: Double = 10)
    -> ([ActivityEvent], ActivityTimeline.Counts) {
    var timeline = ActivityTimeline(structure: structure, gapThresholdSeconds: threshold)
    var events: [ActivityEvent] = []
    for s in samples { timeline.process(s, into: &events) }
    return (events, timeline.counts)
}

private func segment(_ i: Int, _ sport: String, _ from: Double, _ to: Double) -> ActivitySegment {
    ActivitySegment(index: i, sport: ActivitySport(name: sport), start: at(from), end: at(to))
}

/// A compact picture of events: `S0` segment, `L1` lap, `.` sample, `P`/`G`/`N` gaps.
private func picture(_ events: [ActivityEvent]) -> String {
    events.map { e in
        switch e {
        case .segment(let s): "S\(s.index)"
        case .lap(let l): "L\(l.number)"
        case .sample: "."
        case .gap(let g): g.reason == .pause ? "P" : g.reason == .noRecords ? "G" : "N"
        }
    }.joined()
}

@Suite struct ActivityTimelineTests {
    @Test func aSingleRunningSegmentPassesEverySample() {
        let structure = ActivityStructure(segments: [segment(0, "running", 0, 5)], laps: [ActivityLap(number: 1, start: at(0), durationSeconds: 5)])
        let (events, counts) = run(structure, (0...5).map { sample(Double($0)) })
        #expect(picture(events) == "S0L1......")
        #expect(counts.samplesOut == 6 && counts.samplesIn == 6)
    }

    @Test func multisportKeepsTheRunningSegmentsOnly() {
        // running 0–10, transition 10–15, running 15–30, cycling 30–40; a sample every second.
        let structure = ActivityStructure(segments: [segment(0, "running", 0, 10), segment(1, "transition", 10, 15),
                                                     segment(2, "running", 15, 30), segment(3, "cycling", 30, 40)])
        let (events, counts) = run(structure, (0...40).map { sample(Double($0)) })
        // 0…9 in segment 0 (10 belongs to the transition that starts there), 15…29 in segment 2.
        #expect(picture(events) == "S0" + String(repeating: ".", count: 10) + "NS2" + String(repeating: ".", count: 15))
        #expect(counts.notRunning == 41 - 25)
        guard case .gap(let g)? = events.first(where: { if case .gap = $0 { true } else { false } }) else {
            Issue.record("no gap")
            return
        }
        #expect(g.from == at(9) && g.to == at(15) && g.durationSeconds == 6)
    }

    @Test func samplesOutsideEverySegmentAreLeftOut() {
        let structure = ActivityStructure(segments: [segment(0, "running", 5, 10)])
        let (events, counts) = run(structure, (0...15).map { sample(Double($0)) })
        #expect(picture(events) == "S0......")
        #expect(counts.notRunning == 10)
    }

    @Test func aTimerPauseIsAGapAndItsSamplesAreLeftOut() {
        // Timer stopped at 5, started at 12: samples 6…11 (recorded while stopped) left out.
        let structure = ActivityStructure(segments: [segment(0, "running", 0, 20)],
                                          pauses: [ActivityPause(start: at(5), end: at(12))])
        let (events, counts) = run(structure, (0...20).map { sample(Double($0)) })
        #expect(picture(events) == "S0......P" + String(repeating: ".", count: 9))
        #expect(counts.paused == 6 && counts.pauses == 1)
        // A short pause between two records 1 s apart is still a pause.
        let short = ActivityStructure(segments: [segment(0, "running", 0, 20)], pauses: [ActivityPause(start: at(3.2), end: at(3.6))])
        #expect(picture(run(short, (0...5).map { sample(Double($0)) }).0) == "S0....P..")
        // A stop that never restarts ends the data.
        let stop = ActivityStructure(segments: [segment(0, "running", 0, 20)], pauses: [ActivityPause(start: at(3), end: nil)])
        #expect(picture(run(stop, (0...8).map { sample(Double($0)) }).0) == "S0....")
    }

    @Test func recordsFurtherApartThanTheThresholdAreAGap() {
        let structure = ActivityStructure(segments: [segment(0, "running", 0, 100)])
        let times: [Double] = [0, 1, 2, 9, 19, 19.5, 40, 41]  // 7 s and 10 s: one run; 20.5 s: a gap
        let (events, counts) = run(structure, times.map { sample($0) })
        #expect(picture(events) == "S0......G..")
        #expect(counts.gaps == 1)
    }

    @Test func samplesOutOfOrderDuplicatedOrEmptyAreLeftOut() {
        let structure = ActivityStructure(segments: [segment(0, "running", 0, 100)])
        let samples = [sample(0), sample(1), sample(1), sample(3), sample(2), sample(3), sample(4, hr: nil, cadence: nil, speed: nil, distance: -1), sample(5)]
        var emptied = samples
        emptied[6].distanceMeters = nil
        let (events, counts) = run(structure, emptied)
        #expect(picture(events) == "S0....")
        #expect(counts.outOfOrder == 3 && counts.empty == 1)
    }

    @Test func lapsAreAnnouncedBeforeTheirFirstSampleInARunningSegment() {
        let structure = ActivityStructure(
            segments: [segment(0, "cycling", 0, 10), segment(1, "running", 10, 30)],
            laps: [ActivityLap(number: 1, start: at(0), durationSeconds: 10), ActivityLap(number: 2, start: at(10), durationSeconds: 10),
                   ActivityLap(number: 3, start: at(19.5), durationSeconds: 10.5)])
        let (events, counts) = run(structure, (0...30).map { sample(Double($0)) })
        #expect(picture(events) == "S1L2" + String(repeating: ".", count: 10) + "L3" + String(repeating: ".", count: 11))
        #expect(counts.laps == 2)
    }
}

@Suite struct ActivityGridTests {
    private func grid(_ events: [ActivityEvent], threshold: Double = 10, channels: Set<ActivityChannel> = Set(ActivityChannel.allCases))
        -> (rows: [ActivityRow], dropouts: [ActivityDropout]) {
        var g = ActivityGrid(gapThresholdSeconds: threshold, channels: channels)
        var out: [ActivityGridOutput] = []
        for e in events { g.process(e, into: &out) }
        g.finish(into: &out)
        var rows: [ActivityRow] = [], dropouts: [ActivityDropout] = []
        for o in out {
            switch o {
            case .row(let r): rows.append(r)
            case .dropout(let d): dropouts.append(d)
            }
        }
        return (rows, dropouts)
    }

    private let base = Int64(1_714_548_600)

    @Test func wholeSecondSamplesPassUnchangedAndHolesAreInterpolated() {
        let events: [ActivityEvent] = [.sample(sample(0, hr: 100, distance: 0)), .sample(sample(1, hr: 101, distance: 3)),
                                       .sample(sample(4, hr: 110, distance: 12))]
        let (rows, dropouts) = grid(events)
        #expect(rows.map(\.second) == (0...4).map { base + $0 })
        #expect(rows.map { $0.value(.heartRate) } == [100, 101, 104, 107, 110])
        #expect(rows.map { $0.value(.distance) } == [0, 3, 6, 9, 12])
        #expect(dropouts.isEmpty)
    }

    @Test func gapsAreNeverBridged() {
        let events: [ActivityEvent] = [.sample(sample(0)), .sample(sample(1)),
                                       .gap(ActivityGap(from: at(1), to: at(5), reason: .pause)),
                                       .sample(sample(5)), .sample(sample(6))]
        #expect(grid(events).rows.map(\.second) == [0, 1, 5, 6].map { base + $0 })
    }

    @Test func aChannelMissingLongerThanTheThresholdIsADropout() {
        // HR missing from 3 to 17 (values at 2 and 18: 16 s apart > 10 s): rows 3…17 have none.
        var events: [ActivityEvent] = []
        for s in 0...20 { events.append(.sample(sample(Double(s), hr: (3...17).contains(s) ? nil : 150))) }
        let (rows, dropouts) = grid(events)
        #expect(rows.count == 21)
        #expect(rows.filter { $0.value(.heartRate) == nil }.map(\.second) == (3...17).map { base + Int64($0) })
        #expect(rows.allSatisfy { $0.value(.cadence) == 170 })
        #expect(dropouts == [ActivityDropout(channel: .heartRate, firstSecond: base + 3, seconds: 15)])
        // 8 s missing: filled, no dropout.
        var short: [ActivityEvent] = []
        for s in 0...20 { short.append(.sample(sample(Double(s), hr: (3...9).contains(s) ? nil : Float(s)))) }
        let filled = grid(short)
        #expect(filled.dropouts.isEmpty)
        #expect(filled.rows.map { $0.value(.heartRate)! } == (0...20).map { Double($0) })
    }

    @Test func valuesAreHeldAtTheRunEdgesWhenShortAndDroppedWhenLong() {
        // Cadence appears at 3 and disappears after 6, in a run 0…9: held back and forward.
        var events: [ActivityEvent] = []
        for s in 0...9 { events.append(.sample(sample(Double(s), cadence: (3...6).contains(s) ? 160 : nil))) }
        #expect(grid(events).rows.allSatisfy { $0.value(.cadence) == 160 })
        // The same 30 s long: 12 s without at the start and 14 s at the end are dropouts.
        var long: [ActivityEvent] = []
        for s in 0...30 { long.append(.sample(sample(Double(s), cadence: (12...16).contains(s) ? 160 : nil))) }
        let (rows, dropouts) = grid(long)
        #expect(rows.filter { $0.value(.cadence) != nil }.map(\.second) == (12...16).map { base + Int64($0) })
        #expect(dropouts == [ActivityDropout(channel: .cadence, firstSecond: base, seconds: 12),
                             ActivityDropout(channel: .cadence, firstSecond: base + 17, seconds: 14)])
    }

    @Test func fractionalTimesAreInterpolatedOntoWholeSeconds() {
        let events: [ActivityEvent] = [.sample(sample(0.5, hr: 100)), .sample(sample(1.5, hr: 110)), .sample(sample(2.5, hr: 120))]
        let (rows, _) = grid(events)
        #expect(rows.map(\.second) == [base + 1, base + 2])
        #expect(rows.map { $0.value(.heartRate) } == [105, 115])
        // A run too short to hold a whole second lands on the nearest one.
        let lone = grid([.sample(sample(7.4, hr: 90))])
        #expect(lone.rows.map(\.second) == [base + 7])
        #expect(lone.rows.first?.value(.heartRate) == 90)
    }

    @Test func untrackedChannelsAreNilAndNeverDropouts() {
        let events: [ActivityEvent] = (0...30).map { .sample(sample(Double($0), speed: nil)) }
        let (rows, dropouts) = grid(events, channels: [.heartRate, .cadence, .distance])
        #expect(rows.allSatisfy { $0.value(.speed) == nil })
        #expect(dropouts.isEmpty)
    }
}

@Suite struct UTCInstantTests {
    @Test func parsesTheDateTimesTCXWrites() {
        #expect(UTCInstant(iso8601: "2015-08-15T14:45:08Z")?.secondsSince1970 == 1_439_649_908)
        #expect(UTCInstant(iso8601: "2015-08-15T14:45:08.250Z")?.secondsSince1970 == 1_439_649_908.25)
        #expect(UTCInstant(iso8601: "2015-08-15T16:45:08+02:00")?.secondsSince1970 == 1_439_649_908)
        #expect(UTCInstant(iso8601: "2015-08-15T09:45:08.000-05:00")?.secondsSince1970 == 1_439_649_908)
        #expect(UTCInstant(iso8601: " 2015-08-15T14:45:08 \n")?.secondsSince1970 == 1_439_649_908)  // no zone: UTC
        #expect(UTCInstant(iso8601: "2024-02-29T00:00:00Z")?.secondsSince1970 == 1_709_164_800)
        for bad in ["", "2015-08-15", "2015-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2015-08-15T24:00:00Z",
                    "2015-08-15T14:45:08.Z", "2015-08-15T14:45:08+0200", "2015-08-15T14:45:08Zjunk", "yesterday"] {
            #expect(UTCInstant(iso8601: bad) == nil, "\(bad)")
        }
    }

    @Test func convertsFITTimeAndCalendarDates() {
        #expect(UTCInstant(fitTimestamp: 0).description == "1989-12-31T00:00:00Z")
        #expect(UTCInstant(fitTimestamp: 1_000_000_000).description == "2021-09-08T01:46:40Z")
        #expect(UTCInstant(secondsSince1970: 1_439_649_908.25).description == "2015-08-15T14:45:08.250Z")
        #expect(UTCInstant(secondsSince1970: 951_782_400).dateTime == EDFDateTime(year: 2000, month: 2, day: 29, hour: 0, minute: 0, second: 0))
        // Every day for 150 years round-trips through the calendar.
        for d in stride(from: Int64(-3653), to: 51_000, by: 1) {
            let (y, m, day) = (UTCInstant(secondsSince1970: Double(d * 86400)).dateTime).ymd
            #expect(UTCInstant(iso8601: "\(y)-\(m < 10 ? "0" : "")\(m)-\(day < 10 ? "0" : "")\(day)T00:00:00Z")?.secondsSince1970 == Double(d * 86400))
        }
    }
}

private extension EDFDateTime {
    var ymd: (Int, Int, Int) { (year, month, day) }
}
