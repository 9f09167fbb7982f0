// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
import SystemPackage
import Testing

/// The FIT decoder and `crampd import` on real Garmin files (python-fitparse's test set, MIT;
/// skipped with a message where ../shared/data is absent), sample by sample against the
/// `*.derived.csv` that python-fitparse made of each:
///
/// - `garmin-fenix-5-run`: 56 s, smart recording (records 1–9 s apart), fractional cadence,
///   HRV messages, unknown messages.
/// - `activity-small-fenix2-run`: 47 min, fēnix 2 + HRM-Run, 4 laps.
/// - `developer-types-sample`: 57 min Stryd run with developer fields; HR drifts 122 → 140 bpm
///   at ~150 steps/min.
/// - `activity-large-fenxi2-multisport`: 410 min, 7 sessions (generic, transition, running,
///   transition, running, transition, cycling), duplicate times at session boundaries and two
///   1 s clock steps back.
@Suite(.enabled(if: SharedFITData.available, Comment(rawValue: SharedFITData.skipMessage)))
struct FITRealFileTests {
    struct Expected: Sendable, CustomStringConvertible {
        var name: String
        var records: Int
        /// Seconds with data in the import (EDF+D records) and the span they lie in.
        var seconds: Int
        var span: Int
        var start: String
        var segments: Int
        var laps: Int
        var description: String { name }
    }

    static let files: [Expected] = [
        Expected(name: "garmin-fenix-5-run", records: 21, seconds: 58, span: 58, start: "2017-06-11T14:34:09Z", segments: 1, laps: 1),
        Expected(name: "activity-small-fenix2-run", records: 2809, seconds: 2834, span: 2834, start: "2015-08-15T14:45:08Z", segments: 1, laps: 4),
        Expected(name: "developer-types-sample", records: 3424, seconds: 3424, span: 3424, start: "2017-01-17T17:06:47Z", segments: 1, laps: 1),
        Expected(name: "activity-large-fenxi2-multisport", records: 24239, seconds: 9061, span: 9066, start: "2015-08-29T10:36:00Z", segments: 2, laps: 2),
    ]

