// SPDX-License-Identifier: MIT
import CrampCore
import Foundation
import Testing

/// `BurstDetector` on synthetic signals with known bursts.
@Suite struct BurstDetectorTests {
    /// Conditions `x` (band-pass only) and runs a detector over it sample by sample.
    static func detect(
        _ x: [Float], rate: Double, configuration: BurstDetectorConfiguration = .init()
    ) throws -> (bursts: [Burst], detector: BurstDetector) {
        var conditioner = try EMGConditioner(sampleRate: Hertz(rate))
        var detector = try BurstDetector(sampleRate: Hertz(rate), configuration: configuration)
        var bursts: [Burst] = []
        var y = x
        conditioner.process(&y)
        y.withUnsafeBufferPointer { buffer in
            detector.process(buffer) { if case .burst(let b) = $0 { bursts.append(b) } }
        }
        return (bursts, detector)
    }

    @Test(arguments: [1000.0, 2000.0, 4000.0])
    func findsEveryBurstOfATrainWithItsTiming(rate: Double) throws {
        let emg = SyntheticEMG(rate: rate, seconds: 20, seed: UInt64(rate))
        let x = emg.signal()
        let (bursts, _) = try Self.detect(x, rate: rate)
        var conditioner = try EMGConditioner(sampleRate: Hertz(rate))
        var y = x
        conditioner.process(&y)
        // The first segment (250 ms) builds the noise floor: bursts from then on are found.
        let expected = emg.burstOnsets.filter { $0 > 0.3 }
        #expect(bursts.count == expected.count, "\(bursts.count) bursts for \(expected.count)")
        for (b, onset) in zip(bursts, expected) {
            // The half-sine envelope crosses 4× the floor within a few ms of its start, and
            // falls below 2.5× it a little before its end (the smoothing spreads both).
            #expect(abs(seconds(b.onsetTime) - onset) <= 0.03, "onset \(b.onsetTime) vs \(onset)")
            #expect(abs(seconds(b.offsetTime) - (onset + emg.burstSeconds)) <= 0.06, "offset \(b.offsetTime)")
            // RMS and peak are those of the conditioned samples of the detected span.
            let span = y[b.sampleRange]
            let rms = (span.reduce(0) { $0 + Double($1) * Double($1) } / Double(span.count)).squareRoot()
            #expect(abs(Double(b.rms) - rms) <= 1e-3 * rms, "RMS \(b.rms) vs \(rms)")
            #expect(b.peakAmplitude == span.map(abs).max())
            #expect(b.sampleRange.lowerBound == Int((seconds(b.onsetTime) * rate).rounded()))
        }
    }

    @Test func reportsNothingInNoiseAndFollowsItsFloor() throws {
        var noise = GaussianNoise(seed: 7)
        let x = (0..<60_000).map { _ in Float(3 * noise.next()) }
        let (bursts, detector) = try Self.detect(x, rate: 2000)
        #expect(bursts.isEmpty, "noise alone gave \(bursts.count) bursts")
        // The envelope of band-passed white noise of 3 µV sits near a few µV.
        let floor = try #require(detector.noiseFloor)
        #expect(floor > 0.5 && floor < 6, "floor \(floor)")
    }

