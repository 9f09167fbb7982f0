// SPDX-License-Identifier: MIT
import CAllocationCounter
import CrampCore
import Foundation
import Testing

/// `SessionFeaturePipeline` as a whole: mains choice, strides and their baseline, determinism,
/// low rates, mixed rates, bad input, allocations.
@Suite struct SessionPipelineTests {
    static func emg(_ label: String, _ rate: Double) -> SessionChannel {
        SessionChannel(label: label, kind: .emg, sampleRate: Hertz(rate), physicalRange: -5000...5000)
    }

    static func hum(_ frequency: Double, rate: Double, count: Int, amplitude: Double = 60) -> [Float] {
        (0..<count).map { i in
            let t = Double(i) / rate
            return Float(amplitude * (sin(2 * .pi * frequency * t) + 0.3 * sin(2 * .pi * 3 * frequency * t + 1)))
        }
    }

    @Test(arguments: [(MainsFrequency.hz50, 2000.0), (.hz60, 1000.0), (nil, 2000.0)] as [(MainsFrequency?, Double)])
    func detectsTheGridFromTheFirstSecondsAndNotchesIt(grid: MainsFrequency?, rate: Double) throws {
        var x = SyntheticEMG(rate: rate, seconds: 10, seed: 2).signal()
        if let grid {
            let h = Self.hum(Double(grid.rawValue), rate: rate, count: x.count)
            for i in x.indices { x[i] += h[i] }
        }
        let out = try runPipeline(MemorySession(channels: [Self.emg("EMG gastroc L", rate)], signals: [x]))
        let mains = try #require(out.mains)
        #expect(mains.frequency == grid)
        #expect(mains.examinedUntil == .seconds(4))
        let status = try #require(out.statuses[0])
        #expect(status.design.notchFrequencies.first?.value == grid.map { Double($0.rawValue) })
        // Events come in order: mains, channel, then features; the held-back first seconds are
        // processed too, so windows start at the first sample.
        guard case .mains = out.events.first else { Issue.record("first event is not the mains decision"); return }
        #expect(out.windows.first?.features.sampleRange.lowerBound == 0)
        #expect(out.windows.count == (x.count - status.window.length) / status.window.hop + 1)
    }

    @Test func aSessionShorterThanTheDetectionSpanIsStillAnalysed() throws {
        // 2.5 s: too short for one mains estimate (4 s); `finish` decides on what it has (no
        // notch) and processes the held-back samples.
        let rate = 1000.0
        var x = SyntheticEMG(rate: rate, seconds: 2.5).signal()
        let h = Self.hum(50, rate: rate, count: x.count)
        for i in x.indices { x[i] += h[i] }
        let out = try runPipeline(MemorySession(channels: [Self.emg("EMG gastroc L", rate)], signals: [x]))
        #expect(out.mains?.frequency == nil && out.mains?.lineRatio50 == nil)
        #expect(out.mains?.examinedUntil == .seconds(2.5))
        #expect(out.windows.count == (2500 - 252) / 63 + 1)
    }

    @Test func fixedAndOffSettingsNeedNoDetection() throws {
        let x = SyntheticEMG(rate: 1000, seconds: 3).signal()
        for (setting, notches) in [(MainsSetting.fixed(.hz50), 9), (.fixed(.hz60), 7), (.off, 0)] {
            var c = SessionFeatureConfiguration()
            c.mains = setting
            let out = try runPipeline(MemorySession(channels: [Self.emg("EMG soleus R", 1000)], signals: [x]), configuration: c)
            #expect(out.mains?.lineRatio50 == nil)
            #expect(out.statuses[0]?.design.notchFrequencies.count == notches)
        }
    }

