// SPDX-License-Identifier: MIT
import CrampCore
import CrampSimulator
import Testing

/// Physiology measured on the generated signals (not read back from model parameters).
@Suite struct PhysiologyTests {
    // MARK: Fatigue

    /// Long run: burst RMS up 20–40 % and mean frequency down 10–25 % from early to late.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func fatigueRaisesBurstRMSAndLowersMeanFrequency(seed: UInt64) throws {
        let s = try generate("long-fatigue", seed: seed, duration: 600, sites: [.gastroc])
        let T = Double(s.durationSeconds)
        for side in BodySide.allCases {
            let d = ChannelDescriptor.emg(.gastroc, side)
            let early = s.slice(d, 0.12 * T, 0.20 * T), late = s.slice(d, 0.93 * T, 0.99 * T)
            let rmsRatio = burstRMS(late, sampleRate: 1000) / burstRMS(early, sampleRate: 1000)
            let mnfRatio = meanFrequency(late, sampleRate: 1000) / meanFrequency(early, sampleRate: 1000)
            #expect((1.18...1.42).contains(rmsRatio), "burst RMS ratio \(rmsRatio)")
            #expect((0.75...0.90).contains(mnfRatio), "MNF ratio \(mnfRatio)")
            let fresh = meanFrequency(early, sampleRate: 1000)
            #expect((80...150).contains(fresh), "fresh MNF \(fresh) Hz")
        }
    }

    // MARK: Gait

    /// Bursts repeat at the stride period given by the cadence channel, left and right half a
    /// stride apart.
    @Test(arguments: [4, 8] as [UInt64])
    func burstsAreGaitLockedAtTheStrideRate(seed: UInt64) throws {
        let s = try generate("long-fatigue", seed: seed, duration: 300, sites: [.gastroc, .hamstring])
        let (from, to) = (100.0, 115.0)  // steady running, after the warm-up
        let cadence = mean(s.slice(.cadence, from, to))
        #expect((160...185).contains(cadence))
        let stride = 120 / cadence  // s
        for site in [MuscleSite.gastroc, .hamstring] {
            let l = windowRMS(s.slice(.emg(site, .left), from, to), width: 10)
            let r = windowRMS(s.slice(.emg(site, .right), from, to), width: 10)
            let period = Double(peakLag(l, l, lags: 40...120)) / 100
            #expect(abs(period - stride) / stride < 0.04, "\(site) burst period \(period) s, stride \(stride) s")
            let shift = Double(peakLag(l, r, lags: 0...Int(stride * 100))) / 100
            #expect(abs(shift - stride / 2) / stride < 0.08, "\(site) L→R shift \(shift) s, half stride \(stride / 2) s")
        }
    }

    /// Cadence: steady 160–185 with noise, a late sag, and walk breaks at 105–125 without
    /// running bursts.
    @Test func cadenceIsSteadyThenSagsAndWalkBreaksAreSlow() throws {
        let s = try generate("long-fatigue", seed: 21, duration: 900, sites: [.gastroc])
        let T = Double(s.durationSeconds)
        let mid = s.slice(.cadence, 0.3 * T, 0.5 * T)
        let m = mean(mid)
        #expect((160...185).contains(m))
        let sd = (mid.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(mid.count)).squareRoot()
        #expect(sd > 0.3 && sd < 4, "cadence noise \(sd)")
        let late = mean(s.slice(.cadence, 0.94 * T, 0.99 * T))
        #expect(late < 0.985 * m, "late sag \(late) vs \(m)")
        let walks = s.all("walk break")
        #expect(walks.count == 2)
        let running = burstRMS(s.slice(.emg(.gastroc, .left), 0.3 * T, 0.5 * T), sampleRate: 1000)
        for w in walks {
            let (a, b) = (w.onsetSeconds + 8, w.onsetSeconds + w.durationSeconds! - 2)
            #expect((105...125).contains(mean(s.slice(.cadence, a, b))))
            #expect(mean(s.slice(.speed, a, b)) < 1.8)
            #expect(burstRMS(s.slice(.emg(.gastroc, .left), a, b), sampleRate: 1000) < 0.6 * running)
        }
    }

    /// A surge raises cadence a little and speed more (stride length carries most of it).
    @Test func surgeRaisesCadenceAndSpeed() throws {
        let s = try generate("surge-cramp", seed: 3, duration: 1200, sites: [.gastroc])
        let surge = try #require(s.first("surge"))
        let (a, b) = (surge.onsetSeconds, surge.onsetSeconds + surge.durationSeconds!)
        let cadenceRatio = mean(s.slice(.cadence, a + 10, b)) / mean(s.slice(.cadence, a - 60, a))
        let speedRatio = mean(s.slice(.speed, a + 10, b)) / mean(s.slice(.speed, a - 60, a))
        #expect(cadenceRatio > 1.02 && cadenceRatio < 1.10, "\(cadenceRatio)")
        #expect(speedRatio > 1.08 && speedRatio > cadenceRatio, "\(speedRatio)")
    }

    // MARK: Heart rate

    @Test func heartRateWarmsUpAndDriftsMoreInTheHeat() throws {
        let hot = try generate("hot-run", seed: 11, duration: 3000, sites: [.tibialis])
        let temperate = try generate("artifact-dropout", seed: 11, duration: 3000, sites: [.tibialis])
        let T = 3000.0
        #expect(Double(hot.channel(.heartRate)[0]) < mean(hot.slice(.heartRate, 170, 180)) - 30)
        func drift(_ s: GeneratedSession) -> Double {
            mean(s.slice(.heartRate, 0.72 * T, 0.75 * T)) - mean(s.slice(.heartRate, 0.25 * T, 0.28 * T))
        }
        #expect(drift(hot) >= 7, "hot drift \(drift(hot))")
        #expect(drift(hot) >= drift(temperate) + 3, "hot \(drift(hot)) vs temperate \(drift(temperate))")
        #expect(drift(temperate) > 0)
    }

    @Test func heartRateFollowsIntervals() throws {
        let s = try generate("intervals", seed: 2, duration: 1800, sites: [.tibialis])
        let reps = s.all("interval")
        #expect(reps.count >= 2)
        for (i, rep) in reps.enumerated() {
            let end = rep.onsetSeconds + rep.durationSeconds!
            let work = mean(s.slice(.heartRate, end - 15, end))
            let next = i + 1 < reps.count ? reps[i + 1].onsetSeconds : end + 60
            let rest = mean(s.slice(.heartRate, next - 15, next))
            #expect(work > rest + 8, "rep \(i): work \(work) rest \(rest)")
            #expect(mean(s.slice(.speed, end - 30, end)) > mean(s.slice(.speed, next - 30, next)) * 1.3)
        }
    }

    // MARK: Prodrome and cramp

    /// Before the cramp: the inter-stride baseline rises by 100–500 % and isolated short
    /// twitches appear between strides, more of them late in the prodrome.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func prodromeRaisesBaselineAndBringsTwitches(seed: UInt64) throws {
        let s = try generate("calf-cramp", seed: seed, duration: 600, sites: [.gastroc])
        let onset = try #require(s.annotations.first { if case .crampOnset = GroundTruth(text: $0.text) { true } else { false } })
        guard case let .crampOnset(site, side) = GroundTruth(text: onset.text) else { return }
        let d = ChannelDescriptor.emg(site, side)
        let prodrome = try #require(s.first("prodrome \(site.rawValue) \(side.rawValue)"))
        let (start, t0) = (prodrome.onsetSeconds, onset.onsetSeconds)
        func baseline(_ a: Double, _ b: Double) -> Double {
            percentile(stride(from: a, to: b, by: 1).map { gapBaseline(s.slice(d, $0, $0 + 1), sampleRate: 1000) }, 0.5)
        }
        let before = baseline(start - 40, start - 5)
        let late = baseline(t0 - 5, t0 - 1)
        #expect(late / before >= 2.0 && late / before <= 6.0, "baseline \(before) → \(late) µV")

        let length = t0 - start
        let threshold = 2.5 * late
        // Before the prodrome the count is what the detector picks up at burst edges (0–3).
        let quiet = isolatedShortBursts(s.slice(d, start - length, start), threshold: threshold)
        let firstHalf = isolatedShortBursts(s.slice(d, start, start + length / 2), threshold: threshold)
        let lateHalf = isolatedShortBursts(s.slice(d, start + length / 2, t0), threshold: threshold)
        #expect(lateHalf >= 3 * max(1, quiet), "twitches: \(quiet) before, \(lateHalf) in the late prodrome")
        #expect(lateHalf > firstHalf, "twitch rate rises: \(firstHalf) then \(lateHalf)")
    }

    /// The cramp: cadence and speed 0, sustained non-gait-locked EMG far above the running
    /// baseline, HR falling.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func crampIsSustainedWhileTheRunnerStands(seed: UInt64) throws {
        let s = try generate("calf-cramp", seed: seed, duration: 600, sites: [.gastroc])
        let onset = try #require(s.annotations.first { if case .crampOnset = GroundTruth(text: $0.text) { true } else { false } })
        guard case let .crampOnset(site, side) = GroundTruth(text: onset.text) else { return }
        let end = try #require(s.first("cramp end \(site.rawValue) \(side.rawValue)"))
        let (t0, t1) = (onset.onsetSeconds, end.onsetSeconds)
        #expect(s.slice(.cadence, t0 + 5, t1).allSatisfy { $0 == 0 })
        #expect(s.slice(.speed, t0 + 5, t1).allSatisfy { $0 == 0 })

        let d = ChannelDescriptor.emg(site, side)
        let cramp = windowRMS(s.slice(d, t0 + 4, t0 + 0.7 * (t1 - t0)), width: 100)
        let running = windowRMS(s.slice(d, 200, 230), width: 100)
        let runningBaseline = gapBaseline(s.slice(d, 200, 230), sampleRate: 1000)
        let median = percentile(cramp, 0.5)
        #expect(median > 30 * runningBaseline, "cramp RMS \(median) vs baseline \(runningBaseline)")
        #expect(percentile(cramp, 0.0) > 0.3 * median, "sustained: min \(percentile(cramp, 0)) median \(median)")
        #expect(percentile(running, 0.0) < 0.1 * percentile(running, 0.9), "running bursts have silent gaps")

        let hr = s.slice(.heartRate, t0, t1)
        #expect(Double(hr.min()!) < Double(hr.first!) - 10, "HR falls while standing")
    }

    /// Two cramps: the runner resumes after the first (cadence back up) and stops again.
    @Test func runnerResumesAfterTheFirstOfTwoCramps() throws {
        let s = try generate("two-cramps", seed: 6, duration: 1200, sites: [.gastroc])
        let stops = s.all("stop")
        #expect(stops.count == 2)
        let firstEnd = stops[0].onsetSeconds + stops[0].durationSeconds!
        let walk = try #require(s.annotations.first { $0.text == "walk break" && $0.onsetSeconds >= firstEnd - 0.01 })
        let runAgain = walk.onsetSeconds + walk.durationSeconds! + 10
        #expect(mean(s.slice(.cadence, runAgain, runAgain + 10)) > 150)
        #expect(s.slice(.cadence, stops[1].onsetSeconds + 5, stops[1].onsetSeconds + 30).allSatisfy { $0 == 0 })
    }
}

