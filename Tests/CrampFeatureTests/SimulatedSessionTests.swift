// SPDX-License-Identifier: MIT
import CrampCore
import Foundation
import Testing

/// The bundled simulated runs (docs/SIMULATOR.md): what the per-stride features show before and
/// during a cramp, and on a cramp-free run. The simulator's ground truth is read from the
/// annotations; the pipeline never sees them.
@Suite(.serialized) struct SimulatedSessionTests {
    /// Median of `value` over the strides of `channel` starting in `range` (seconds).
    static func strideMedian(_ out: PipelineOutput, _ channel: Int, _ range: Range<Double>, _ value: (StrideFeatures) -> Double?) -> Double? {
        median(out.strides(channel).filter { range.contains(seconds($0.startTime)) }.compactMap(value))
    }

    @Test func calfCrampProdromeRaisesTheInterStrideBaselineAndStridesStopDuringTheCramp() throws {
        let session = try MemorySession(edf: TestData.recording("sim-calf-cramp-s1.edf"))
        let prodrome = try #require(session.annotations.first { $0.text == "prodrome gastroc L" })
        let onset = try #require(session.annotations.first { $0.text == "cramp onset gastroc L" }).onsetSeconds
        let end = try #require(session.annotations.first { $0.text == "cramp end gastroc L" }).onsetSeconds
        #expect(abs(prodrome.onsetSeconds + prodrome.durationSeconds! - onset) < 0.01)
        let out = try runPipeline(session)
        let gastrocL = try #require(session.index(of: "EMG gastroc L"))

        // The runner's baseline is established from the strides of 60–300 s.
        let baseline = try #require(out.strides.first { $0.channel == gastrocL && $0.baseline != nil }?.baseline)
        #expect(seconds(baseline.establishedAt) >= 300 && seconds(baseline.establishedAt) < 302)
        #expect(baseline.strides >= 300)

        // Before the prodrome the baseline is the runner's own; in its last 20 s it is several
        // times higher (the simulator raises the tonic baseline 3–6×).
        let before = try #require(Self.strideMedian(out, gastrocL, 300..<prodrome.onsetSeconds) { $0.relative?.baselineRMS })
        let late = try #require(Self.strideMedian(out, gastrocL, (onset - 20)..<onset) { $0.relative?.baselineRMS })
        #expect(abs(before - 1) < 0.15, "before the prodrome: ×\(before)")
        #expect(late >= 2.5, "last 20 s of the prodrome: ×\(late)")
        // Rising through the prodrome, third by third.
        let third = prodrome.durationSeconds! / 3
        let thirds = try (0..<3).map { k in
            try #require(Self.strideMedian(out, gastrocL, (prodrome.onsetSeconds + Double(k) * third)..<(prodrome.onsetSeconds + Double(k + 1) * third)) { $0.baselineRMS.map(Double.init) })
        }
        #expect(thirds[0] < thirds[1] && thirds[1] < thirds[2], "\(thirds)")
        // Twitches between strides: extra bursts appear in the prodrome, not before.
        let twitches = out.strides(gastrocL).filter { (prodrome.onsetSeconds..<onset).contains(seconds($0.startTime)) }.map(\.extraBursts).reduce(0, +)
        let earlier = out.strides(gastrocL).filter { ((prodrome.onsetSeconds - 60)..<prodrome.onsetSeconds).contains(seconds($0.startTime)) }.map(\.extraBursts).reduce(0, +)
        #expect(twitches >= 5 && earlier <= 1, "extra bursts: \(twitches) in the prodrome, \(earlier) before")

        // The other calf muscles keep their baseline.
        for label in ["EMG gastroc R", "EMG soleus L", "EMG soleus R"] {
            let c = try #require(session.index(of: label))
            let other = try #require(Self.strideMedian(out, c, (onset - 20)..<onset) { $0.relative?.baselineRMS })
            #expect(other > 0.7 && other < 1.4, "\(label): ×\(other)")
        }

        // During the cramp there are no strides: the runner stops and the muscle fires without
        // gait rhythm. No channel starts a stride between onset and end (the other legs' last
        // stride may end just after the onset: the runner slows down over one stride); the
        // cramping muscle's last stride ends before it.
        for c in session.channels.indices where session.channels[c].kind == .emg {
            let during = out.strides(c).filter { (onset..<end).contains(seconds($0.startTime)) }
            #expect(during.isEmpty, "\(session.channels[c].label): \(during.count) strides start during the cramp")
        }
        #expect(out.strides(gastrocL).allSatisfy { seconds($0.endTime) <= onset || seconds($0.startTime) >= end })
        // The cramp itself is sustained activity on gastroc L: a long burst.
        #expect(out.bursts(gastrocL).contains { seconds($0.onsetTime) >= onset - 2 && seconds($0.onsetTime) < onset + 5 && seconds($0.duration) > 5 })
    }

    @Test func crampFreeRunKeepsEveryBaselineNearTheRunnersOwn() throws {
        let session = try MemorySession(edf: TestData.recording("sim-cramp-free-s2.edf"))
        #expect(!session.annotations.contains { $0.text.hasPrefix("cramp") || $0.text.hasPrefix("prodrome") })
        let out = try runPipeline(session)
        for c in session.channels.indices where session.channels[c].kind == .emg {
            let strides = out.strides(c).filter { $0.relative != nil }
            #expect(strides.count > 200)
            // Every 20 s stretch: the median inter-burst baseline stays near the start's.
            for start in stride(from: 300.0, to: 460, by: 20) {
                guard let m = Self.strideMedian(out, c, start..<(start + 20), { $0.relative?.baselineRMS }) else { continue }
                #expect(m > 0.7 && m < 1.5, "\(session.channels[c].label) at \(start) s: ×\(m)")
            }
            // Fatigue shows in the active phase instead: MNF lower at the end than at the start.
            let mnfEnd = Self.strideMedian(out, c, 420..<480) { $0.relative?.meanFrequency }
            #expect(mnfEnd.map { $0 < 1 } == true, "\(session.channels[c].label): relative MNF at the end \(mnfEnd ?? -1)")
        }
    }

    @Test func strideRateFromTheEMGAloneMatchesTheCadence() throws {
        let session = try MemorySession(edf: TestData.recording("sim-calf-cramp-s1.edf"))
        let cadence = session.signals[try #require(session.index(of: "Cadence"))]
        // Steady running between 60 s and 300 s (4 Hz cadence samples).
        let running = cadence[240..<1200].map(Double.init)
        let spm = try #require(median(running))
        let out = try runPipeline(session.removing(["Cadence", "HR", "Speed"]))
        for c in 0..<4 {
            let strides = out.strides(c).filter { (60..<300).contains(seconds($0.startTime)) }
            #expect(strides.count > 250)
            #expect(strides.allSatisfy { $0.periodSource == .emg })
            let duration = try #require(median(strides.map { seconds($0.duration) }))
            let rate = 60 / duration
            #expect(abs(rate - spm / 2) <= 0.02 * spm / 2, "\(session.channels[c].label): \(rate) strides/min vs cadence \(spm) steps/min")
        }
    }
}
