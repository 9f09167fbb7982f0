// SPDX-License-Identifier: MIT
import CrampCore
import RealModule
import Testing

@Suite struct MainsDetectorTests {
    /// Broadband "EMG" noise (RMS ≈ 58 µV) plus hum of `amplitude` µV at `mains` and its second
    /// harmonic at a third of that, with the grid 0.1 Hz off nominal.
    static func signal(rate: Double, seconds: Double, mains: Double?, amplitude: Double, seed: UInt64) -> [Float] {
        var noise = TestNoise(seed: seed)
        return (0..<Int(rate * seconds)).map { i in
            let t = Double(i) / rate
            var x = Double(noise.next()) * 100
            if let f = mains {
                let f0 = f + 0.1
                x += amplitude * Double.sin(2 * .pi * f0 * t) + amplitude / 3 * Double.sin(2 * .pi * 2 * f0 * t + 1)
            }
            return Float(x)
        }
    }

    static func verdicts(_ x: [Float], rate: Double) throws -> [MainsDetector.Estimate] {
        var detector = try MainsDetector(sampleRate: Hertz(rate))
        return x.compactMap { detector.process($0) }
    }

    /// Hum well below the noise in amplitude, but a line: 20 µV under 58 µV RMS of white noise
    /// at 1–4 kHz. At 200 Hz the same noise is 10 times denser per hertz, so the hum is 60 µV.
    @Test(arguments: [
        (2000.0, MainsFrequency.hz50, 20.0), (2000.0, .hz60, 20), (1000.0, .hz50, 20), (4000.0, .hz60, 20),
        (200.0, .hz50, 60), (200.0, .hz60, 60),
    ])
    func findsTheGrid(rate: Double, mains: MainsFrequency, amplitude: Double) throws {
        let x = Self.signal(rate: rate, seconds: 12, mains: mains.frequency.value, amplitude: amplitude, seed: 5)
        let estimates = try Self.verdicts(x, rate: rate)
        #expect(estimates.count == 3, "one verdict per 4 s")
        for e in estimates {
            #expect(e.dominant == mains, "\(e)")
            #expect(e.lineRatio(mains == .hz50 ? .hz60 : .hz50) < 8, "\(e)")
        }
    }

    @Test(arguments: [2000.0, 500.0, 200.0])
    func broadbandNoiseHasNoGrid(rate: Double) throws {
        let x = Self.signal(rate: rate, seconds: 40, mains: nil, amplitude: 0, seed: 9)
        let estimates = try Self.verdicts(x, rate: rate)
        #expect(estimates.count == 10)
        for e in estimates {
            #expect(e.dominant == nil, "\(e)")
            #expect(e.lineRatio50 < 6 && e.lineRatio60 < 6, "\(e)")
        }
    }

    @Test func blockAndSampleInputAgree() throws {
        let x = Self.signal(rate: 1000, seconds: 8, mains: 60, amplitude: 30, seed: 2)
        let perSample = try Self.verdicts(x, rate: 1000)
        var detector = try MainsDetector(sampleRate: Hertz(1000))
        var blocks: [MainsDetector.Estimate] = []
        x.withUnsafeBufferPointer { all in
            var start = 0
            for size in [999, 1, 3000, 4000] {
                if let e = detector.process(UnsafeBufferPointer(rebasing: all[start..<(start + size)])) { blocks.append(e) }
                start += size
            }
        }
        #expect(perSample == blocks)
        #expect(perSample.count == 2)
    }

    @Test func silenceHasNoGrid() throws {
        var detector = try MainsDetector(sampleRate: Hertz(1000), segmentLength: 500, segmentsPerEstimate: 2)
        let zeros = [Float](repeating: 0, count: 1000)
        let e = try #require(zeros.withUnsafeBufferPointer { detector.process($0) })
        #expect(e.dominant == nil && e.lineRatio50 == 0 && e.lineRatio60 == 0)
        #expect(detector.latest == e)
        detector.reset()
        #expect(detector.latest == nil)
    }

    @Test func rejectsUnusableSettings() {
        #expect(throws: FeatureConfigurationError.invalidSampleRate(Hertz(140))) { try MainsDetector(sampleRate: Hertz(140)) }
        #expect(throws: FeatureConfigurationError.invalidWindowLength(100, minimum: 500)) {
            try MainsDetector(sampleRate: Hertz(1000), segmentLength: 100)
        }
        #expect(throws: FeatureConfigurationError.invalidThreshold(0)) {
            try MainsDetector(sampleRate: Hertz(1000), dominanceRatio: 0)
        }
    }
}
