// SPDX-License-Identifier: MIT
import CrampCore
import RealModule
import Testing

@Suite struct FilterDesignErrorTests {
    @Test func cutoffAboveNyquistCarriesBothFrequencies() {
        #expect(throws: FilterDesignError.cutoffAboveNyquist(cutoff: Hertz(450), nyquist: Hertz(400))) {
            try Butterworth.bandPass(order: 4, band: .surfaceEMG, sampleRate: Hertz(800))
        }
        #expect(throws: FilterDesignError.cutoffAboveNyquist(cutoff: Hertz(500), nyquist: Hertz(500))) {
            try BiquadCoefficients.notch(frequency: Hertz(500), qualityFactor: 30, sampleRate: Hertz(1000))
        }
        #expect(throws: FilterDesignError.cutoffAboveNyquist(cutoff: Hertz(120), nyquist: Hertz(100))) {
            try Butterworth.lowPass(order: 2, cutoff: Hertz(120), sampleRate: Hertz(200))
        }
    }

    @Test(arguments: [0, -1, Butterworth.maximumOrder + 1])
    func invalidOrder(order: Int) {
        #expect(throws: FilterDesignError.invalidOrder(order)) {
            try Butterworth.highPass(order: order, cutoff: Hertz(20), sampleRate: Hertz(1000))
        }
        #expect(throws: FilterDesignError.invalidOrder(order)) {
            try EMGConditioningDesign(sampleRate: Hertz(2000), configuration: .init(bandPassOrder: order))
        }
    }

    @Test func invalidRatesCutoffsBandsAndQ() {
        #expect(throws: FilterDesignError.invalidSampleRate(Hertz(0))) {
            try Butterworth.bandPass(order: 4, band: .surfaceEMG, sampleRate: Hertz(0))
        }
        #expect(throws: FilterDesignError.self) {
            try EMGConditioningDesign(sampleRate: Hertz(.nan))
        }
        #expect(throws: FilterDesignError.invalidCutoff(Hertz(-5))) {
            try Butterworth.highPass(order: 2, cutoff: Hertz(-5), sampleRate: Hertz(1000))
        }
        #expect(throws: FilterDesignError.invalidBand(lower: Hertz(450), upper: Hertz(20))) {
            try FrequencyBand(lower: Hertz(450), upper: Hertz(20))
        }
        #expect(throws: FilterDesignError.invalidBand(lower: Hertz(0), upper: Hertz(20))) {
            try FrequencyBand(lower: Hertz(0), upper: Hertz(20))
        }
        #expect(throws: FilterDesignError.invalidQualityFactor(0)) {
            try BiquadCoefficients.notch(frequency: Hertz(50), qualityFactor: 0, sampleRate: Hertz(1000))
        }
        #expect(throws: FilterDesignError.invalidQualityFactor(-3)) {
            try EMGConditioningDesign(sampleRate: Hertz(1000), configuration: .init(mains: .hz50, notchQualityFactor: -3))
        }
        #expect(throws: FilterDesignError.invalidCoefficients) {
            try BiquadCoefficients(b0: 1, b1: 0, b2: 0, a0: 0, a1: 0, a2: 0)
        }
    }

    @Test func rateTooLowEvenForTheLowerEdgeThrows() {
        // 30 Hz: Nyquist 15 Hz, nothing of 20–450 Hz is left.
        #expect(throws: FilterDesignError.rateTooLowForBand(rate: Hertz(30), band: .surfaceEMG)) {
            try EMGConditioningDesign(sampleRate: Hertz(30))
        }
    }

    @Test func coefficientsNormaliseByA0() throws {
        let c = try BiquadCoefficients(b0: 2, b1: 4, b2: 6, a0: 2, a1: -1, a2: 0.5)
        #expect(c.sosRow == [1, 2, 3, 1, -0.5, 0.25])
    }
}

@Suite struct EMGConditioningDesignTests {
    @Test func statusAtEachRate() throws {
        #expect(try EMGConditioningDesign(sampleRate: Hertz(2000)).status == .fullBand(.surfaceEMG))
        #expect(try EMGConditioningDesign(sampleRate: Hertz(4000)).status == .fullBand(.surfaceEMG))
        #expect(try EMGConditioningDesign(sampleRate: Hertz(1000)).status == .fullBand(.surfaceEMG))
        let lowered = try FrequencyBand(lower: Hertz(20), upper: Hertz(225))
        #expect(try EMGConditioningDesign(sampleRate: Hertz(500)).status
            == .upperEdgeLowered(band: lowered, requested: .surfaceEMG))
        // 200 Hz (Myo): 0.9 × Nyquist = 90 Hz < 200 Hz minimum → spectral features unavailable.
        let myo = try EMGConditioningDesign(sampleRate: Hertz(200))
        #expect(myo.status == .spectralFeaturesUnavailable(.rateTooLowForBand(rate: Hertz(200), band: .surfaceEMG)))
        #expect(myo.status.spectralBand == nil)
        #expect(myo.bandSections.count == 2, "order-4 high-pass: two sections")
    }

    @Test func bandPassOrderFourMeansFourSections() throws {
        let design = try EMGConditioningDesign(sampleRate: Hertz(2000))
        #expect(design.bandSections.count == 4)
        #expect(design.notchSections.isEmpty)
    }

    @Test(arguments: [
        (2000.0, MainsFrequency.hz50, NotchHarmonics.withinPassBand, [50.0, 100, 150, 200, 250, 300, 350, 400, 450]),
        (2000.0, .hz50, .fundamentalOnly, [50.0]),
        (1000.0, .hz60, .withinPassBand, [60.0, 120, 180, 240, 300, 360, 420]),
        (1000.0, .hz60, .belowNyquist, [60.0, 120, 180, 240, 300, 360, 420, 480]),
        // 500 Hz at 1 kHz would sit on Nyquist: excluded.
        (1000.0, .hz50, .belowNyquist, [50.0, 100, 150, 200, 250, 300, 350, 400, 450]),
        (500.0, .hz50, .withinPassBand, [50.0, 100, 150, 200]),
        (200.0, .hz60, .withinPassBand, [60.0]),
    ])
    func notchHarmonics(rate: Double, mains: MainsFrequency, harmonics: NotchHarmonics, expected: [Double]) throws {
        let design = try EMGConditioningDesign(
            sampleRate: Hertz(rate), configuration: .init(mains: mains, notchHarmonics: harmonics))
        #expect(design.notchFrequencies == expected.map(Hertz.init))
        #expect(design.notchSections.count == expected.count)
    }
}