    @Test func mergesAcrossShortGapsAndDropsShortBursts() throws {
        // Two 150 ms bursts 80 ms apart, then a 100 ms burst. The 55 ms smoothing narrows the
        // gap to about 25 ms in the envelope (and widens each burst by as much), so the default
        // 50 ms minimum gap joins the two, and a 10 ms one does not.
        let rate = 2000.0
        var noise = GaussianNoise(seed: 3)
        func active(_ t: Double) -> Bool {
            (1.0..<1.15).contains(t) || (1.23..<1.38).contains(t) || (3.0..<3.1).contains(t)
        }
        let x = (0..<Int(4 * rate)).map { i -> Float in
            Float((active(Double(i) / rate) ? 200 : 3) * noise.next())
        }
        let (bursts, _) = try Self.detect(x, rate: rate)
        #expect(bursts.count == 2, "\(bursts.map { ($0.onsetTime, $0.offsetTime) })")
        if bursts.count == 2 {
            // An abrupt onset is found up to the smoothing's half width (27.5 ms) early, an abrupt
            // offset up to that late.
            #expect(abs(seconds(bursts[0].onsetTime) - 1.0) <= 0.0325)
            #expect(abs(seconds(bursts[0].offsetTime) - 1.38) <= 0.04)  // plus the band-pass tail
            #expect(abs(seconds(bursts[1].onsetTime) - 3.0) <= 0.0325)
        }
        // With a 10 ms minimum gap the two parts stay apart.
        var split = BurstDetectorConfiguration()
        split.minimumGap = .milliseconds(10)
        #expect(try Self.detect(x, rate: rate, configuration: split).bursts.count == 3)
        // With a 200 ms minimum duration the 100 ms burst (about 155 ms in the envelope) is
        // dropped.
        var long = BurstDetectorConfiguration()
        long.minimumDuration = .milliseconds(200)
        let kept = try Self.detect(x, rate: rate, configuration: long).bursts
        #expect(kept.count == 1 && kept.first.map { seconds($0.onsetTime) < 1.1 } == true)
    }

    @Test func hysteresisKeepsOneBurstThroughADip() throws {
        // The burst falls to 3× the floor's level for 60 ms: above the offset threshold.
        let rate = 2000.0
        var noise = GaussianNoise(seed: 5)
        let x = (0..<Int(3 * rate)).map { i -> Float in
            let t = Double(i) / rate
            let level: Double = (1.0..<1.2).contains(t) || (1.26..<1.4).contains(t) ? 150 : ((1.2..<1.26).contains(t) ? 9 : 3)
            return Float(level * noise.next())
        }
        let (bursts, detector) = try Self.detect(x, rate: rate)
        #expect(bursts.count == 1, "\(bursts.map { ($0.onsetTime, $0.offsetTime) }), floor \(detector.noiseFloor ?? -1)")
    }

    @Test func frameSumsPathEqualsSamplePath() throws {
        let rate = 1000.0
        var conditioner = try EMGConditioner(sampleRate: Hertz(rate))
        var y = SyntheticEMG(rate: rate, seconds: 10).signal()
        conditioner.process(&y)
        var bySample = try BurstDetector(sampleRate: Hertz(rate))
        var byFrame = try BurstDetector(sampleRate: Hertz(rate))
        var a: [BurstDetector.Output] = [], b: [BurstDetector.Output] = []
        y.withUnsafeBufferPointer { bySample.process($0) { a.append($0) } }
        // The frame sums, computed here exactly as the lane kernel defines them.
        let f = byFrame.frameLength
        var p1: Float = 0, p2: Float = 0
        var frame = 0
        while (frame + 1) * f <= y.count {
            var energy: Float = 0, squares: Float = 0, peak: Float = 0
            for n in (frame * f)..<((frame + 1) * f) {
                let x = y[n]
                energy += abs(p1 * p1 - p2 * x)
                squares += x * x
                peak = max(peak, abs(x))
                p2 = p1
                p1 = x
            }
            byFrame.processFrame(energySum: energy, squares: squares, peak: peak)
            if let e = byFrame.takeEnvelope() { b.append(.envelope(frame: e.frame, value: e.value)) }
            if let burst = byFrame.takeBurst() { b.append(.burst(burst)) }
            frame += 1
        }
        #expect(a.count == b.count)
        #expect(a == b)
    }

    @Test func rejectsInvalidConfigurations() {
        var c = BurstDetectorConfiguration()
        c.offsetRatio = 5
        #expect(throws: FeatureConfigurationError.invalidParameter("offsetRatio", 5)) {
            try BurstDetector(sampleRate: Hertz(1000), configuration: c)
        }
        c = BurstDetectorConfiguration()
        c.minimumGap = .zero
        #expect(throws: FeatureConfigurationError.invalidDuration("minimumGap", .zero)) {
            try BurstDetector(sampleRate: Hertz(1000), configuration: c)
        }
        #expect(throws: FeatureConfigurationError.invalidSampleRate(Hertz(0))) { try BurstDetector(sampleRate: Hertz(0)) }
    }
}