    /// Every record decodes to python-fitparse's values: time, heart rate, cadence in steps/min
    /// (2 × (cadence + fractional_cadence/128)), enhanced speed, distance; missing where it
    /// has none. Tolerances: the Float conversion only (1e-4).
    @Test(arguments: files)
    func decoderAgreesWithFitparseRecordByRecord(_ file: Expected) throws {
        let samples = try ActivityFile(path: SharedFITData.fit(file.name)).allSamples()
        let rows = try SharedFITData.derived(file.name)
        #expect(samples.count == file.records)
        #expect(rows.count == file.records)
        var mismatches: [String] = []
        func same(_ a: Double?, _ b: Double?, _ tolerance: Double) -> Bool {
            switch (a, b) {
            case (nil, nil): true
            case let (x?, y?): abs(x - y) <= tolerance
            default: false
            }
        }
        for (k, (s, r)) in zip(samples, rows).enumerated() {
            let ok = s.time == r.time
                && same(s.heartRateBPM.map(Double.init), r.heartRate, 1e-4)
                && same(s.cadenceStepsPerMinute.map(Double.init), r.cadence, 1e-4)
                && same(s.speedMetersPerSecond.map(Double.init), r.speed, 1e-4 * max(1, r.speed ?? 0))
                && same(s.distanceMeters, r.distance, 1e-6)
            if !ok && mismatches.count < 5 { mismatches.append("record \(k): \(s) vs \(r)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    /// `crampd import`: the EDF+D opens in crampd's reader with the labels, rates, start and
    /// records expected, and at every second where the FIT file has a record (of a running
    /// segment, in time order) its values are python-fitparse's to the EDF step (HR 0.01 bpm,
    /// cadence 1/64 step/min, speed 0.001 m/s: FIT's own resolutions; distance within half a step).
    @Test(arguments: files)
    func importedEDFAgreesWithTheDerivedCSV(_ file: Expected) throws {
        let dir = TestDirectory()
        let out = dir.file("\(file.name).edf")
        let report = try ActivityImport.importToEDF(from: SharedFITData.fit(file.name), to: out)
        #expect(report.secondsWritten == file.seconds)
        #expect(report.spanSeconds == file.span)
        #expect(report.segments == file.segments)
        #expect(report.laps == file.laps)
        #expect(report.start.description == file.start)
        #expect(report.channels == [.heartRate, .cadence, .speed, .distance])

        let edf = try ImportedEDF(out)
        #expect(edf.header.format == .edfPlusD)
        #expect(edf.header.signals.map(\.label) == ["HR", "Cadence", "Speed", "Distance"])
        #expect(edf.header.signals.map(\.physicalDimension) == ["bpm", "spm", "m/s", "m"])
        #expect((0..<4).allSatisfy { edf.header.sampleRate(of: $0).value == 1 })
        #expect(edf.header.start.description + "Z" == file.start)
        #expect(edf.onsets.count == file.seconds)
        #expect(edf.annotations.filter { $0.text == "segment running" }.count == file.segments)

        let origin = try #require(UTCInstant(iso8601: file.start))
        let at = edf.recordAt
        let hr = try #require(edf.signal("HR")), cadence = try #require(edf.signal("Cadence"))
        let speed = try #require(edf.signal("Speed")), distance = try #require(edf.signal("Distance"))
        let distanceTolerance = edf.step("Distance") / 2 + 1e-3  // half a step, plus Float rounding
        var compared = 0
        var latest = UTCInstant(secondsSince1970: -.infinity)
        var mismatches: [String] = []
        for r in try SharedFITData.derived(file.name) {
            // The import drops records not later than the previous one (the timeline's rule).
            guard r.time > latest else { continue }
            latest = r.time
            guard let k = at[Int(r.time.seconds(since: origin).rounded())] else { continue }
            compared += 1
            var bad: [String] = []
            if let v = r.heartRate, abs(Double(hr[k]) - v) > 1e-3 { bad.append("HR \(hr[k]) vs \(v)") }
            if let v = r.cadence, abs(Double(cadence[k]) - v) > 1e-3 { bad.append("cadence \(cadence[k]) vs \(v)") }
            if let v = r.speed, abs(Double(speed[k]) - v) > 1e-3 { bad.append("speed \(speed[k]) vs \(v)") }
            if let v = r.distance, abs(Double(distance[k]) - v) > distanceTolerance { bad.append("distance \(distance[k]) vs \(v)") }
            if !bad.isEmpty && mismatches.count < 5 { mismatches.append("\(r.time): " + bad.joined(separator: ", ")) }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        // Every record of a single-sport file is compared; the multisport file's running legs
        // hold 8890 of its 24239 records (10:36:00 up to the transition at 11:14:16, 11:14:21 to
        // 13:07:06, each time once).
        let expectedCompared = file.segments == 1 ? file.records : 8890
        #expect(compared == expectedCompared)
    }

    /// The 57-minute Stryd run: HR 122 bpm in minutes 5–10, 140 bpm in minutes 50–55, at a
    /// median of 150 steps/min throughout (the cardiac drift the detector looks for).
    @Test func developerSampleCarriesItsHeartRateDrift() throws {
        let dir = TestDirectory()
        let out = dir.file("drift.edf")
        _ = try ActivityImport.importToEDF(from: SharedFITData.fit("developer-types-sample"), to: out)
        let edf = try ImportedEDF(out)
        let hr = try #require(edf.signal("HR")), cadence = try #require(edf.signal("Cadence"))
        func mean(_ x: ArraySlice<Float>) -> Double { x.reduce(0) { $0 + Double($1) } / Double(x.count) }
        #expect(abs(mean(hr[300..<600]) - 122.3) < 0.1)
        #expect(abs(mean(hr[3000..<3300]) - 139.9) < 0.1)
        #expect(cadence.sorted()[cadence.count / 2] == 150)
    }

    /// The multisport file: only its two running legs, 10:36:00–11:14:16 and 11:14:21–13:07:06;
    /// the 4 s transition between them is a `not running` gap.
    @Test func multisportFileReplaysItsRunningLegs() throws {
        let file = try ActivityFile(path: SharedFITData.fit("activity-large-fenxi2-multisport"))
        #expect(file.sports == ["generic", "transition", "running", "transition", "running", "transition", "cycling"])
        var events = file.events()
        var segments: [ActivitySegment] = []
        var gaps: [ActivityGap] = []
        var first: UTCInstant?, last: UTCInstant?
        while let e = try events.next() {
            switch e {
            case .segment(let s): segments.append(s)
            case .gap(let g): gaps.append(g)
            case .sample(let s):
                first = first ?? s.time
                last = s.time
            case .lap: break
            }
        }
        #expect(segments.map(\.sport) == [.running, .running])
        #expect(segments.map(\.start.description) == ["2015-08-29T10:36:00Z", "2015-08-29T11:14:21Z"])
        #expect(gaps.map(\.reason) == [.notRunning])
        #expect(gaps.first?.from.description == "2015-08-29T11:14:15Z")
        #expect(gaps.first?.to.description == "2015-08-29T11:14:21Z")
        #expect(first?.description == "2015-08-29T10:36:00Z")
        #expect(last?.description == "2015-08-29T13:07:05Z")
        let counts = events.timeline.counts
        #expect(counts.samplesIn == 24239)
        #expect(counts.outOfOrder == 8)
        #expect(counts.samplesOut + counts.notRunning + counts.outOfOrder == 24239)
    }

    /// Developer fields (Stryd's Form Power, Leg Spring Stiffness, …) are skipped, not decoded,
    /// and the file still agrees record by record (above).
    @Test func developerFieldsAreSkippedInTheStrydFile() throws {
        var decoder = try FITDecoder(path: SharedFITData.fit("developer-types-sample"))
        var withDeveloperFields = 0
        while let m = try decoder.next() { if m.definition.developerFieldCount > 0 { withDeveloperFields += 1 } }
        #expect(withDeveloperFields > 0)
    }
}