    /// The issue's pitfall: a narrow notch rings after every burst, and a plain RMS of the
    /// interval between bursts would report the ringing as baseline.
    @Test(arguments: [(50.0, 2000.0, false), (50.0, 1000.0, true), (60.0, 2000.0, true)])
    func notchRingingDoesNotInflateTheInterBurstBaseline(mains: Double, rate: Double, withHum: Bool) throws {
        let emg = SyntheticEMG(rate: rate, seconds: 30, baselineRMS: 3, seed: 9)
        let clean = emg.signal()
        var notchedInput = clean
        if withHum {
            let h = Self.hum(mains, rate: rate, count: clean.count, amplitude: 40)
            for i in notchedInput.indices { notchedInput[i] += h[i] }
        }
        func baselines(_ x: [Float], _ setting: MainsSetting) throws -> [Double] {
            var c = SessionFeatureConfiguration()
            c.mains = setting
            c.strides.baseline = .sessionTime(from: .seconds(2), to: .seconds(20))
            let out = try runPipeline(MemorySession(channels: [Self.emg("EMG gastroc L", rate)], signals: [x]), configuration: c)
            return out.strides(0).compactMap { $0.baselineRMS.map(Double.init) }
        }
        let grid: MainsFrequency = mains == 50 ? .hz50 : .hz60
        let reference = try #require(median(try baselines(clean, .off)))
        let notched = try baselines(notchedInput, .fixed(grid))
        #expect(notched.count >= 30)
        let robust = try #require(median(notched))
        #expect(abs(robust / reference - 1) <= 0.15, "notched baseline \(robust) µV vs \(reference) µV without notch")

        // The naive measure — RMS of the middle half of each interval of the notched signal — is
        // inflated: the effect this estimator exists for.
        var conditioner = try EMGConditioner(sampleRate: Hertz(rate), configuration: .init(mains: grid))
        var y = notchedInput
        conditioner.process(&y)
        var naive: [Double] = []
        for onset in emg.burstOnsets.dropFirst() where onset + emg.periodSeconds < emg.seconds {
            let a = Int((onset + emg.burstSeconds + 0.25 * (emg.periodSeconds - emg.burstSeconds)) * rate)
            let b = Int((onset + emg.periodSeconds - 0.25 * (emg.periodSeconds - emg.burstSeconds)) * rate)
            naive.append((y[a..<b].reduce(0) { $0 + Double($1) * Double($1) } / Double(b - a)).squareRoot())
        }
        let inflated = try #require(median(naive))
        #expect(inflated >= 1.5 * reference, "naive \(inflated) µV vs \(reference) µV: the ringing should show")
    }

    @Test func stridesFollowTheCadenceAndStopWhenTheRunnerStops() throws {
        let rate = 1000.0
        let emg = SyntheticEMG(rate: rate, seconds: 40, periodSeconds: 0.7, seed: 4)
        var x = emg.signal()
        // After 25 s the runner stands: no bursts, cadence 0.
        var quiet = GaussianNoise(seed: 99)
        for i in Int(25 * rate)..<x.count { x[i] = Float(3 * quiet.next()) }
        let cadence = (0..<160).map { Float($0 < 100 ? 120 / 0.7 : 0) }  // 4 Hz
        let session = MemorySession(
            channels: [Self.emg("EMG gastroc L", rate), SessionChannel(label: "Cadence", sampleRate: Hertz(4))],
            signals: [x, cadence])
        let out = try runPipeline(session)
        let strides = out.strides(0)
        #expect(strides.count >= 30)
        #expect(strides.allSatisfy { $0.periodSource == .cadence && abs(seconds($0.expectedPeriod) - 0.7) < 1e-6 })
        #expect(strides.allSatisfy { seconds($0.startTime) < 25 })
        for s in strides {
            #expect(abs(seconds(s.duration) - 0.7) < 0.03)
            #expect(s.baselineRMS.map { $0 > 1 && $0 < 6 } == true, "baseline \(s.baselineRMS ?? -1)")
            #expect(s.activeBurst.spectral != nil)
        }
    }

