// SPDX-License-Identifier: MIT
import CrampCore
import CrampSimulator
import Testing

@Suite struct DeterminismTests {
    @Test func sameSeedGivesIdenticalSamplesAndAnnotations() throws {
        let a = try generate("calf-cramp", seed: 42, duration: 360, sites: [.gastroc, .tibialis])
        let b = try generate("calf-cramp", seed: 42, duration: 360, sites: [.gastroc, .tibialis])
        #expect(a.samples == b.samples)
        #expect(a.annotations == b.annotations)
    }

    @Test func differentSeedsDiffer() throws {
        let a = try generate("calf-cramp", seed: 1, duration: 360, sites: [.gastroc])
        let b = try generate("calf-cramp", seed: 2, duration: 360, sites: [.gastroc])
        for i in a.samples.indices { #expect(a.samples[i] != b.samples[i], "\(a.signals[i].label)") }
        #expect(a.annotations != b.annotations)
    }

    /// Each channel draws from its own stream: choosing fewer sites leaves the others' samples
    /// (and HR, cadence, speed) bit for bit unchanged.
    @Test func aSubsetOfSitesGivesTheSameChannels() throws {
        let full = try generate("two-cramps", seed: 9, duration: 720)
        let subset = try generate("two-cramps", seed: 9, duration: 720, sites: [.tibialis])
        for signal in subset.signals {
            #expect(subset.channel(signal.descriptor) == full.channel(signal.descriptor), "\(signal.label)")
        }
        #expect(subset.annotations == full.annotations)
    }

    @Test func recordsComeOneSecondAtATimeThenNil() throws {
        var sim = try SessionSimulator(scenario: Scenario.named("artifact-mains"), seed: 3, durationSeconds: 120, emgRate: Hertz(1500))
        #expect(sim.recordCount == 120)
        var buffers: [[Float]] = []
        var records = 0
        var notes: [Annotation] = []
        while let a = sim.nextRecord(into: &buffers) {
            #expect(buffers.count == sim.signals.count)
            for (b, s) in zip(buffers, sim.signals) { #expect(b.count == s.samplesPerRecord) }
            for n in a { #expect(n.onsetSeconds >= Double(records) && n.onsetSeconds < Double(records + 1)) }
            notes += a
            records += 1
        }
        #expect(records == 120)
        #expect(sim.nextRecord(into: &buffers) == nil)
        #expect(notes == sim.annotations)
        #expect(sim.signals.map(\.label) == [
            "EMG gastroc L", "EMG gastroc R", "EMG soleus L", "EMG soleus R", "EMG tibialis L", "EMG tibialis R",
            "EMG hamstring L", "EMG hamstring R", "HR", "Cadence", "Speed",
        ])
        #expect(sim.signals[0].samplesPerRecord == 1500)
        #expect(sim.signals[8].samplesPerRecord == 4)
    }
}
