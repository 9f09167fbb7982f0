// SPDX-License-Identifier: MIT
import CrampCore
import RealModule
import Testing

/// A deterministic pseudo-random sequence (xorshift) in −1…1.
struct TestNoise {
    var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next() -> Float {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Float(Double(state >> 11) / Double(1 << 52) - 1)
    }
    mutating func take(_ n: Int, scale: Float = 1) -> [Float] { (0..<n).map { _ in next() * scale } }
}

@Suite struct RealFFTTests {
    @Test(arguments: [16, 17, 500, 1000])
    func matchesNaiveDFT(length: Int) throws {
        let fft = try RealFFT(length: length)
        #expect(fft.binCount == length / 2 + 1)
        var noise = TestNoise(seed: UInt64(length))
        let x = noise.take(length)
        fft.withInput { input in for i in 0..<length { input[i] = x[i] } }
        fft.transform()
        let spectrum = fft.withSpectrum { Array($0) }
        var worst = 0.0, scale = 0.0
        for k in 0..<fft.binCount {
            var re = 0.0, im = 0.0
            for n in 0..<length {
                let phase = -2 * Double.pi * Double(k * n % length) / Double(length)
                re += Double(x[n]) * Double.cos(phase)
                im += Double(x[n]) * Double.sin(phase)
            }
            worst = max(worst, abs(Double(spectrum[2 * k]) - re), abs(Double(spectrum[2 * k + 1]) - im))
            scale = max(scale, (re * re + im * im).squareRoot())
        }
        #expect(worst <= 1e-5 * scale, "worst |Δ| \(worst) against a peak of \(scale)")
        // The input is preserved (out-of-place r2c).
        #expect(fft.withInput { Array($0) } == x)
    }

    /// FFTW's planner is not thread-safe; `RealFFT` serialises planning, so transforms can be
    /// made and released on many threads at once.
    @Test func plansConcurrently() async throws {
        let ok = await withTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for round in 0..<40 {
                        let length = 16 + (task * 40 + round) % 300
                        guard let fft = try? RealFFT(length: length) else { return false }
                        fft.withInput { input in for i in input.indices { input[i] = 1 } }
                        fft.transform()
                        // A constant input has all its energy at DC: X[0] = N.
                        if abs(fft.withSpectrum({ $0[0] }) - Float(length)) > 1e-4 * Float(length) { return false }
                    }
                    return true
                }
            }
            return await group.allSatisfy { $0 }
        }
        #expect(ok)
    }

    @Test func rejectsTinyLengths() {
        #expect(throws: FeatureConfigurationError.invalidWindowLength(1, minimum: 2)) { try RealFFT(length: 1) }
    }
}

@Suite struct RingWindowTests {
    @Test func holdsTheLastSamplesContiguously() {
        var ring = RingWindow(length: 5)
        #expect(ring.withContiguousSamples { Array($0) } == [0, 0, 0, 0, 0])
        ring.append(1)
        ring.append(2)
        #expect(!ring.isFull)
        #expect(ring.withContiguousSamples { Array($0) } == [0, 0, 0, 1, 2])
        // Many wraps, by single samples and by blocks of awkward sizes.
        var all: [Float] = [1, 2]
        var next: Float = 3
        for size in [1, 3, 7, 11, 2, 9, 10, 1, 4] {
            let block = (0..<size).map { _ -> Float in defer { next += 1 }; return next }
            all += block
            block.withUnsafeBufferPointer { ring.append(contentsOf: $0) }
            #expect(ring.withContiguousSamples { Array($0) } == Array(([0, 0, 0, 0, 0] + all).suffix(5)))
        }
        #expect(ring.isFull)
        #expect(ring.appendedCount == all.count)
        ring.reset()
        #expect(ring.withContiguousSamples { Array($0) } == [0, 0, 0, 0, 0])
        #expect(ring.appendedCount == 0)
    }

    @Test func appendsOneChannelOfInterleavedFrames() {
        var ring = RingWindow(length: 4)
        let frames: [Float] = [0, 100, 1, 101, 2, 102, 3, 103, 4, 104, 5, 105]  // 2 channels
        frames.withUnsafeBufferPointer { ring.append(from: $0.baseAddress! + 1, stride: 2, count: 6) }
        #expect(ring.withContiguousSamples { Array($0) } == [102, 103, 104, 105])
    }
}

@Suite struct WindowConfigurationTests {
    @Test(arguments: [(2000.0, 500, 125), (1000.0, 252, 63), (4000.0, 1000, 250), (500.0, 124, 31), (200.0, 52, 13)])
    func standardIs250MillisecondsWith75PercentOverlap(rate: Double, length: Int, hop: Int) throws {
        let w = try WindowConfiguration.standard(sampleRate: Hertz(rate))
        #expect(w.length == length)
        #expect(w.hop == hop)
    }

