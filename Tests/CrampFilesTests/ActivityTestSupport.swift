// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
import Foundation
import SystemPackage

/// The Garmin FIT runs of python-fitparse's test set (MIT) and their `*.derived.csv`
/// conversions, in the shared data directory next to the repository
/// (`<repo>/../shared/data/running/fitparse`). Not committed: tests that need them are skipped,
/// with a message, where the directory is absent.
enum SharedFITData {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/running/fitparse")

    static var available: Bool {
        ["garmin-fenix-5-run", "activity-small-fenix2-run", "developer-types-sample", "activity-large-fenxi2-multisport"]
            .allSatisfy { FileManager.default.fileExists(atPath: directory.appendingPathComponent("\($0).fit").path) }
    }

    static let skipMessage = "../shared/data/running/fitparse is absent: FIT import is not checked on the real runs"

    static func fit(_ name: String) -> FilePath { FilePath(directory.appendingPathComponent("\(name).fit").path) }

    /// One row of a `*.derived.csv`: a FIT record as python-fitparse decoded it. Cadence is
    /// already steps/min (2 × (cadence + fractional_cadence)); speed is `enhanced_speed`.
    struct Row {
        var time: UTCInstant
        var heartRate: Double?
        var cadence: Double?
        var speed: Double?
        var distance: Double?
    }

    static func derived(_ name: String) throws -> [Row] {
        let text = try String(contentsOf: directory.appendingPathComponent("\(name).derived.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        let (t, hr, cad, speed, dist) = (column("timestamp"), column("heart_rate_bpm"), column("cadence_spm"),
                                         column("enhanced_speed"), column("distance"))
        return lines.map { line in
            let c = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Row(time: UTCInstant(iso8601: c[t])!, heartRate: Double(c[hr]), cadence: Double(c[cad]),
                       speed: Double(c[speed]), distance: Double(c[dist]))
        }
    }
}

/// An EDF+ file read back whole: each record's onset and its one sample per signal (1 Hz
/// imports), the annotations.
struct ImportedEDF {
    var header: EDFHeader
    var onsets: [Double] = []
    /// values[signal][record]
    var values: [[Float]]
    var annotations: [Annotation] = []

    init(_ path: FilePath) throws {
        let r = try EDFReader(path: path)
        header = r.header
        values = r.header.signals.map { _ in [] }
        while try r.nextRecord() {
            onsets.append(r.recordOnsetSeconds)
            for i in values.indices { values[i].append(contentsOf: r.samples(of: i)) }
            annotations += r.recordAnnotations
        }
        r.close()
    }

    func signal(_ label: String) -> [Float]? {
        header.signals.firstIndex { $0.label == label }.map { values[$0] }
    }

    /// The quantisation step of `label`: physical range / digital range.
    func step(_ label: String) -> Double {
        let s = header.signals.first { $0.label == label }!
        return (s.physicalMaximum - s.physicalMinimum) / Double(s.digitalMaximum - s.digitalMinimum)
    }

    /// Record index by onset second.
    var recordAt: [Int: Int] {
        Dictionary(uniqueKeysWithValues: onsets.enumerated().map { (Int($0.element.rounded()), $0.offset) })
    }
}
