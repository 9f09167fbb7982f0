// SPDX-License-Identifier: MIT
import CrampBLE
import Glibc
import Testing

/// The captures `make test-ble` recorded in its VM (scripts/ble-vm/run.sh sets
/// CRAMPD_LIVE_CAPTURES to its output directory): each `X.rec` replays to exactly the events
/// `crampd record-ble` printed live in `X.jsonl` (its SUMMARY lines aside). Skipped otherwise.
@Suite(.enabled(if: getenv("CRAMPD_LIVE_CAPTURES") != nil, "set by make test-ble"))
struct LiveCaptureReplayTests {
    static var captures: [String] {
        guard let root = getenv("CRAMPD_LIVE_CAPTURES").map({ String(cString: $0) }) else { return [] }
        var found: [String] = []
        for directory in [root] + entries(root).map({ "\(root)/\($0)" }) {
            for name in entries(directory) where name.hasSuffix(".rec") { found.append("\(directory)/\(name)") }
        }
        return found.sorted()
    }

    static func entries(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    @Test func everyCaptureWasRecorded() {
        #expect(!Self.captures.isEmpty, "no .rec under $CRAMPD_LIVE_CAPTURES")
    }

    @Test(arguments: captures)
    func captureReplaysToTheLiveEvents(path: String) throws {
        let live = try read(String(path.dropLast(4)) + ".jsonl").split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix(#"{"class":"SUMMARY""#) }
        var replayed: [String] = []
        _ = try CaptureSessionSource.replay(path: path) { replayed.append($0.jsonLine) }
        #expect(!live.isEmpty)
        #expect(replayed.count == live.count)
        for (k, (a, b)) in zip(replayed, live).enumerated() where a != b {
            Issue.record("line \(k + 1) differs:\n replay: \(a)\n live:   \(b)")
            break
        }
    }
}
