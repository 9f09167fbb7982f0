// SPDX-License-Identifier: MIT
import CrampCore
import Foundation
import Testing

/// `StrideSegmenter` and `GaitPeriodEstimator` on made-up bursts and envelopes.
@Suite struct StrideSegmenterTests {
    static func burst(_ onset: Int, _ length: Int, rms: Float) -> Burst {
        Burst(
            sampleRange: onset..<(onset + length), onsetTime: .seconds(Double(onset) / 1000),
            offsetTime: .seconds(Double(onset + length) / 1000), peakAmplitude: 3 * rms, rms: rms, peakEnvelope: rms,
            noiseFloor: 3)
    }

    static func segment(_ bursts: [Burst], period: Double?, settled: Int) throws -> [StrideSegmenter.Segment] {
        var s = try StrideSegmenter()
        for b in bursts { s.add(b) }
        var out: [StrideSegmenter.Segment] = []
        s.advance(settledSample: settled, periodSamples: period, oldestUsefulSample: 0) { out.append($0) }
        return out
    }

    @Test func picksTheLargestBurstOfEachPeriodAndCountsTheOthers() throws {
        // Stance bursts every 700 ms (300 µV), a pre-activation 250 ms before each (80 µV), and
        // one twitch in the middle of the fourth stride.
        var bursts: [Burst] = []
        for k in 0..<10 {
            let onset = 1000 + 700 * k
            bursts.append(Self.burst(onset - 250, 80, rms: 80))
            bursts.append(Self.burst(onset, 300, rms: 300))
            if k == 3 { bursts.append(Self.burst(onset + 450, 60, rms: 120)) }
        }
        bursts.sort { $0.sampleRange.lowerBound < $1.sampleRange.lowerBound }
        let strides = try Self.segment(bursts, period: 700, settled: 20_000)
        #expect(strides.count == 9)
        for (k, s) in strides.enumerated() {
            #expect(s.gaitBurst.sampleRange.lowerBound == 1000 + 700 * k)
            #expect(s.sampleRange.count == 700)
            // The pre-activation of the next stride, plus the twitch in the fourth.
            #expect(s.extraBursts == (k == 3 ? 2 : 1), "stride \(k): \(s.extraBursts) extra bursts")
        }
    }

    @Test func anchorsOnTheStanceBurstEvenWhenASmallerBurstComesFirst() throws {
        let bursts = (0..<5).flatMap { k in
            [Self.burst(500 + 1000 * k, 100, rms: 50), Self.burst(900 + 1000 * k, 400, rms: 250)]
        }
        let strides = try Self.segment(bursts, period: 1000, settled: 10_000)
        #expect(strides.first?.gaitBurst.sampleRange.lowerBound == 900)
        #expect(strides.count == 4)
    }

    @Test func losesLockAcrossAGapAndRelocks() throws {
        // Strides every 700 samples, then nothing for 3 s, then strides again.
        let first = (0..<5).map { Self.burst(700 * $0, 250, rms: 300) }
        let second = (0..<5).map { Self.burst(7000 + 700 * $0, 250, rms: 300) }
        let strides = try Self.segment(first + second, period: 700, settled: 20_000)
        #expect(strides.count == 8)
        #expect(!strides.contains { $0.sampleRange.count > 1000 })
    }

    @Test func noPeriodNoStrides() throws {
        let bursts = (0..<10).map { Self.burst(700 * $0, 250, rms: 300) }
        #expect(try Self.segment(bursts, period: nil, settled: 20_000).isEmpty)
    }

    @Test func gaitPeriodFromAPeriodicEnvelope() throws {
        var estimator = try GaitPeriodEstimator(frameDuration: .milliseconds(5))
        var noise = GaussianNoise(seed: 11)
        // 12 s of a 0.72 s stride envelope (5 ms frames) with noise.
        for k in 0..<2400 {
            let t = Double(k) * 0.005
            let phase = t.truncatingRemainder(dividingBy: 0.72)
            let burst = phase < 0.28 ? 200 * sin(Double.pi * phase / 0.28) : 0
            estimator.process(envelope: Float(max(0, burst + 3 + 2 * noise.next())))
        }
        let period = try #require(estimator.periodSeconds)
        #expect(abs(period - 0.72) < 0.015, "period \(period)")
        #expect(estimator.correlation > 0.5)

        var flat = try GaitPeriodEstimator(frameDuration: .milliseconds(5))
        for _ in 0..<2400 { flat.process(envelope: Float(max(0, 5 + 2 * noise.next()))) }
        #expect(flat.periodSeconds == nil, "noise has no stride period: \(flat.periodSeconds ?? 0)")
    }
}
