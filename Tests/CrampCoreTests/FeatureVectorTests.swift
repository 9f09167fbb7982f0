// SPDX-License-Identifier: MIT
import CrampCore
import Testing

/// Window features against the NumPy reference of scripts/gen_dsp_vectors.py, on synthetic
/// sEMG-like noise at 2 and 4 kHz and on real biceps EMG (PLUX, 1 kHz).
///
/// Two comparisons:
/// - **Analyzer**: the reference's own conditioned signal (float32) through `WindowAnalyzer`,
///   so only the feature arithmetic differs (Float sums and FFTW vs float64 NumPy):
///   RMS, MAV ≤ 1e-4 relative; TKE ≤ 1e-3 relative; zero crossings exact; MNF ≤ 1e-4
///   relative; MDF within one bin; FInsm5 ≤ 1e-3 relative.
/// - **End to end**: the raw signal through `MultiChannelEMGFeatureExtractor` (crampd's own
///   Float filters): RMS, MAV and TKE within 1 %, MNF and MDF within one FFT bin
///   (`fs / N`), FInsm5 within 2 %, zero crossings within ±2 per window.
@Suite struct FeatureVectorTests {
    static func expect(
        _ f: WindowFeatures, _ w: GoldenVectors.Features.Window, _ v: GoldenVectors.Features,
        amplitude: Double, tke: Double, crossings: Double, mnf: Double, finsm5: Double, _ name: String
    ) {
        let at = "\(name) window ending at \(w.end)"
        #expect(f.sampleRange == (w.end - v.windowLength)..<w.end, "\(at): range")
        #expect(f.endTime == .seconds(Double(w.end) / v.sampleRateHz), "\(at): end time")
        #expect(isClose(Double(f.rms), w.rms, relative: amplitude), "\(at): RMS \(f.rms) vs \(w.rms)")
        #expect(isClose(Double(f.meanAbsoluteValue), w.mav, relative: amplitude), "\(at): MAV \(f.meanAbsoluteValue) vs \(w.mav)")
        #expect(isClose(Double(f.teagerKaiserEnergy), w.tke, relative: tke), "\(at): TKE \(f.teagerKaiserEnergy) vs \(w.tke)")
        // Compare counts: the rate is count · fs / N, which need not be a whole number.
        let perCount = v.sampleRateHz / Double(v.windowLength)
        let count = (Double(f.zeroCrossingsPerSecond) / perCount).rounded()
        let expectedCount = (w.zeroCrossingsPerSecond / perCount).rounded()
        #expect(abs(count - expectedCount) <= crossings,
                "\(at): ZC \(f.zeroCrossingsPerSecond)/s vs \(w.zeroCrossingsPerSecond)/s")
        guard let s = f.spectral else {
            Issue.record("\(at): spectral features missing")
            return
        }
        #expect(s.band.lower.value == v.bandHz[0] && s.band.upper.value == v.bandHz[1])
        if mnf < 1 {
            #expect(isClose(s.meanFrequency.value, w.mnfHz, relative: mnf), "\(at): MNF \(s.meanFrequency) vs \(w.mnfHz)")
        } else {
            #expect(abs(s.meanFrequency.value - w.mnfHz) <= v.binWidth, "\(at): MNF \(s.meanFrequency) vs \(w.mnfHz)")
        }
        #expect(abs(s.medianFrequency.value - w.mdfHz) <= v.binWidth + 1e-9, "\(at): MDF \(s.medianFrequency) vs \(w.mdfHz)")
        #expect(isClose(s.dimitrovIndexFInsm5, w.finsm5, relative: finsm5), "\(at): FInsm5 \(s.dimitrovIndexFInsm5) vs \(w.finsm5)")
    }

    @Test(arguments: GoldenVectors.featureFiles)
    func analyzerMatchesReference(name: String) throws {
        let v = try GoldenVectors.load(name, as: GoldenVectors.Features.self)
        let band = try FrequencyBand(lower: Hertz(v.bandHz[0]), upper: Hertz(v.bandHz[1]))
        let analyzer = try WindowAnalyzer(
            sampleRate: v.sampleRate, length: v.windowLength, spectralBand: band,
            zeroCrossingThreshold: v.zeroCrossingThresholdUv)
        #expect(!v.windows.isEmpty)
        for w in v.windows {
            let f = v.conditioned.withUnsafeBufferPointer {
                analyzer.features(of: UnsafeBufferPointer(rebasing: $0[(w.end - v.windowLength)..<w.end]), endingAt: w.end)
            }
            Self.expect(f, w, v, amplitude: 1e-4, tke: 1e-3, crossings: 0, mnf: 1e-4, finsm5: 1e-3, name)
        }
    }

    @Test(arguments: GoldenVectors.featureFiles)
    func pipelineMatchesReference(name: String) throws {
        let v = try GoldenVectors.load(name, as: GoldenVectors.Features.self)
        let design = try EMGConditioningDesign(
            sampleRate: v.sampleRate, configuration: .init(mains: v.mainsHz.flatMap(MainsFrequency.init(rawValue:))))
        let window = try WindowConfiguration(length: v.windowLength, hop: v.hop)
        #expect(window == (try WindowConfiguration.standard(sampleRate: v.sampleRate)), "the vectors use the defaults")
        var extractor = try MultiChannelEMGFeatureExtractor(
            design: design, channelCount: 1, window: window, zeroCrossingThreshold: v.zeroCrossingThresholdUv)
        var raw = v.raw
        var features: [WindowFeatures] = []
        raw.withUnsafeMutableBufferPointer { extractor.process(interleaved: $0) { _, f in features.append(f) } }
        #expect(features.count == v.windows.count)
        for (f, w) in zip(features, v.windows) {
            Self.expect(f, w, v, amplitude: 0.01, tke: 0.01, crossings: 2, mnf: 1, finsm5: 0.02, name)
        }
    }
}
