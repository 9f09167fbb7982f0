// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
import CrampSimulator
@testable import crampd
import Foundation
import SystemPackage
import Testing

@Suite struct SimulateCommandTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("crampd-sim-\(ProcessInfo.processInfo.processIdentifier)-\(name)").path
    }

    func write(_ scenario: String, seed: UInt64, duration: Int = 360, to name: String) throws -> (path: String, bytes: Data) {
        let sim = try SessionSimulator(scenario: Scenario.named(scenario), seed: seed, durationSeconds: duration, emgRate: Hertz(1000), sites: [.gastroc])
        let path = temporaryPath(name)
        _ = try SimulateCommand.write(sim, to: FilePath(path))
        return (path, try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func sameSeedGivesAByteIdenticalFile() throws {
        let a = try write("two-cramps", seed: 5, duration: 720, to: "a.edf")
        let b = try write("two-cramps", seed: 5, duration: 720, to: "b.edf")
        let c = try write("two-cramps", seed: 6, duration: 720, to: "c.edf")
        defer { for p in [a.path, b.path, c.path] { try? FileManager.default.removeItem(atPath: p) } }
        #expect(a.bytes.count > 100_000)
        #expect(a.bytes == b.bytes)
        #expect(a.bytes != c.bytes)
    }

    @Test func theFileCarriesSignalsGroundTruthAndAFixedHeader() throws {
        let (path, _) = try write("calf-cramp", seed: 12, to: "calf.edf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sim = try SessionSimulator(scenario: Scenario.named("calf-cramp"), seed: 12, durationSeconds: 360, emgRate: Hertz(1000), sites: [.gastroc])
        let reader = try EDFReader(path: FilePath(path))
        #expect(reader.header.recordingIdentification.hasPrefix("Startdate 01-JAN-2026 X X crampd-simulate_calf-cramp_seed12"))
        #expect(reader.header.start == EDFDateTime(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0))
        reader.close()
        let notes = try EDFReader.readAllAnnotations(path: FilePath(path))
        #expect(notes.map(\.text) == sim.annotations.map(\.text))
        for (n, a) in zip(notes, sim.annotations) {
            #expect(abs(n.onsetSeconds - a.onsetSeconds) < 1e-6)
            #expect(n.durationSeconds == a.durationSeconds)
        }
    }

    @Test func durationsParse() {
        #expect(SessionDuration(argument: "90s")?.seconds == 90)
        #expect(SessionDuration(argument: "45m")?.seconds == 2700)
        #expect(SessionDuration(argument: "1h10m")?.seconds == 4200)
        #expect(SessionDuration(argument: "1h10m30s")?.seconds == 4230)
        #expect(SessionDuration(argument: "600")?.seconds == 600)
        for bad in ["", "m", "10x", "1m1h", "5m5m", "0", "-5", "0m", "1h 5m"] {
            #expect(SessionDuration(argument: bad) == nil, "\(bad)")
        }
        #expect(SessionDuration.format(5400) == "1h30m")
        #expect(SessionDuration.format(90) == "1m30s")
    }

    @Test func sitesParse() {
        #expect(SiteList(argument: "gastroc,soleus")?.sites == [.gastroc, .soleus])
        #expect(SiteList(argument: "Quad, tibialis,quad")?.sites == [.quad, .tibialis])
        #expect(SiteList(argument: "calf") == nil)
        #expect(SiteList(argument: "") == nil)
    }

    @Test func listingNamesEveryScenario() {
        let lines = SimulateCommand.listing()
        #expect(lines.count == Scenario.all.count)
        for (line, s) in zip(lines, Scenario.all) {
            #expect(line.hasPrefix(s.name + " "))
            #expect(line.hasSuffix(s.summary))
        }
    }
}
