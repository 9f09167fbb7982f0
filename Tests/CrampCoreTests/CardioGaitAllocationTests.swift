// SPDX-License-Identifier: MIT
import CAllocationCounter
import CrampCore
import Testing

/// `CardioGaitTracker` allocates nothing per sample, per snapshot or per event once created:
/// counted over 40 minutes of a synthetic run (1 Hz HR, cadence and speed, every RR interval,
/// a snapshot every second, DFA every 10 beats, a surge, a walk break and a stop, the
/// decoupling record's first decimation).
@Suite(.enabled(if: crampd_allocation_counting_available() == 1, "allocation counting needs glibc"))
struct CardioGaitAllocationTests {
    @Test func trackerAllocatesNothing() throws {
        let samples = SyntheticRun.samples(seconds: 3600)
        let warmUp = samples.firstIndex { $0.timeSeconds >= 1200 }!
        var tracker = try CardioGaitTracker(configuration: .init(decoupling: .init(startSeconds: 0)))
        var counter = OutputCounter()
        func feed(_ range: Range<Int>) {
            // Index loop: iterating an Array with for-in allocates in debug builds.
            for i in range {
                let s = samples[i]
                switch s.kind {
                case .hr: tracker.hr(timeSeconds: s.timeSeconds, beatsPerMinute: s.value) { counter.add($0) }
                case .rr: tracker.rr(timeSeconds: s.timeSeconds, milliseconds: s.value) { counter.add($0) }
                case .cadence: tracker.cadence(timeSeconds: s.timeSeconds, perMinute: s.value) { counter.add($0) }
                case .speed: tracker.speed(timeSeconds: s.timeSeconds, metresPerSecond: s.value) { counter.add($0) }
                }
            }
        }
        feed(0..<warmUp)
        counter = OutputCounter()
        let allocations = AllocationTests.countAllocations { feed(warmUp..<samples.count) }
        let last = samples.last!.timeSeconds.rounded(.down)
        #expect(counter.snapshots == Int(last) - 1200 + 1, "one a second from 1200 s")
        #expect(counter.events == 6, "surge, walk break and stop, started and ended")
        #expect(counter.alphas > 2000)
        #expect(allocations == 0)
    }
}

private struct OutputCounter {
    var snapshots = 0
    var events = 0
    var alphas = 0

    mutating func add(_ output: CardioGaitOutput) {
        switch output {
        case let .snapshot(s):
            snapshots += 1
            if s.dfaAlpha1 != nil { alphas += 1 }
        case .event:
            events += 1
        }
    }
}
