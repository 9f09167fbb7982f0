// SPDX-License-Identifier: MIT
import CrampCore
import CrampSimulator
import Testing

@Suite struct ValidationTests {
    @Test func tooShortForTheScenarioIsAnError() throws {
        let s = try Scenario.named("calf-cramp")
        #expect(throws: SimulationError.durationTooShort(scenario: "calf-cramp", seconds: 200, minimumSeconds: s.minimumDurationSeconds)) {
            _ = try SessionSimulator(scenario: s, seed: 1, durationSeconds: 200)
        }
        #expect(throws: SimulationError.self) { _ = try SessionSimulator(scenario: s, seed: 1, durationSeconds: 0) }
        _ = try SessionSimulator(scenario: s, seed: 1, durationSeconds: s.minimumDurationSeconds)
    }

    @Test func tooLongIsAnError() throws {
        #expect(throws: SimulationError.durationTooLong(seconds: 100_000, maximumSeconds: 86_400)) {
            _ = try SessionSimulator(scenario: Scenario.named("hot-run"), seed: 1, durationSeconds: 100_000)
        }
    }

    @Test(arguments: [999.0, 4001, 1500.5, 0, -2000, 250])
    func badRateIsAnError(rate: Double) throws {
        #expect(throws: SimulationError.sampleRateOutOfRange(Hertz(rate))) {
            _ = try SessionSimulator(scenario: Scenario.named("hot-run"), seed: 1, durationSeconds: 300, emgRate: Hertz(rate))
        }
    }

    @Test(arguments: [1000.0, 1024, 4000])
    func ratesInRangeAreAccepted(rate: Double) throws {
        let sim = try SessionSimulator(scenario: Scenario.named("hot-run"), seed: 1, durationSeconds: 300, emgRate: Hertz(rate))
        #expect(sim.signals[0].samplesPerRecord == Int(rate))
    }

    @Test func emptySitesAndUnknownScenarioAreErrors() throws {
        #expect(throws: SimulationError.noSites) {
            _ = try SessionSimulator(scenario: Scenario.named("hot-run"), seed: 1, sites: [])
        }
        #expect(throws: SimulationError.unknownScenario("marathon")) { _ = try Scenario.named("marathon") }
    }

    @Test func theCrampingMuscleAndArtifactElectrodeAreAlwaysIncluded() throws {
        let ham = try SessionSimulator(scenario: Scenario.named("hamstring-cramp"), seed: 1, sites: [.gastroc])
        #expect(ham.signals.filter { $0.descriptor.kind == .emg }.map(\.label)
            == ["EMG gastroc L", "EMG gastroc R", "EMG hamstring L", "EMG hamstring R"])
        for seed in 0..<8 as Range<UInt64> {
            let sim = try SessionSimulator(scenario: Scenario.named("artifact-dead"), seed: seed, sites: [.quad])
            let dead = sim.annotations.compactMap { a -> ChannelDescriptor? in
                if case let .artifact("dead", site?, side?) = GroundTruth(text: a.text) { return .emg(site, side) }
                return nil
            }
            #expect(dead.count == 1)
            #expect(sim.signals.contains { $0.descriptor == dead[0] })
        }
    }

    @Test func errorsDescribeThemselves() {
        #expect(SimulationError.durationTooShort(scenario: "calf-cramp", seconds: 60, minimumSeconds: 360).description
            == "scenario 'calf-cramp' needs at least 360 s to hold its events; 60 s asked")
        #expect(SimulationError.sampleRateOutOfRange(Hertz(500)).description.contains("1000…4000"))
    }
}
