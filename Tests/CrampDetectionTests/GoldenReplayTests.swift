// SPDX-License-Identifier: MIT
import CrampCore
@testable import crampd
import Foundation
import Testing

/// Golden replays, in the manner of gpsd's check files: every recording under Recordings/ has
/// its expected event stream in `Tests/Golden/<name>.jsonl` (the output of `crampd replay`),
/// and a fresh replay must reproduce it line for line. A missing golden file is a failure.
/// `make golden` rebuilds them for a deliberate change; the commit that changes one says why.
@Suite struct GoldenReplayTests {
    /// The golden file of a recording: its name without the extension, `.jsonl`.
    static func goldenPath(_ recording: String) -> String {
        let stem = (recording as NSString).deletingPathExtension
        return DetectionData.golden.appendingPathComponent(stem + ".jsonl").path
    }

    /// What `crampd replay FILE` writes to stdout, as lines.
    static func replay(_ path: String) throws -> [String] {
        var lines: [String] = []
        try ReplayCommand.replay(path) { lines.append(ReplayCommand.line($0)) }
        return lines
    }

    @Test func everyRecordingIsReplayed() {
        let names = DetectionData.goldenRecordings()
        #expect(names.count >= 7, "Recordings/ should hold the bundled sessions, found \(names)")
    }

    @Test(arguments: DetectionData.goldenRecordings())
    func replayMatchesItsGoldenFile(recording: String) throws {
        let golden = Self.goldenPath(recording)
        guard let text = try? String(contentsOfFile: golden, encoding: .utf8) else {
            Issue.record("missing golden file \(golden) for Recordings/\(recording): a missing check file is an error; run `make golden` and review the diff")
            return
        }
        let expected = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        let actual = try Self.replay(DetectionData.recording(recording))
        for (i, (e, a)) in zip(expected, actual).enumerated() where e != a {
            Issue.record("""
                Recordings/\(recording): line \(i + 1) differs from \(golden)
                expected: \(e)
                actual:   \(a)
                """)
            return
        }
        #expect(actual.count == expected.count,
                "Recordings/\(recording): \(actual.count) lines, golden file has \(expected.count)")
    }

    @Test func replayIsDeterministic() throws {
        let path = DetectionData.recording("sim-calf-cramp-s1.edf")
        #expect(try Self.replay(path) == Self.replay(path))
    }
}
