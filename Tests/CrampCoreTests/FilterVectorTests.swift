// SPDX-License-Identifier: MIT
import CrampCore
import Testing

/// crampd's filters against SciPy (scripts/gen_dsp_vectors.py).
///
/// Tolerances:
/// - coefficients: designed in `Double` like SciPy, so `|Δ| ≤ 1e-10 · max(1, |c|)`;
/// - outputs: crampd runs in `Float`, SciPy in `float64`, so per sample
///   `|y − y_ref| ≤ 1e-4 · RMS(y_ref)` for the band-pass and high-pass (measured worst:
///   3.4e-5 · RMS, at 4 kHz where the 20 Hz poles sit closest to z = 1), and `2e-4 · RMS` for
///   the conditioner chains, whose Q = 30 notches put poles within 1.6e-3 of the unit circle
///   at 4 kHz: measured 9.8e-5 · RMS there, the same as SciPy's own `sosfilt` in float32
///   (9.77e-5), half of it from rounding the coefficients to `Float`. A wrong coefficient
///   shows up at 1e-2 · RMS or more.
@Suite struct FilterVectorTests {
    static let coefficientTolerance = 1e-10
    static let outputTolerance = 1e-4
    static let conditionerOutputTolerance = 2e-4

    static func expectSections(_ actual: [BiquadCoefficients], _ expected: [[Double]], _ name: String) {
        #expect(actual.count == expected.count, "\(name): section count")
        for (i, (a, e)) in zip(actual, expected).enumerated() {
            let row = a.sosRow
            for j in 0..<6 {
                #expect(
                    abs(row[j] - e[j]) <= coefficientTolerance * max(1, abs(e[j])),
                    "\(name) section \(i) coefficient \(j): \(row[j]) vs SciPy \(e[j])")
            }
        }
    }

    /// Runs `input` through `filter` one sample at a time and as one block, and checks both
    /// against the reference per sample.
    static func expectOutputs(
        _ perSample: [Float], _ block: [Float], _ reference: [Double], _ name: String,
        tolerance: Double = outputTolerance
    ) {
        let limit = tolerance * rootMeanSquare(reference)
        var worst = 0.0
        for i in reference.indices {
            worst = max(worst, abs(Double(perSample[i]) - reference[i]), abs(Double(block[i]) - reference[i]))
        }
        #expect(worst <= limit, "\(name): worst |Δ| \(worst) > \(limit) (\(tolerance) × RMS)")
        #expect(perSample == block, "\(name): per-sample and block paths differ")
    }

    @Test(arguments: GoldenVectors.bandPassFiles)
    func bandPassMatchesSciPy(name: String) throws {
        let v = try GoldenVectors.load(name, as: GoldenVectors.Filter.self)
        let band = try FrequencyBand(lower: Hertz(v.bandHz![0]), upper: Hertz(v.bandHz![1]))
        let sections = try Butterworth.bandPass(order: v.order, band: band, sampleRate: v.sampleRate)
        Self.expectSections(sections, v.sos, name)

        var perSampleFilter = SOSCascade(coefficients: sections)
        let perSample = v.input.map { perSampleFilter.process($0) }
        var blockFilter = SOSCascade(coefficients: sections)
        var block = v.input
        blockFilter.process(&block)
        Self.expectOutputs(perSample, block, v.output, name)
    }

    @Test(arguments: GoldenVectors.conditionerFiles)
    func conditionerMatchesSciPy(name: String) throws {
        let v = try GoldenVectors.load(name, as: GoldenVectors.Filter.self)
        let mains = try #require(MainsFrequency(rawValue: v.mainsHz!))
        let config = EMGConditioningConfiguration(mains: mains, notchQualityFactor: v.qualityFactor!)
        let design = try EMGConditioningDesign(sampleRate: v.sampleRate, configuration: config)
        #expect(design.notchFrequencies == v.notchHz!.map(Hertz.init), "\(name): notch frequencies")
        #expect(design.status.spectralBand?.upper == Hertz(v.bandHz![1]))
        Self.expectSections(design.sections, v.sos, name)

        var perSampleConditioner = EMGConditioner(design: design)
        let perSample = v.input.map { perSampleConditioner.process($0) }
        var blockConditioner = EMGConditioner(design: design)
        var block = v.input
        blockConditioner.process(&block)
        Self.expectOutputs(perSample, block, v.output, name, tolerance: Self.conditionerOutputTolerance)
    }

    @Test func lowRateHighPassMatchesSciPy() throws {
        let v = try GoldenVectors.load("highpass_20_fs200", as: GoldenVectors.Filter.self)
        let sections = try Butterworth.highPass(order: v.order, cutoff: Hertz(v.cutoffHz!), sampleRate: v.sampleRate)
        Self.expectSections(sections, v.sos, "highpass_20_fs200")

        // The conditioner at 200 Hz falls back to exactly this high-pass.
        let design = try EMGConditioningDesign(sampleRate: v.sampleRate)
        Self.expectSections(design.sections, v.sos, "conditioner at 200 Hz")
        var conditioner = EMGConditioner(design: design)
        let perSample = v.input.map { conditioner.process($0) }
        var block = v.input
        conditioner.reset()
        conditioner.process(&block)
        Self.expectOutputs(perSample, block, v.output, "highpass_20_fs200")
    }

    /// Lane `c` of the SIMD cascade computes what the scalar cascade computes for channel `c`,
    /// for a partial group (3), one full group (8) and a full plus a partial group (11).
    @Test(arguments: [3, 8, 11])
    func multichannelEqualsSingleChannel(channels: Int) throws {
        let v = try GoldenVectors.load("conditioner_50hz_q30_fs2000", as: GoldenVectors.Filter.self)
        let design = try EMGConditioningDesign(
            sampleRate: v.sampleRate, configuration: .init(mains: .hz50))
        let frames = v.input.count
        // Channel c: the vector input reversed and scaled differently per channel.
        func sample(_ frame: Int, _ channel: Int) -> Float {
            let x = channel.isMultiple(of: 2) ? v.input[frame] : v.input[frames - 1 - frame]
            return x * Float(channel + 1) / 4
        }
        var interleaved = [Float](repeating: 0, count: frames * channels)
        for f in 0..<frames { for c in 0..<channels { interleaved[f * channels + c] = sample(f, c) } }

        var multi = MultiChannelEMGConditioner(design: design, channelCount: channels)
        // Uneven block sizes, to cross the internal chunk boundary at odd places.
        var start = 0
        for size in [1, 7, 130, 333, 1000].cycled(until: frames) {
            let n = min(size, frames - start)
            interleaved.withUnsafeMutableBufferPointer { all in
                multi.process(interleaved: UnsafeMutableBufferPointer(rebasing: all[(start * channels)..<((start + n) * channels)]))
            }
            start += n
            if start == frames { break }
        }
        for c in 0..<channels {
            var single = EMGConditioner(design: design)
            var expected = (0..<frames).map { sample($0, c) }
            single.process(&expected)
            let actual = (0..<frames).map { interleaved[$0 * channels + c] }
            #expect(actual == expected, "channel \(c) of \(channels)")
        }
        // And channel 0 against SciPy itself (scaled by 1/4).
        let reference = v.output.map { $0 / 4 }
        let limit = Self.conditionerOutputTolerance * rootMeanSquare(reference)
        let worst = (0..<frames).map { abs(Double(interleaved[$0 * channels]) - reference[$0]) }.max()!
        #expect(worst <= limit)
    }
}

extension Array {
    /// The elements repeated until at least `total` of them (used to vary block sizes).
    func cycled(until total: Int) -> [Element] {
        var out: [Element] = []
        while out.count < total { out += self }
        return out
    }
}