    @Test func rejectsBadLengthsAndHops() {
        #expect(throws: FeatureConfigurationError.invalidWindowLength(8, minimum: 16)) {
            try WindowConfiguration(length: 8, hop: 2)
        }
        #expect(throws: FeatureConfigurationError.invalidHop(0, length: 500)) { try WindowConfiguration(length: 500, hop: 0) }
        #expect(throws: FeatureConfigurationError.invalidHop(501, length: 500)) { try WindowConfiguration(length: 500, hop: 501) }
        #expect(throws: FeatureConfigurationError.invalidSampleRate(Hertz(-1))) {
            try WindowConfiguration.standard(sampleRate: Hertz(-1))
        }
    }

    @Test func rejectsABandWithoutBins() throws {
        // 40 Hz bins at 2 kHz / 50 samples: 100–110 Hz holds no bin.
        let band = try FrequencyBand(lower: Hertz(100), upper: Hertz(110))
        #expect(throws: FeatureConfigurationError.spectralBandTooNarrow(band, binWidth: Hertz(40))) {
            try WindowAnalyzer(sampleRate: Hertz(2000), length: 50, spectralBand: band)
        }
        #expect(throws: FeatureConfigurationError.invalidThreshold(-1)) {
            try WindowAnalyzer(sampleRate: Hertz(2000), length: 50, spectralBand: nil, zeroCrossingThreshold: -1)
        }
    }
}

@Suite struct SlidingFeatureExtractorTests {
    static let rate = Hertz(2000)

    /// Per-sample, block-wise (odd block sizes) and multichannel paths give identical features
    /// at the same sample indices: the first at `length`, then one per `hop`.
    @Test func allPathsAgree() throws {
        let design = try EMGConditioningDesign(sampleRate: Self.rate, configuration: .init(mains: .hz50))
        let window = try WindowConfiguration(length: 500, hop: 125)
        var noise = TestNoise(seed: 7)
        let channels = 3
        let frames = 2345
        var interleaved = noise.take(frames * channels, scale: 200)

        func channel(_ c: Int) -> [Float] { (0..<frames).map { interleaved[$0 * channels + c] } }
        let raw = (0..<channels).map(channel)

        var multi = try MultiChannelEMGFeatureExtractor(design: design, channelCount: channels, window: window)
        var fromMulti: [[WindowFeatures]] = Array(repeating: [], count: channels)
        var order: [Int] = []
        interleaved.withUnsafeMutableBufferPointer { all in
            var start = 0
            for size in [100, 333, 1, 999, 912] {
                multi.process(interleaved: UnsafeMutableBufferPointer(rebasing: all[(start * channels)..<((start + size) * channels)])) { c, f in
                    fromMulti[c].append(f)
                    order.append(c)
                }
                start += size
            }
        }
        #expect(order == Array((0..<((frames - 500) / 125 + 1)).map { _ in Array(0..<channels) }.joined()),
                "per hop, channel 0, 1, 2 in order")

