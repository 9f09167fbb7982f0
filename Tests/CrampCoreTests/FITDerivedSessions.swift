// SPDX-License-Identifier: MIT
import CrampCore
import Foundation

/// The FIT runs from python-fitparse's test files, converted to CSV (`*.derived.csv`) in the
/// shared data directory next to the repository (`<repo>/../shared/data/running/fitparse`).
/// Not committed: tests that use them are skipped, with a message, where the directory is
/// absent.
///
/// Columns: `timestamp` (ISO 8601, UTC, 1 s records), `heart_rate_bpm`, `cadence_spm`,
/// `enhanced_speed` (m/s), … The conversion has already doubled FIT's strides/min:
/// `cadence_spm` is steps/min = 2 × (cadence + fractional_cadence) (e.g. a median of 150 at
/// 2.0 m/s in the Stryd sample; as strides that would be 300 steps/min).
enum FITDerivedSessions {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/running/fitparse")

    static var available: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("developer-types-sample.derived.csv").path)
    }

    static let skipMessage = "../shared/data/running/fitparse is absent: the real FIT-derived runs are not checked"

    /// The samples of `name` in time order (session seconds from the first record), as the
    /// FIT file recorded them: heart rate, cadence in steps/min (or halved to strides/min),
    /// speed. Empty cells give no sample.
    static func samples(_ name: String, cadenceAsStrides: Bool = false) throws -> [CardioGaitSample] {
        let text = try String(contentsOf: directory.appendingPathComponent("\(name).derived.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let time = header.firstIndex(of: "timestamp")!, hr = header.firstIndex(of: "heart_rate_bpm")!
        let cadence = header.firstIndex(of: "cadence_spm")!, speed = header.firstIndex(of: "enhanced_speed")!
        let parser = ISO8601DateFormatter()
        var start: Date?
        var out: [CardioGaitSample] = []
        for line in lines {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard let date = parser.date(from: cells[time]) else { continue }
            let t = date.timeIntervalSince(start ?? date)
            start = start ?? date
            if let v = Double(cells[hr]) { out.append(.init(kind: .hr, timeSeconds: t, value: v)) }
            if let v = Double(cells[cadence]) { out.append(.init(kind: .cadence, timeSeconds: t, value: cadenceAsStrides ? v / 2 : v)) }
            if let v = Double(cells[speed]) { out.append(.init(kind: .speed, timeSeconds: t, value: v)) }
        }
        return out
    }
}
