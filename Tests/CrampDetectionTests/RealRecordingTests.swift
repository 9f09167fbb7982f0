// SPDX-License-Identifier: MIT
import CrampCore
@testable import crampd
import Foundation
import Testing

/// Real recordings hold no cramp: the detector must raise no warning at all on them (and the
/// dead electrode of the elderly recordings must be reported as such). The bundled excerpts
/// run in every clone; `../shared/data` is used when present.
@Suite struct RealRecordingTests {
    static func events(_ path: String) throws -> [DetectorEvent] {
        var out: [DetectorEvent] = []
        try ReplayCommand.replay(path) { out.append($0) }
        return out
    }

    @Test(arguments: ["real-santuz-walking.edf", "real-elderly-lg-hold.edf", "real-physionet-healthy-ta.edf",
                      "real-plux-biceps-fatigue.edf", "real-myo-forearm-fist.csv"])
    func bundledRealRecordingsRaiseNoWarning(name: String) throws {
        let events = try Self.events(DetectionData.recording(name))
        #expect(events.warningsAndCramps.isEmpty, "\(name): \(events.warningsAndCramps)")
        #expect(events.summary != nil)
    }

    @Test func deadLateralGastrocnemiusIsASensorFault() throws {
        let events = try Self.events(DetectionData.recording("real-elderly-lg-hold.edf"))
        let dead = events.sensors.filter { $0.fault == .dead && $0.active }
        #expect(dead.map(\.channel) == [.emg(.gastroc, .right)], "only the LG electrode is dead: \(events.sensors)")
        #expect(dead.first.map { $0.sessionSeconds < 2 } == true)
        #expect(events.summary?.sensorFaults == 1)
    }

    /// The elderly lower-limb set's four tasks (10 s isometric holds; columns VL, BF, TA, LG at
    /// 2 kHz): sustained voluntary contractions, no running before them — never a cramp.
    @Test(.enabled(if: DetectionData.hasShared("emg/elderly-lowerlimb"), DetectionData.missing("emg/elderly-lowerlimb")),
          arguments: ["BF", "LG", "TA", "VL"])
    func elderlyIsometricHoldsRaiseNoWarning(task: String) throws {
        let text = try String(contentsOfFile: DetectionData.sharedFile("emg/elderly-lowerlimb/ID1_EMG_\(task).derived.csv"),
                              encoding: .utf8)
        var lines = text.split(separator: "\n")
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        let labels = ["VL": "EMG quad R", "BF": "EMG hamstring R", "TA": "EMG tibialis R", "LG": "EMG gastroc R"]
        let columns = header.indices.filter { labels[header[$0]] != nil }
        var samples = columns.map { _ in [Float]() }
        for line in lines {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            for (k, c) in columns.enumerated() { samples[k].append(Float(cells[c]) ?? 0) }
        }
        let channels = columns.map { SessionChannel(label: labels[header[$0]]!, sampleRate: Hertz(2000)) }
        var detector = try CrampDetector(channels: channels)
        var events: [DetectorEvent] = []
        for start in stride(from: 0, to: samples[0].count, by: 2000) {
            for k in samples.indices {
                samples[k].withUnsafeBufferPointer { all in
                    detector.process(samples: UnsafeBufferPointer(rebasing: all[start..<min(start + 2000, all.count)]),
                                     channel: k) { events.append($0) }
                }
            }
        }
        detector.finish { events.append($0) }
        #expect(events.warningsAndCramps.isEmpty, "\(task): \(events.warningsAndCramps)")
        #expect(events.sensors.contains { $0.fault == .dead && $0.active && $0.channel == .emg(.gastroc, .right) },
                "\(task): the LG electrode is dead in every task")
    }

    /// Watch files replayed directly (FIT), heart rate and cadence alone: a session-level watch
    /// at most, never a warning or a cramp the detector cannot see.
    @Test(.enabled(if: DetectionData.hasShared("running/fitparse"), DetectionData.missing("running/fitparse")),
          arguments: ["garmin-fenix-5-run.fit", "activity-small-fenix2-run.fit", "developer-types-sample.fit",
                      "activity-large-fenxi2-multisport.fit"])
    func fitRunsGiveFatigueContextOnly(name: String) throws {
        let events = try Self.events(DetectionData.sharedFile("running/fitparse/\(name)"))
        #expect(events.warningsAndCramps.isEmpty, "\(name): \(events.warningsAndCramps)")
        #expect(events.alerts.allSatisfy { $0.site == nil && ($0.level == .watch || $0.level == .clear) })
        let summary = try #require(events.summary)
        #expect(summary.channels == ["HR", "Cadence", "Speed"])
        #expect(summary.message.contains("a cramp cannot be seen"))
    }

    /// The Stryd run drifts 15 bpm at constant cadence (docs/CARDIO_GAIT.md): a watch.
    @Test(.enabled(if: DetectionData.hasShared("running/fitparse/developer-types-sample.fit"),
                   DetectionData.missing("running/fitparse/developer-types-sample.fit")))
    func driftingRunGetsAWatch() throws {
        let events = try Self.events(DetectionData.sharedFile("running/fitparse/developer-types-sample.fit"))
        let watch = try #require(events.alerts.first { $0.level == .watch })
        #expect(watch.evidence.contains { $0.feature == "cardiac_drift" && $0.value >= $0.threshold })
    }
}