        for c in 0..<channels {
            var conditioner = EMGConditioner(design: design)
            let conditioned = raw[c].map { conditioner.process($0) }

            var perSample = try SlidingFeatureExtractor(sampleRate: Self.rate, window: window, spectralBand: design.status.spectralBand)
            let one = conditioned.compactMap { perSample.process($0) }

            var blockwise = try SlidingFeatureExtractor(sampleRate: Self.rate, window: window, spectralBand: design.status.spectralBand)
            var blocks: [WindowFeatures] = []
            conditioned.withUnsafeBufferPointer { all in
                var start = 0
                for size in [7, 124, 1, 126, 500, 1587] {
                    blockwise.process(UnsafeBufferPointer(rebasing: all[start..<(start + size)])) { blocks.append($0) }
                    start += size
                }
            }
            #expect(one.count == (frames - 500) / 125 + 1)
            #expect(one.map(\.sampleRange.upperBound) == Array(stride(from: 500, through: frames, by: 125)))
            #expect(one == blocks)
            #expect(one == fromMulti[c])
            #expect(perSample.sampleCount == frames)

            // The block-assembled time-domain sums agree with the direct definition, and the
            // spectral features (computed from the same window) are identical.
            let direct = try WindowAnalyzer(sampleRate: Self.rate, length: 500, spectralBand: design.status.spectralBand)
            for f in one {
                let d = conditioned.withUnsafeBufferPointer {
                    direct.features(of: UnsafeBufferPointer(rebasing: $0[f.sampleRange]), endingAt: f.sampleRange.upperBound)
                }
                #expect(isClose(Double(f.rms), Double(d.rms), relative: 1e-5))
                #expect(isClose(Double(f.meanAbsoluteValue), Double(d.meanAbsoluteValue), relative: 1e-5))
                #expect(isClose(Double(f.teagerKaiserEnergy), Double(d.teagerKaiserEnergy), relative: 1e-4))
                #expect(f.zeroCrossingsPerSecond == d.zeroCrossingsPerSecond)
                #expect(f.spectral == d.spectral)
                #expect(f.endTime == d.endTime && f.sampleRange == d.sampleRange)
            }
        }
    }

    @Test func endTimeComesFromTheSampleCount() throws {
        var extractor = try SlidingFeatureExtractor(
            sampleRate: Hertz(1000), window: WindowConfiguration(length: 250, hop: 62), spectralBand: .surfaceEMG.lowered(to: 450))
        var noise = TestNoise(seed: 3)
        var ends: [Duration] = []
        for x in noise.take(1000, scale: 50) { if let f = extractor.process(x) { ends.append(f.endTime) } }
        #expect(ends.first == .milliseconds(250))
        #expect(ends.dropFirst().first == .milliseconds(312))
        #expect(ends.last == .milliseconds(994))
        extractor.reset()
        #expect(extractor.sampleCount == 0)
        #expect(noise.take(249).compactMap { extractor.process($0) }.isEmpty)
    }

    /// 200 Hz (Myo-style) EMG: time-domain features are there, spectral features are not.
    @Test func lowRateReportsSpectralFeaturesUnavailable() throws {
        let design = try EMGConditioningDesign(sampleRate: Hertz(200))
        guard case .spectralFeaturesUnavailable(.rateTooLowForBand(let rate, let band)) = design.status else {
            Issue.record("200 Hz should be too low for 20–450 Hz, got \(design.status)")
            return
        }
        #expect(rate == Hertz(200) && band == .surfaceEMG)
        var extractor = try MultiChannelEMGFeatureExtractor(design: design, channelCount: 2)
        var noise = TestNoise(seed: 11)
        var x = noise.take(2 * 400, scale: 100)
        var features: [WindowFeatures] = []
        x.withUnsafeMutableBufferPointer { extractor.process(interleaved: $0) { _, f in features.append(f) } }
        #expect(features.count == 2 * ((400 - 52) / 13 + 1))
        #expect(features.allSatisfy { $0.spectral == nil })
        #expect(features.allSatisfy { $0.rms > 10 && $0.meanAbsoluteValue > 5 && $0.zeroCrossingsPerSecond > 0 })
    }

    @Test func flatSignalHasNoSpectrumAndNoCrossings() throws {
        let analyzer = try WindowAnalyzer(sampleRate: Self.rate, length: 64, spectralBand: .surfaceEMG)
        let zeros = [Float](repeating: 0, count: 64)
        let f = zeros.withUnsafeBufferPointer { analyzer.features(of: $0, endingAt: 64) }
        #expect(f.spectral == nil)
        #expect(f.rms == 0 && f.meanAbsoluteValue == 0 && f.zeroCrossingsPerSecond == 0 && f.teagerKaiserEnergy == 0)
    }

    /// Quantisation-level jitter (±0.4 µV) does not count as zero crossings with the 1 µV
    /// threshold, but does without it.
    @Test func zeroCrossingThresholdIgnoresJitter() throws {
        let jitter = (0..<64).map { Float($0.isMultiple(of: 2) ? 0.2 : -0.2) }
        let strict = try WindowAnalyzer(sampleRate: Self.rate, length: 64, spectralBand: nil)
        let loose = try WindowAnalyzer(sampleRate: Self.rate, length: 64, spectralBand: nil, zeroCrossingThreshold: 0)
        let a = jitter.withUnsafeBufferPointer { strict.features(of: $0, endingAt: 64) }
        let b = jitter.withUnsafeBufferPointer { loose.features(of: $0, endingAt: 64) }
        #expect(a.zeroCrossingsPerSecond == 0)
        #expect(b.zeroCrossingsPerSecond == Float(63 * 2000 / 64.0))
    }

    /// A pure tone: MNF and MDF at the tone, RMS = amplitude/√2, TKE = A²·sin²(Ω).
    @Test func toneFeatures() throws {
        let analyzer = try WindowAnalyzer(sampleRate: Self.rate, length: 500, spectralBand: .surfaceEMG)
        let omega = 2 * Double.pi * 100 / 2000
        let x = (0..<500).map { Float(10 * Double.sin(omega * Double($0))) }
        let f = x.withUnsafeBufferPointer { analyzer.features(of: $0, endingAt: 500) }
        #expect(abs(Double(f.rms) - 10 / 2.0.squareRoot()) < 1e-3)
        #expect(abs(Double(f.teagerKaiserEnergy) - 100 * Double.sin(omega) * Double.sin(omega)) < 1e-2)
        #expect(abs(f.zeroCrossingsPerSecond - 200) <= 4)
        let s = try #require(f.spectral)
        #expect(abs(s.meanFrequency.value - 100) < 0.5)
        #expect(s.medianFrequency == Hertz(100))
        // For a line at f, FInsm5 = f⁻¹ / f⁵ = f⁻⁶ (Hann leakage to ±4 Hz barely moves it).
        #expect(isClose(s.dimitrovIndexFInsm5, 1e-12, relative: 0.01))
    }
}

extension FrequencyBand {
    func lowered(to upper: Double) -> FrequencyBand {
        (try? FrequencyBand(lower: lower, upper: Hertz(upper))) ?? self
    }
}