/// The lag (in windows) within `lags` at which the cross-correlation of `a` and `b` (means
/// removed) peaks.
func peakLag(_ a: [Double], _ b: [Double], lags: ClosedRange<Int>) -> Int {
    let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
    var best = lags.lowerBound, bestValue = -Double.infinity
    for lag in lags {
        var sum = 0.0
        for i in 0..<(a.count - lag) { sum += (a[i] - ma) * (b[i + lag] - mb) }
        sum /= Double(a.count - lag)
        if sum > bestValue { bestValue = sum; best = lag }
    }
    return best
}

/// Counts short (20–220 ms) runs of 10-ms windows above `threshold` that stand alone: at least
/// 60 ms from any other supra-threshold window on both sides. Gait bursts are longer; twitches
/// between strides are such runs.
func isolatedShortBursts(_ x: ArraySlice<Float>, threshold: Double) -> Int {
    let above = windowRMS(x, width: 10).map { $0 > threshold }
    var runs: [(start: Int, end: Int)] = []
    var i = 0
    while i < above.count {
        if above[i] {
            var j = i
            while j + 1 < above.count && above[j + 1] { j += 1 }
            runs.append((i, j))
            i = j + 1
        } else {
            i += 1
        }
    }
    var count = 0
    for (k, r) in runs.enumerated() {
        let length = r.end - r.start + 1
        guard (2...22).contains(length) else { continue }
        let gapBefore = k == 0 ? Int.max : r.start - runs[k - 1].end - 1
        let gapAfter = k == runs.count - 1 ? Int.max : runs[k + 1].start - r.end - 1
        if gapBefore >= 6 && gapAfter >= 6 { count += 1 }
    }
    return count
}