    @Test func strideRateFromTheEMGAloneAndTheRunnersBaseline() throws {
        let rate = 2000.0
        // 60 s at 0.68 s per stride; from 40 s the inter-stride baseline rises to 4×.
        let emg = SyntheticEMG(rate: rate, seconds: 60, periodSeconds: 0.68, seed: 6)
        let x = emg.signal { t in t < 40 ? 1 : 1 + 3 * min(1, (t - 40) / 10) }
        var c = SessionFeatureConfiguration()
        c.strides.baseline = .sessionTime(from: .seconds(5), to: .seconds(30))
        let out = try runPipeline(MemorySession(channels: [Self.emg("EMG gastroc L", rate)], signals: [x]), configuration: c)
        let strides = out.strides(0)
        #expect(strides.allSatisfy { $0.periodSource == .emg })
        let durations = strides.map { seconds($0.duration) }
        #expect(abs(try #require(median(durations)) - 0.68) < 0.01)
        #expect(strides.count >= Int(55 / 0.68))
        let estimated = strides.map { seconds($0.expectedPeriod) }
        #expect(estimated.allSatisfy { abs($0 - 0.68) < 0.03 }, "\(Set(estimated.map { ($0 * 1000).rounded() }))")
        // Relative features appear once the baseline strides are in; the baseline rise shows.
        let baseline = try #require(out.strides.first { $0.baseline != nil }?.baseline)
        #expect(baseline.strides >= 30)
        let before = strides.filter { (30..<40).contains(seconds($0.startTime)) }.compactMap { $0.relative?.baselineRMS }
        let after = strides.filter { seconds($0.startTime) >= 52 }.compactMap { $0.relative?.baselineRMS }
        #expect(abs(try #require(median(before)) - 1) < 0.15)
        #expect(try #require(median(after)) > 3)
        #expect(strides.filter { seconds($0.startTime) < 30 }.allSatisfy { $0.relative == nil })
    }

    @Test func sameEventsWhateverTheBlockSizes() throws {
        let rate = 2000.0
        let a = SyntheticEMG(rate: rate, seconds: 20, seed: 1).signal()
        let b = SyntheticEMG(rate: rate, seconds: 20, phaseSeconds: 0.55, seed: 2).signal()
        var x = a
        let h = Self.hum(50, rate: rate, count: x.count, amplitude: 30)
        for i in x.indices { x[i] += h[i] }
        let session = MemorySession(channels: [Self.emg("EMG gastroc L", rate), Self.emg("EMG gastroc R", rate)], signals: [x, b])
        let one = try runPipeline(session, blockSeconds: 1)
        let small = try runPipeline(session, blockSeconds: 0.0185)
        #expect(one.mains == small.mains)
        #expect(one.windows.count == small.windows.count)
        if let i = one.windows.indices.first(where: { $0 < small.windows.count && one.windows[$0] != small.windows[$0] }) {
            Issue.record("window \(i) differs: \(one.windows[i]) vs \(small.windows[i])")
        }
        #expect(one.bursts == small.bursts)
        #expect(one.strides == small.strides)
        #expect(one.strides.count > 40)
    }

    @Test func lowRateEMGHasTimeFeaturesAndNoSpectra() throws {
        let rate = 200.0
        let x = SyntheticEMG(rate: rate, seconds: 20, burstSeconds: 0.35, seed: 3).signal()
        let out = try runPipeline(MemorySession(channels: [Self.emg("EMG forearm R", rate)], signals: [x]))
        let status = try #require(out.statuses[0])
        guard case .spectralFeaturesUnavailable(.rateTooLowForBand) = status.design.status else {
            Issue.record("200 Hz should be too low for the band: \(status.design.status)")
            return
        }
        #expect(!out.windows.isEmpty && out.windows.allSatisfy { $0.features.spectral == nil && $0.features.rms > 0 })
        #expect(!out.bursts.isEmpty && out.bursts.allSatisfy { $0.burst.spectral == nil })
        #expect(out.strides.allSatisfy { $0.stride.activeBurst.spectral == nil && $0.stride.relative?.meanFrequency == nil })
    }