/// Physical checks, independent of SciPy: steady-state gains of the designed filters.
@Suite struct FilterResponseTests {
    /// The steady-state amplitude of a unit sine at `frequency` after `filter`.
    static func gain(at frequency: Double, sampleRate: Double, sections: [BiquadCoefficients]) -> Double {
        var filter = SOSCascade(coefficients: sections)
        let n = Int(sampleRate * 4)
        var peak: Float = 0
        for i in 0..<n {
            let y = filter.process(Float(Double.sin(2 * .pi * frequency * Double(i) / sampleRate)))
            if i > n / 2 { peak = max(peak, abs(y)) }
        }
        return Double(peak)
    }

    @Test(arguments: [1000.0, 2000.0, 4000.0])
    func bandPassEdgesAndSlopes(rate: Double) throws {
        let sections = try Butterworth.bandPass(order: 4, band: .surfaceEMG, sampleRate: Hertz(rate))
        let half = 1 / 2.0.squareRoot()
        #expect(abs(Self.gain(at: 100, sampleRate: rate, sections: sections) - 1) < 0.01)
        #expect(abs(Self.gain(at: 20, sampleRate: rate, sections: sections) - half) < 0.01, "−3 dB at 20 Hz")
        #expect(abs(Self.gain(at: 450, sampleRate: rate, sections: sections) - half) < 0.01, "−3 dB at 450 Hz")
        // Two octaves below the corner, 4th-order slope: ≈ −48 dB.
        #expect(Self.gain(at: 5, sampleRate: rate, sections: sections) < 0.005)
    }

    @Test func notchRemovesItsLineAndPassesItsNeighbours() throws {
        let notch = try BiquadCoefficients.notch(frequency: Hertz(50), qualityFactor: 30, sampleRate: Hertz(2000))
        #expect(Self.gain(at: 50, sampleRate: 2000, sections: [notch]) < 0.01)
        #expect(Self.gain(at: 60, sampleRate: 2000, sections: [notch]) > 0.98)
        // −3 dB at f0 ± f0/(2Q).
        let edge = Self.gain(at: 50 + 50 / 60.0, sampleRate: 2000, sections: [notch])
        #expect(abs(edge - 1 / 2.0.squareRoot()) < 0.02)
    }

    @Test func bandPassRemovesDC() throws {
        var conditioner = try EMGConditioner(sampleRate: Hertz(2000))
        var last: Float = 0
        for _ in 0..<4000 { last = conditioner.process(1000) }
        #expect(abs(last) < 1e-3, "1 mV of DC is gone after 2 s")
    }

    @Test func biquadIsAValueAndResets() throws {
        let notch = try BiquadCoefficients.notch(frequency: Hertz(50), qualityFactor: 30, sampleRate: Hertz(1000))
        var a = Biquad(coefficients: notch)
        _ = a.process(1)
        var b = a  // copies the state
        #expect(a.process(0) == b.process(0))
        a.reset()
        var fresh = Biquad(coefficients: notch)
        #expect(a.process(0.5) == fresh.process(0.5))
    }

    @Test func decayingStateIsFlushedNotSubnormal() throws {
        var filter = SOSCascade(coefficients: try Butterworth.bandPass(order: 4, band: .surfaceEMG, sampleRate: Hertz(2000)))
        var block = [Float](repeating: 0, count: 256)
        block[0] = 1
        var outputs: [Float] = []
        for _ in 0..<200 {
            filter.process(&block)
            outputs += block
            block = [Float](repeating: 0, count: 256)
        }
        // The flush keeps the decaying state out of the subnormal range, where x86 is slow.
        let subnormal = outputs.filter { $0 != 0 && abs($0) < Float.leastNormalMagnitude }
        #expect(subnormal.isEmpty)
        #expect(outputs.suffix(256).allSatisfy { $0 == 0 }, "at rest again")
    }
}
