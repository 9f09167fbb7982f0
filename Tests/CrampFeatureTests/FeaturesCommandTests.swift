// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
@testable import crampd
import Foundation
import SystemPackage
import Testing

/// `crampd features`: fixed, deterministic output in both formats.
@Suite struct FeaturesCommandTests {
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("crampd-features-\(ProcessInfo.processInfo.processIdentifier)-\(name)").path
    }

    /// Runs `crampd features ARGS --out TMP` and returns the output's lines.
    static func run(_ arguments: [String], name: String) throws -> [String] {
        let out = temporaryPath(name)
        defer { try? FileManager.default.removeItem(atPath: out) }
        let command = try FeaturesCommand.parse(arguments + ["--out", out])
        try command.run()
        return try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
    }

    static func json(_ line: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
    }

    @Test func jsonLinesAreDeterministicOrderedAndComplete() throws {
        let path = TestData.recording("real-santuz-walking.edf")
        let a = try Self.run([path, "--jsonl"], name: "a.jsonl")
        let b = try Self.run([path, "--jsonl"], name: "b.jsonl")
        #expect(a == b, "the same file must give the same bytes")
        // MAINS first, then one CHANNEL per EMG signal, then features; every line starts with its class.
        #expect(a.first?.hasPrefix("{\"class\":\"MAINS\"") == true)
        #expect(a.dropFirst().prefix(6).allSatisfy { $0.hasPrefix("{\"class\":\"CHANNEL\"") })
        let classes = try a.map { try Self.json($0)["class"] as! String }
        #expect(Set(classes) == ["MAINS", "CHANNEL", "WINDOW", "BURST", "STRIDE"])
        #expect(classes.filter { $0 == "WINDOW" }.count == 6 * ((7600 - 252) / 63 + 1))
        // Fixed key order per class.
        let windowKeys = ["class", "channel", "start_s", "end_s", "rms_uv", "mav_uv", "zc_per_s", "tke_uv2", "mnf_hz", "mdf_hz",
                          "finsm5", "quality", "quant_levels", "rail_fraction", "constant_run_s", "lf_rms_uv", "mains_fraction"]
        let firstWindow = try #require(a.first { $0.hasPrefix("{\"class\":\"WINDOW\"") })
        #expect(Self.keys(firstWindow) == windowKeys)
        let firstStride = try #require(a.first { $0.hasPrefix("{\"class\":\"STRIDE\"") })
        #expect(Self.keys(firstStride) == [
            "class", "channel", "stride", "start_s", "end_s", "duration_s", "period_s", "period_source", "active_start_s",
            "active_end_s", "rms_uv", "peak_uv", "mnf_hz", "mdf_hz", "finsm5", "baseline_rms_uv", "extra_bursts", "quality",
            "rel_rms", "rel_mnf", "rel_mdf", "rel_baseline_rms", "rel_duration", "baseline_strides",
        ])
        // Fixed decimals.
        #expect(firstWindow.contains("\"start_s\":0.000000,\"end_s\":0.252000,"))
        // Annotations are not features.
        #expect(!a.contains { $0.contains("touchdown") })
    }

    /// The top-level keys of a JSON object line, in order: the strings at depth 1 followed by
    /// a colon.
    static func keys(_ line: String) -> [String] {
        let chars = Array(line)
        var keys: [String] = []
        var depth = 0, i = 0
        while i < chars.count {
            let ch = chars[i]
            if ch == "\"" {
                var j = i + 1, text = ""
                while chars[j] != "\"" {
                    if chars[j] == "\\" { j += 1 }
                    text.append(chars[j])
                    j += 1
                }
                if depth == 1 && j + 1 < chars.count && chars[j + 1] == ":" { keys.append(text) }
                i = j + 1
                continue
            }
            if ch == "{" || ch == "[" { depth += 1 }
            if ch == "}" || ch == "]" { depth -= 1 }
            i += 1
        }
        return keys
    }

    @Test func csvHasCommentsAHeaderAndOneRowPerFeatureRecord() throws {
        let path = TestData.recording("real-elderly-lg-hold.edf")
        let lines = try Self.run([path, "--csv", "--mains", "50", "--window", "400", "--hop", "100"], name: "e.csv")
        let comments = lines.prefix { $0.hasPrefix("#") }
        #expect(comments.first == "# mains: setting 50, notch 50 Hz")
        #expect(comments.count == 5)
        #expect(comments.contains("# channel: EMG gastroc R, 2000.000 Hz, full_band 20.0-450.0 Hz, notches 9, window 400/100"))
        let header = lines[comments.count]
        #expect(header == FeatureFormatter.csvColumns.joined(separator: ","))
        let rows = lines.dropFirst(comments.count + 1).map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.allSatisfy { $0.count == FeatureFormatter.csvColumns.count })
        let windows = rows.filter { $0[0] == "WINDOW" }
        #expect(windows.count == 4 * ((20_000 - 400) / 100 + 1))
        // The dead LG electrode, in the quality column.
        let lg = windows.filter { $0[1] == "EMG gastroc R" }
        #expect(Double(lg.filter { $0[11].contains("dead") }.count) / Double(lg.count) >= 0.85)
        #expect(windows.filter { $0[1] == "EMG quad R" }.allSatisfy { $0[11] == "ok" })
    }

    @Test func csvSessionsAreReadToo() throws {
        // The Myo excerpt: 200 Hz, no spectral features (empty cells), a note about its units.
        let lines = try Self.run([TestData.recording("real-myo-forearm-fist.csv"), "--csv"], name: "m.csv")
        let header = try #require(lines.firstIndex { $0.hasPrefix("class,") })
        #expect(lines[..<header].contains { $0.contains("rate_too_low_for_band") && $0.contains("spectral features unavailable") })
        let rows = lines[(header + 1)...].map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let windows = rows.filter { $0[0] == "WINDOW" }
        #expect(windows.count == 8 * ((4000 - 52) / 13 + 1))
        #expect(windows.allSatisfy { $0[8].isEmpty && $0[9].isEmpty && $0[10].isEmpty && !$0[4].isEmpty })
    }

    @Test func rejectsBadOptionsAndBadFiles() throws {
        #expect(throws: (any Error).self) { try FeaturesCommand.parse(["x.edf", "--hop", "10"]) }
        #expect(throws: (any Error).self) { try FeaturesCommand.parse(["x.edf", "--window", "8"]) }
        #expect(throws: (any Error).self) { try FeaturesCommand.parse(["x.edf", "--mains", "55"]) }
        #expect(throws: (any Error).self) { try FeaturesCommand.parse(["x.edf", "--baseline", "300-60"]) }
        let missing = Self.temporaryPath("missing.edf")
        let command = try FeaturesCommand.parse([missing])
        #expect(throws: (any Error).self) { try command.run() }
    }
}
