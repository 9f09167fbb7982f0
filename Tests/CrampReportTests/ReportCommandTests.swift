// SPDX-License-Identifier: MIT
import ArgumentParser
import CrampCore
import CrampReport
@testable import crampd
import Foundation
import Testing

/// `crampd report` on the bundled recordings: what the reduction keeps of a simulated cramp,
/// alerts files, and the index of a directory.
@Suite(.serialized) struct ReportCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func recording(_ name: String) -> String { repository.appendingPathComponent("Recordings/\(name)").path }

    static func temporaryDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("crampd-report-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    @Test func simulatedCalfCrampShowsItsProdromeInTheReducedSeries() throws {
        let command = try ReportCommand.parse([Self.recording("sim-calf-cramp-s1.edf"), "-o", "/dev/null"])
        let made = try command.makeReport(Self.recording("sim-calf-cramp-s1.edf"))
        let r = made.report
        #expect(r.session.format == "EDF+C" && r.session.family == "calf-cramp" && r.session.durationSeconds == 480)
        #expect(r.session.start == "2026-01-01T00:00:00")
        #expect(r.binSeconds == 2 && r.strideBinSeconds == 10)
        #expect(r.context.map(\.signal) == [.heartRate, .cadence, .speed])
        #expect(r.context.allSatisfy { $0.series.values.count == 240 && $0.series.count == 240 })
        #expect(r.muscles.map(\.label) == ["EMG gastroc L", "EMG gastroc R", "EMG soleus L", "EMG soleus R"])
        #expect(r.annotations.map(\.text) == ["prodrome gastroc L", "tightness gastroc L", "cramp onset gastroc L", "stop", "cramp end gastroc L"])

        let gl = r.muscles[0]
        #expect(gl.windows == (480_000 - 252) / 63 + 1)
        #expect(gl.hasSpectra && gl.strides > 400)
        let established = try #require(gl.baselineEstablishedSeconds)
        #expect(established >= 300 && established < 302)
        // Stride bins of 10 s: the prodrome runs 337.4–396.6 s, the cramp to 470 s.
        func strideBins(_ s: BinnedSeries, _ range: Range<Double>) -> [Double] {
            s.values.indices.filter { range.contains(s.centreSeconds($0)) }.compactMap { s.values[$0] }
        }
        #expect(strideBins(gl.twitchRate, 60..<330).allSatisfy { $0 == 0 }, "no twitches before the prodrome")
        #expect(strideBins(gl.twitchRate, 370..<400).allSatisfy { $0 >= 10 }, "\(strideBins(gl.twitchRate, 370..<400))")
        #expect(strideBins(gl.twitchRate, 400..<470).isEmpty, "no strides while the runner stops")
        let before = try #require(Self.median(strideBins(gl.baselineRatio, 300..<330)))
        let late = try #require(strideBins(gl.baselineRatio, 380..<400).max())
        #expect(abs(before - 1) < 0.15 && late > 3, "baseline ×\(before) before, ×\(late) late in the prodrome")
        for other in r.muscles.dropFirst() {
            #expect(strideBins(other.baselineRatio, 300..<400).allSatisfy { $0 > 0.7 && $0 < 1.4 }, "\(other.label)")
        }
        // The cramp: gastroc L's window RMS several times its running level, the other muscles not.
        let running = try #require(Self.median(gl.rms.values[100..<150].compactMap { $0 }))
        let cramp = try #require(Self.median(gl.rms.values[205..<230].compactMap { $0 }))
        #expect(cramp > 3 * running, "RMS \(running) µV running, \(cramp) µV in the cramp")
    }

    @Test func alertsFileIsReadAndCheckedLineByLine() throws {
        let dir = try Self.temporaryDirectory("alerts")
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.jsonl")
        try """
            {"class":"ALERT","t":361.250,"level":"warning","muscle":"gastroc","side":"L","risk":0.72,"evidence":[],"advice":{"step":"Ease off now.","why":"Twitches."}}

            {"class":"STATUS","t":1.000}
            {"class":"SENSOR","t":341.000,"channel":"EMG gastroc R","muscle":"gastroc","side":"R","fault":"mains","state":"on","detail":"d","advice":"a"}
            {"class":"SUMMARY","t":480.000,"channels":[],"cramps":[],"warnings":1,"watches":0,"sensor_faults":1,"peak_risk":[],"message":"m","prevention":[]}

            """.write(to: good, atomically: true, encoding: .utf8)
        let events = try ReportCommand.readEvents(good.path)
        #expect(events.alerts.count == 1 && events.sensorEvents.count == 1 && events.source == "good.jsonl")

        let bad = dir.appendingPathComponent("bad.jsonl")
        try "{\"class\":\"ALERT\",\"t\":1}\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: ReportSessionError.self) { try ReportCommand.readEvents(bad.path) }
        do {
            _ = try ReportCommand.readEvents(bad.path)
        } catch {
            #expect(error.message == "crampd: \(bad.path): line 1: \"level\" is missing")
        }
        #expect(try ReportCommand.readEvents(nil) == ReportEvents.none)
    }

    @Test func wholeCommandWritesAPageThatChecksItself() throws {
        let dir = try Self.temporaryDirectory("one")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("santuz.html").path
        try ReportCommand.parse([Self.recording("real-santuz-walking.edf"), "-o", out]).run()
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("Session report: real-santuz-walking.edf"))
        // 6 channels × RMS, MDF and twitch rate (the medial gastrocnemius's late-swing burst is
        // an extra burst); 7.6 s is too short for a runner's baseline.
        #expect(html.contains("data-expect-series=\"18\""))
        #expect(html.contains("data-empty=\"baseline\""))
        #expect(html.contains("no heart rate"))
    }

    @Test func indexReportsEverySessionOfADirectoryAndScoresThoseWithAlerts() throws {
        let dir = try Self.temporaryDirectory("index")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sessions = dir.appendingPathComponent("sessions"), out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: sessions, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.recording("real-santuz-walking.edf"),
                                         toPath: sessions.appendingPathComponent("walk.edf").path)
        try """
            time_s,HR [bpm],Cadence [spm],annotation
            0,120,160,
            1,121,161,cramp onset gastroc L
            2,122,162,
            3,123,0,cramp end gastroc L
            """.write(to: sessions.appendingPathComponent("watch.csv"), atomically: true, encoding: .utf8)
        try "not an EDF file".write(to: sessions.appendingPathComponent("broken.edf"), atomically: true, encoding: .utf8)
        try "ignored".write(to: sessions.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        try """
            {"class":"ALERT","t":1.500,"level":"cramp","muscle":"gastroc","side":"L","risk":1.00,"evidence":[],"advice":{"step":"Stop.","why":"Cramp."}}
            """.write(to: sessions.appendingPathComponent("watch.jsonl"), atomically: true, encoding: .utf8)

        let index = out.appendingPathComponent("index.html").path
        let command = try ReportCommand.parse(["--index", sessions.path, "-o", index])
        #expect(throws: ExitCode.self) { try command.run() }  // broken.edf fails, alone
        let html = try String(contentsOfFile: index, encoding: .utf8)
        #expect(html.contains("<a href=\"walk.html\">walk.edf</a>") && html.contains("<a href=\"watch.html\">watch.csv</a>"))
        #expect(html.contains("<td>broken.edf</td>") && html.contains("not an EDF"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("walk.html").path))
        let watch = try String(contentsOfFile: out.appendingPathComponent("watch.html").path, encoding: .utf8)
        #expect(watch.contains("No EMG: fatigue context only"))
        #expect(watch.contains("data-expect-alerts=\"1\""))
        // watch.csv: one cramp, detected 0.5 s after onset; walk.edf: no alerts, so no score.
        #expect(html.contains("<td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">—</td><td class=\"num\">0</td>"))
        #expect(html.contains("<li><b>Scored</b>1 (sessions with alerts)</li>"))
    }

    @Test func familyComesFromTheSimulatorsRecordingField() {
        #expect(ReportSession.family("Startdate 01-JAN-2026 X X crampd-simulate_calf-cramp_seed1") == "calf-cramp")
        #expect(ReportSession.family("Startdate 01-JAN-2026 X X santuz-walking_ID0012_TW_01") == nil)
        #expect(ReportSession.family("") == nil)
    }

    @Test func optionsAreValidated() {
        #expect(throws: (any Error).self) { try ReportCommand.parse(["-o", "x.html"]) }
        #expect(throws: (any Error).self) { try ReportCommand.parse(["a.edf", "--index", "d", "-o", "x.html"]) }
        #expect(throws: (any Error).self) { try ReportCommand.parse(["--index", "d", "--alerts", "a", "-o", "x.html"]) }
        #expect(throws: (any Error).self) { try ReportCommand.parse(["a.edf", "--bin", "0", "-o", "x.html"]) }
    }
}
