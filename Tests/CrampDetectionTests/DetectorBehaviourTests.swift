// SPDX-License-Identifier: MIT
import CAllocationCounter
import CrampCore
import Foundation
import Testing

/// The detector on simulated sessions, with the confounders of real cramp-free runs injected
/// into the samples (benign twitches, the other foot's heel strikes, a stop at a traffic light,
/// sustained clipping, a dead electrode) and on cramps: what it must say, and what it must not.
@Suite struct DetectorBehaviourTests {
    // MARK: - Cramps

    @Test func calfCrampIsWarnedThenDetectedWithinASecondAndAHalf() throws {
        let s = try MemorySession("calf-cramp", seed: 11, duration: 720, sites: [.gastroc])
        let events = try s.detect()
        let crampText = s.annotations.first { $0.text.hasPrefix("cramp onset") }!.text
        guard case let .crampOnset(site, side) = GroundTruth(text: crampText) else { Issue.record("no cramp"); return }
        let onset = s.onsets(crampText)[0]
        let own = events.alerts.filter { $0.site == site && $0.side == side }
        let warning = try #require(own.first { $0.level == .warning }, "a warning before the cramp")
        #expect(warning.sessionSeconds < onset && warning.sessionSeconds > onset - 300)
        #expect(warning.evidence.contains { $0.feature == "inter_stride_rms" && $0.value >= $0.threshold })
        let cramp = try #require(own.first { $0.level == .cramp })
        #expect(cramp.sessionSeconds - onset >= -2 && cramp.sessionSeconds - onset <= 1.5,
                "cramp alert at \(cramp.sessionSeconds) for an onset at \(onset)")
        #expect(cramp.risk == 1)
        #expect(cramp.advice.step.contains("toes toward your shin"))
        #expect(cramp.advice.escalation?.contains("medical") == true)
        #expect(!(cramp.advice.escalation ?? "").contains("Stop the run"), "a first cramp in one muscle does not end the run")
        let clear = try #require(own.first { $0.level == .clear && $0.sessionSeconds > cramp.sessionSeconds })
        #expect(clear.advice.step.contains("Resume slowly"))
        // The other calf stops too (the runner stands): no prodrome, no cramp there.
        #expect(events.warningsAndCramps.allSatisfy { $0.site == site && $0.side == side })
        let summary = try #require(events.summary)
        #expect(summary.cramps.count == 1 && summary.cramps[0].site == site && summary.cramps[0].endSeconds != nil)
        #expect(summary.warnings == 1)
        #expect(summary.prevention == AdvicePlaybook.standard.prevention)
    }

    @Test func secondCrampEscalatesToStoppingTheRun() throws {
        let s = try MemorySession("two-cramps", seed: 12, duration: 1200, sites: [.gastroc])
        let events = try s.detect()
        let cramps = events.alerts.filter { $0.level == .cramp }
        #expect(cramps.count == 2, "\(cramps.map(\.sessionSeconds)) for onsets \(s.annotations.filter { $0.text.hasPrefix("cramp onset") })")
        let first = try #require(cramps.first), last = try #require(cramps.last)
        #expect(first.advice.escalation?.contains("Stop the run") == false)
        #expect(last.advice.escalation?.contains("Stop the run") == true)
    }

    @Test func hamstringCrampAdviceTightensTheThigh() throws {
        let s = try MemorySession("hamstring-cramp", seed: 13, duration: 720, sites: [.hamstring])
        let cramp = try #require(try s.detect().alerts.first { $0.level == .cramp })
        #expect(cramp.site == .hamstring)
        #expect(cramp.advice.step.contains("quadriceps"))
    }

    // MARK: - Confounders of cramp-free runs

    /// Isolated involuntary bursts, about two a minute in every muscle from the start: they
    /// happen in healthy runs and are not a prodrome.
    @Test func benignIsolatedTwitchesRaiseNoWarning() throws {
        var s = try MemorySession("long-fatigue", seed: 21, duration: 900, sites: [.gastroc, .soleus])
        var noise = InjectedNoise(seed: 21)
        for i in s.signals.indices where s.signals[i].descriptor.kind == .emg {
            let fs = s.rate(i)
            var t = 20 + 30 * noise.uniform()
            while t < Double(s.durationSeconds) - 1 {
                let length = Int((0.05 + 0.1 * noise.uniform()) * fs)
                let amplitude = 80 + 70 * noise.uniform()
                let start = Int(t * fs)
                for n in 0..<length {
                    let u = Double(n) / Double(length)
                    s.samples[i][start + n] += Float(amplitude * 4 * u * (1 - u) * noise.gaussian())
                }
                t += 15 + 30 * noise.uniform()
            }
        }
        let events = try s.detect()
        #expect(events.warningsAndCramps.isEmpty, "\(events.warningsAndCramps.map { ($0.sessionSeconds, $0.level, $0.site!) })")
    }

    /// A transient at each heel strike of the other foot, picked up by the calf electrode in
    /// the middle of its quiet phase: locked to the gait, there from the start, not a prodrome.
    @Test func heelStrikesOfTheOtherFootRaiseNoProdrome() throws {
        var s = try MemorySession("long-fatigue", seed: 22, duration: 900, sites: [.gastroc])
        // First pass: the left calf's strides (gait-burst onsets) from the feature pipeline.
        let left = s.index(.emg(.gastroc, .left))
        var pipeline = try SessionFeaturePipeline(channels: s.channels)
        var strides: [(start: Double, duration: Double)] = []
        let n = s.signals[left].samplesPerRecord
        for second in 0..<s.durationSeconds {
            for i in s.signals.indices {
                let m = s.signals[i].samplesPerRecord
                s.samples[i].withUnsafeBufferPointer { all in
                    pipeline.process(samples: UnsafeBufferPointer(rebasing: all[(second * m)..<((second + 1) * m)]), channel: i) {
                        if case .stride(let r) = $0, r.channel == left {
                            strides.append((r.stride.startTime.inSecondsForTests, r.stride.duration.inSecondsForTests))
                        }
                    }
                }
            }
        }
        #expect(strides.count > 500)
        // The other foot lands about 0.62 of a stride after the calf burst's onset (the burst
        // starts 0.12 of a stride before this foot's contact).
        let fs = Double(n)
        for st in strides {
            let start = Int((st.start + 0.62 * st.duration) * fs)
            let tau = 0.010 * fs
            for k in 0..<Int(8 * tau) where start + k < s.samples[left].count {
                let u = Double(k) / tau
                s.samples[left][start + k] += Float(400 * u * Foundation.exp(1 - u))
            }
        }
        let events = try s.detect()
        #expect(events.warningsAndCramps.filter { $0.site == .gastroc && $0.side == .left }.isEmpty,
                "\(events.warningsAndCramps.map { ($0.sessionSeconds, $0.level) })")
    }

    /// Forty seconds standing still mid-run: the gait bursts stop, the muscles are quiet, the
    /// cadence reads 0, then the run goes on.
    @Test func standingStillAtATrafficLightIsNoProdrome() throws {
        var s = try MemorySession("long-fatigue", seed: 23, duration: 900, sites: [.gastroc, .soleus])
        var noise = InjectedNoise(seed: 23)
        let (from, to) = (600.0, 640.0)
        for i in s.signals.indices {
            let fs = s.rate(i)
            let range = Int(from * fs)..<Int(to * fs)
            switch s.signals[i].descriptor.kind {
            case .emg: for k in range { s.samples[i][k] = Float(3 * noise.gaussian()) }
            case .cadence, .speed: for k in range { s.samples[i][k] = 0 }
            default: break
            }
        }
        let events = try s.detect()
        #expect(events.warningsAndCramps.isEmpty, "\(events.warningsAndCramps.map { ($0.sessionSeconds, $0.level, $0.site!) })")
    }

    /// A minute of an electrode pinned at the converter's limit, swinging with the stride:
    /// sustained and loud, and never a cramp; a sensor fault on, then off.
    @Test func sustainedClippingIsNeverACramp() throws {
        var s = try MemorySession("long-fatigue", seed: 24, duration: 720, sites: [.gastroc])
        let left = s.index(.emg(.gastroc, .left))
        let fs = s.rate(left)
        let (from, to) = (420.0, 480.0)
        for k in Int(from * fs)..<Int(to * fs) {
            let t = Double(k) / fs
            let x = Double(s.samples[left][k]) + 6000 * (1 + 0.15 * Foundation.sin(2 * Double.pi * t / 0.7))
            s.samples[left][k] = Float(min(5000, max(-5000, x)))
        }
        let events = try s.detect()
        let faults = events.sensors.filter { $0.fault == .saturation && $0.channel == .emg(.gastroc, .left) }
        let on = try #require(faults.first { $0.active })
        #expect(on.sessionSeconds >= from && on.sessionSeconds <= from + 3)
        let off = try #require(faults.first { !$0.active })
        #expect(off.sessionSeconds > to && off.sessionSeconds <= to + 10)
        #expect(events.warningsAndCramps.isEmpty, "\(events.warningsAndCramps.map { ($0.sessionSeconds, $0.level, $0.site!) })")
    }

    /// An electrode that goes dead (quantisation noise around an offset) for a while.
    @Test func deadElectrodeRaisesASensorFaultForItsDuration() throws {
        var s = try MemorySession("long-fatigue", seed: 25, duration: 720, sites: [.gastroc])
        let right = s.index(.emg(.gastroc, .right))
        let fs = s.rate(right)
        var noise = InjectedNoise(seed: 25)
        for k in Int(300 * fs)..<Int(400 * fs) { s.samples[right][k] = 120 + Float(0.05 * noise.gaussian()) }
        let events = try s.detect()
        let faults = events.sensors.filter { $0.channel == .emg(.gastroc, .right) }
        #expect(faults.contains { $0.fault == .dead && $0.active && $0.sessionSeconds >= 300 && $0.sessionSeconds < 302 })
        #expect(faults.contains { $0.fault == .dead && !$0.active && $0.sessionSeconds > 400 && $0.sessionSeconds < 410 })
        #expect(faults.first { $0.active }?.advice.contains("Check the gastroc R electrode") == true)
        #expect(events.warningsAndCramps.isEmpty)
        #expect(events.summary?.sensorFaults ?? 0 >= 1)
    }

    // MARK: - Without EMG

    /// Heart rate and cadence alone (a watch file): fatigue context at most, never a warning
    /// or a cramp, and the summary says what could not be seen.
    @Test func sessionWithoutEMGGetsAtMostASessionLevelWatch() throws {
        var s = try MemorySession("hot-run", seed: 31, duration: 3600, sites: [.gastroc])
        let keep = s.signals.indices.filter { s.signals[$0].descriptor.kind != .emg }
        s.signals = keep.map { s.signals[$0] }
        s.samples = keep.map { s.samples[$0] }
        let events = try s.detect()
        #expect(events.alerts.allSatisfy { $0.level == .watch || $0.level == .clear })
        #expect(events.alerts.allSatisfy { $0.site == nil && $0.side == nil })
        #expect(events.alerts.contains { $0.level == .watch }, "an hour in the heat drifts")
        let watch = try #require(events.alerts.first { $0.level == .watch })
        #expect(watch.evidence.contains { $0.feature == "cardiac_drift" && $0.value >= $0.threshold })
        #expect(watch.advice.why.contains("cannot see a cramp"))
        let summary = try #require(events.summary)
        #expect(summary.message.contains("a cramp cannot be seen"))
        #expect(summary.peakRisks.isEmpty)
    }

    // MARK: - Determinism and cost

    @Test func sameSamplesGiveTheSameEvents() throws {
        let s = try MemorySession("calf-cramp", seed: 41, duration: 480, sites: [.gastroc])
        #expect(try s.detect() == s.detect())
    }

    @Test(.enabled(if: crampd_allocation_counting_available() == 1, "allocation counting needs glibc"))
    func detectorAllocatesNothingPerSampleOrWindow() throws {
        let s = try MemorySession("long-fatigue", seed: 42, duration: 420, sites: [.gastroc, .soleus])
        var detector = try CrampDetector(channels: s.channels)
        var events = 0
        func run(_ seconds: Range<Int>) {
            for second in seconds {
                for i in s.signals.indices {
                    let n = s.signals[i].samplesPerRecord
                    s.samples[i].withUnsafeBufferPointer { all in
                        detector.process(samples: UnsafeBufferPointer(rebasing: all[(second * n)..<((second + 1) * n)]),
                                         channel: i) { _ in events += 1 }
                    }
                }
            }
        }
        run(0..<330)  // warm-up: mains decision, the runner's baselines (60-300 s) established
        // Only alerts allocate (their evidence and advice): measure 30 s spans until one has none.
        var measured = false
        for start in stride(from: 330, to: 420, by: 30) {
            events = 0
            crampd_allocation_counting_begin()
            run(start..<(start + 30))
            let allocations = crampd_allocation_counting_end()
            guard events == 0 else { continue }
            measured = true
            #expect(allocations == 0, "\(allocations) allocations in \(start)-\(start + 30) s")
        }
        #expect(measured, "a span without alerts to measure")
    }
}

extension Duration {
    var inSecondsForTests: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}