    @Test func channelsAtTwoRatesAreAnalysedSeparately() throws {
        let fast = SyntheticEMG(rate: 2000, seconds: 12, seed: 1).signal()
        let slow = SyntheticEMG(rate: 500, seconds: 12, seed: 2).signal()
        let out = try runPipeline(MemorySession(channels: [Self.emg("EMG gastroc L", 2000), Self.emg("EMG gastroc R", 500)], signals: [fast, slow]))
        #expect(out.statuses[0]?.window.length == 500 && out.statuses[1]?.window.length == 124)
        guard case .upperEdgeLowered = out.statuses[1]!.design.status else { Issue.record("500 Hz band"); return }
        #expect(out.windows(0).count == (fast.count - 500) / 125 + 1)
        #expect(out.windows(1).count == (slow.count - 124) / 31 + 1)
        #expect(!out.strides(0).isEmpty && !out.strides(1).isEmpty)
    }

    @Test func nonFiniteInputIsReplacedAndCounted() throws {
        var x = SyntheticEMG(rate: 1000, seconds: 6).signal()
        x[3000] = .nan
        x[3001] = .infinity
        var pipeline = try SessionFeaturePipeline(channels: [Self.emg("EMG gastroc L", 1000)])
        var rmsValues: [Float] = []
        x.withUnsafeBufferPointer { pipeline.process(samples: $0, channel: 0) { if case .window(let w) = $0 { rmsValues.append(w.features.rms) } } }
        pipeline.finish { _ in }
        #expect(pipeline.nonFiniteSamples == 2)
        #expect(!rmsValues.isEmpty && rmsValues.allSatisfy(\.isFinite))
    }

    @Test func rejectsAnEMGChannelWithoutARate() {
        #expect(throws: FeatureConfigurationError.invalidChannel(index: 1, reason: "an EMG channel needs a finite, positive sample rate")) {
            try SessionFeaturePipeline(channels: [Self.emg("EMG gastroc L", 1000), SessionChannel(label: "EMG soleus L", sampleRate: nil)])
        }
    }

    @Test(.enabled(if: crampd_allocation_counting_available() == 1, "allocation counting needs glibc"))
    func processingAllocatesNothingPerSample() throws {
        let rate = 2000.0
        let signals = (0..<8).map { SyntheticEMG(rate: rate, seconds: 40, phaseSeconds: 0.1 * Double($0), seed: UInt64($0)).signal() }
        let channels = (0..<8).map { Self.emg("EMG gastroc \($0 % 2 == 0 ? "L" : "R")", rate) }
        var c = SessionFeatureConfiguration()
        c.mains = .fixed(.hz50)
        c.strides.baseline = .sessionTime(from: .seconds(1), to: .seconds(10))
        var pipeline = try SessionFeaturePipeline(channels: channels, configuration: c)
        var counts = (windows: 0, bursts: 0, strides: 0)
        let block = 250
        func feed(_ range: Range<Int>) {
            var start = range.lowerBound
            while start < range.upperBound {
                for ch in 0..<8 {
                    signals[ch].withUnsafeBufferPointer { x in
                        pipeline.process(samples: UnsafeBufferPointer(rebasing: x[start..<(start + block)]), channel: ch) { e in
                            switch e {
                            case .window: counts.windows += 1
                            case .burst: counts.bursts += 1
                            case .stride: counts.strides += 1
                            default: break
                            }
                        }
                    }
                }
                start += block
            }
        }
        feed(0..<Int(20 * rate))  // warm-up: every path taken once, the baseline established
        counts = (0, 0, 0)
        crampd_allocation_counting_begin()
        feed(Int(20 * rate)..<Int(40 * rate))
        let allocations = crampd_allocation_counting_end()
        #expect(counts.windows == 8 * 320 && counts.bursts > 200 && counts.strides > 200)
        #expect(allocations == 0)
    }
}
