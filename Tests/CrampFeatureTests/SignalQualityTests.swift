// SPDX-License-Identifier: MIT
import CrampCore
import Foundation
import Testing

/// Signal-quality flags through the pipeline, on synthetic faults of known extent.
@Suite struct SignalQualityTests {
    static let rate = 2000.0

    /// One EMG channel (range ±5000 µV) through the pipeline without notches.
    static func windows(_ x: [Float], range: ClosedRange<Double>? = -5000...5000) throws -> [EMGWindowRecord] {
        let channel = SessionChannel(label: "EMG gastroc L", kind: .emg, sampleRate: Hertz(rate), physicalRange: range)
        var configuration = SessionFeatureConfiguration()
        configuration.mains = .off
        return try runPipeline(MemorySession(channels: [channel], signals: [x]), configuration: configuration).windows
    }

    /// The fraction of windows inside `inside` (seconds) with `flag`, and of those fully outside.
    static func fractions(_ w: [EMGWindowRecord], _ flag: SignalQualityFlags, inside: ClosedRange<Double>) -> (inside: Double, outside: Double) {
        func span(_ r: EMGWindowRecord) -> ClosedRange<Double> {
            Double(r.features.sampleRange.lowerBound) / rate...Double(r.features.sampleRange.upperBound) / rate
        }
        // Skip the first second (filter and floor start-up).
        let settled = w.filter { span($0).lowerBound >= 1 }
        let a = settled.filter { inside.contains(span($0).lowerBound) && inside.contains(span($0).upperBound) }
        let b = settled.filter { !span($0).overlaps(inside) }
        func fraction(_ r: [EMGWindowRecord]) -> Double {
            r.isEmpty ? .nan : Double(r.filter { $0.quality.flags.contains(flag) }.count) / Double(r.count)
        }
        return (fraction(a), fraction(b))
    }

    static var clean: [Float] { SyntheticEMG(rate: rate, seconds: 12, seed: 21).signal() }

    @Test func cleanRunningEMGRaisesNoFlag() throws {
        let w = try Self.windows(Self.clean)
        let flagged = w.filter { !$0.quality.flags.isEmpty && $0.features.sampleRange.lowerBound >= Int(Self.rate) }
        #expect(flagged.isEmpty, "\(flagged.count) of \(w.count) windows flagged: \(flagged.first.map { "\($0.quality)" } ?? "")")
    }

    @Test func deadElectrodeFlatOrAtQuantisationLevel() throws {
        var x = Self.clean
        var noise = GaussianNoise(seed: 4)
        // 4–8 s: 0.05 µV of noise on a 27 µV offset, quantised to 0.15 µV steps (below one step:
        // flat); 8–12 s: 1.2 µV quantised to 2.44 µV steps (the elderly recordings' dead LG).
        for i in Int(4 * Self.rate)..<Int(8 * Self.rate) { x[i] = Float(((27 + 0.05 * noise.next()) / 0.15).rounded() * 0.15) }
        for i in Int(8 * Self.rate)..<x.count { x[i] = Float(((27 + 1.2 * noise.next()) / 2.44).rounded() * 2.44) }
        let w = try Self.windows(x)
        let flat = Self.fractions(w, .deadElectrode, inside: 4...8)
        let coarse = Self.fractions(w, .deadElectrode, inside: 8...12)
        #expect(flat.inside == 1, "flat: \(flat.inside)")
        #expect(coarse.inside >= 0.9, "quantisation noise: \(coarse.inside)")
        #expect(Self.fractions(w, .deadElectrode, inside: 4...12).outside == 0)
    }

    @Test func saturationAtTheRails() throws {
        var x = Self.clean
        // 5–7 s: an offset of 6000 µV swinging with the stride, clipped at +5000 µV.
        for i in Int(5 * Self.rate)..<Int(7 * Self.rate) { x[i] = min(5000, x[i] + 6000 + 900 * Float(sin(Double(i) / Self.rate * 9))) }
        let w = try Self.windows(x)
        let f = Self.fractions(w, .saturation, inside: 5...7)
        #expect(f.inside == 1 && f.outside == 0, "\(f)")
        // Unknown range: never flagged.
        #expect(try Self.windows(x, range: nil).allSatisfy { !$0.quality.flags.contains(.saturation) && $0.quality.railFraction == nil })
    }

    @Test(arguments: [50.0, 60.0])
    func mainsDominanceOverAQuietMuscle(frequency: Double) throws {
        var noise = GaussianNoise(seed: 8)
        // 3 µV of EMG-like noise; 4–8 s: 40 µV of hum with a third harmonic.
        let x = (0..<Int(12 * Self.rate)).map { i -> Float in
            let t = Double(i) / Self.rate
            let hum = (4...8).contains(t) ? 40 * sin(2 * .pi * frequency * t) + 12 * sin(2 * .pi * 3 * frequency * t + 1) : 0
            return Float(3 * noise.next() + hum)
        }
        let w = try Self.windows(x)
        let f = Self.fractions(w, .mainsDominance, inside: 4...8)
        #expect(f.inside == 1 && f.outside == 0, "\(f)")
    }

    @Test func motionArtefactBelow20Hz() throws {
        var x = Self.clean
        // 4–8 s: at every stride a 1500 µV alpha-function transient (τ = 15 ms), as a heel
        // strike pulls the cable.
        for i in Int(4 * Self.rate)..<Int(8 * Self.rate) {
            let u = (Double(i) / Self.rate - 0.05).truncatingRemainder(dividingBy: 0.7)
            if u >= 0 { x[i] += Float(1500 * (u / 0.015) * exp(1 - u / 0.015)) }
        }
        let w = try Self.windows(x)
        #expect(Self.fractions(w, .motionArtifact, inside: 4...8).outside == 0)
        // Every window that holds a transient's peak (15 ms after its start) is flagged.
        let peaks = stride(from: 0.065, to: 8, by: 0.7).filter { $0 > 4.1 && $0 < 7.9 }
        let holding = w.filter { r in
            peaks.contains { Double(r.features.sampleRange.lowerBound) / Self.rate <= $0 && $0 < Double(r.features.sampleRange.upperBound) / Self.rate }
        }
        #expect(holding.count >= 20)
        let missed = holding.filter { !$0.quality.flags.contains(.motionArtifact) }
        #expect(missed.isEmpty, "\(missed.map { ($0.features.sampleRange, $0.features.rms, $0.quality.lowFrequencyRMS) })")
    }

    @Test func dropoutOfExactZeros() throws {
        var x = Self.clean
        for i in Int(5 * Self.rate)..<Int(5.3 * Self.rate) { x[i] = 0 }
        let w = try Self.windows(x)
        let hits = w.filter { $0.quality.flags.contains(.dropout) }
        #expect(!hits.isEmpty)
        for h in hits {
            // Only windows that the 300 ms run of zeros reaches into (runs are counted in 5 ms
            // frames; a window reports the longest run that reaches into it).
            let overlap = min(h.features.sampleRange.upperBound, Int(5.3 * Self.rate)) - max(h.features.sampleRange.lowerBound, Int(5 * Self.rate))
            #expect(overlap > 0, "window \(h.features.sampleRange) does not touch the zeros")
            #expect(seconds(h.quality.longestConstantRun) >= 0.1)
        }
        // A window that holds all of them.
        #expect(hits.contains { $0.features.sampleRange.lowerBound >= Int(5 * Self.rate) && $0.features.sampleRange.upperBound <= Int(5.3 * Self.rate) })
    }
}
