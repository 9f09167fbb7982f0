// SPDX-License-Identifier: MIT
import CrampCore
@testable import crampd
import Foundation
import Testing

/// `crampd replay` and `crampd eval` as code: playbook overrides, parameters by name, scenario
/// families, and scoring a bundled session blind.
@Suite struct ReplayAndEvalCommandTests {
    static func temporary(_ name: String, _ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("crampd-detect-\(ProcessInfo.processInfo.processIdentifier)-\(name)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func adviceOverridesReachTheAlerts() throws {
        let toml = try Self.temporary("advice.toml", """
            [advice.calf.cramp]
            step = "Stop and flex your {side} foot."

            [advice.general.watch]
            step = "Easy now."
            """)
        defer { try? FileManager.default.removeItem(atPath: toml) }
        let playbook = try ReplayCommand.playbook(toml)
        var alerts: [Alert] = []
        try ReplayCommand.replay(DetectionData.recording("sim-calf-cramp-s1.edf"), playbook: playbook) {
            if case .alert(let a) = $0 { alerts.append(a) }
        }
        let cramp = try #require(alerts.first { $0.level == .cramp })
        #expect(cramp.advice.step == "Stop and flex your left foot.")
        #expect(cramp.advice.why == AdvicePlaybook.standard.advice(level: .cramp, site: .gastroc, side: .left, sessionSeconds: 0).why)
        #expect(playbook.generalAdvice(level: .watch, sessionSeconds: 0).step == "Easy now.")
    }

    @Test func badAdviceFileNamesTheKeyAndLine() throws {
        let toml = try Self.temporary("bad.toml", "[advice.calf]\nwarnign = 1\n")
        defer { try? FileManager.default.removeItem(atPath: toml) }
        do {
            _ = try ReplayCommand.playbook(toml)
            Issue.record("an unknown key must be an error")
        } catch {
            #expect("\(error)".contains("advice.calf.warnign") && "\(error)".contains("bad.toml"), "\(error)")
        }
    }

    @Test func parametersAreSetByName() throws {
        var c = CrampDetectorConfiguration()
        try c.set("warning_baseline_ratio", to: 1.5)
        try c.set("onset_blocks", to: 12)
        #expect(c.warningBaselineRatio == 1.5 && c.onsetBlocks == 12)
        #expect(throws: CrampDetectorError.unknownParameter("warning_ratio")) { try c.set("warning_ratio", to: 1) }
        #expect(throws: CrampDetectorError.invalidParameter("onset_blocks", 2.5)) { try c.set("onset_blocks", to: 2.5) }
        #expect(CrampDetectorConfiguration.parameterNames.contains("onset_fraction_in_warning"))
    }

    @Test func familiesComeFromTheRecordingFieldOrTheFileName() {
        #expect(EvalCommand.family(recordingField: "Startdate 01-JAN-2026 X X crampd-simulate_two-cramps_seed9001") == "two-cramps")
        #expect(EvalCommand.family(recordingField: "Startdate 01-JAN-2026 X X crampd_import_FIT") == nil)
        #expect(EvalCommand.family(fileName: "/data/run/calf-cramp-seed7.edf") == "calf-cramp")
        #expect(EvalCommand.family(fileName: "sim-calf-cramp-s1.edf") == "sim-calf-cramp")
        #expect(EvalCommand.family(fileName: "artifact_mains_12.csv") == "artifact_mains")
        #expect(EvalCommand.family(fileName: "tempo-run.edf") == "tempo-run")
    }

    @Test func bundledCrampSessionIsScoredBlind() throws {
        let r = try #require(try EvalCommand.score(DetectionData.recording("sim-calf-cramp-s1.edf")))
        #expect(r.family == "calf-cramp")
        #expect(r.score.cramps == 1 && r.score.detected == 1 && r.score.warned == 1)
        #expect(r.score.falseWarnings == 0 && r.score.wrongMuscleOrSide == 0)
        #expect(r.durationSeconds == 480)
        let table = EvalCommand.table([r])
        #expect(table.first?.hasPrefix("family") == true && table.last?.hasPrefix("all") == true)
        let json = EvalCommand.jsonLines([r])
        #expect(json.first?.hasPrefix(#"{"class":"SESSION","file":"#) == true)
        #expect(json.last?.hasPrefix(#"{"class":"EVAL","family":null,"sessions":1"#) == true)
    }

    @Test func recordingsWithoutAnnotationsAreNotScored() throws {
        #expect(try EvalCommand.score(DetectionData.recording("real-plux-biceps-fatigue.edf")) == nil)
    }

    @Test func evaluationDoesNotDependOnTheNumberOfJobs() throws {
        let files = ["sim-calf-cramp-s1.edf", "sim-cramp-free-s2.edf"].map(DetectionData.recording)
        func table(_ jobs: Int) -> [String] {
            let results = EvalCommand.evaluate(files, jobs: jobs).compactMap { try? $0.get() }
            return EvalCommand.table(results)
        }
        #expect(table(1) == table(2))
    }
}
