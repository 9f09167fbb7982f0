// SPDX-License-Identifier: MIT
import RealModule

/// Computes `WindowFeatures` from one contiguous window of a conditioned EMG channel.
///
/// ## Definitions
///
/// For a window `x[0..<N]` (conditioned, i.e. band-passed and notched, *not* tapered) at rate
/// `fs`:
///
/// - **RMS** `= √(Σₙ x[n]² / N)`; **MAV** `= Σₙ |x[n]| / N`.
/// - **Zero crossings**: the pairs `n = 1..<N` where `x[n−1]` and `x[n]` have strictly
///   opposite signs (`x[n−1] < 0 < x[n]` or `x[n−1] > 0 > x[n]`; an exact zero never
///   crosses) *and* `|x[n] − x[n−1]| ≥ ε`. Reported per second: `count / (N / fs)`. The
///   threshold `ε` (default 1 µV) keeps quantisation-level jitter around zero from counting;
///   it is below the noise of any sEMG amplifier, so on real EMG it changes almost nothing.
/// - **Teager–Kaiser energy** `= Σ_{n=1}^{N−2} (x[n]² − x[n−1]·x[n+1]) / (N − 2)`.
/// - **Spectrum**: the periodogram of the Hann-tapered window,
///   `P[k] = |Σₙ w[n]·x[n]·e^(−2πi·kn/N)|²` with the *periodic* Hann window
///   `w[n] = 0.5 − 0.5·cos(2πn/N)` (SciPy `get_window("hann", N)`, the one `welch` and
///   `periodogram` use), at `f_k = k·fs/N` for `k = 0…⌊N/2⌋`. No scaling: every spectral
///   feature is a ratio of sums of `P`, so scale cancels.
/// - **Band**: the bins `K = {k : lower ≤ f_k ≤ upper}` of the spectral band (the conditioner's
///   band, 20–450 Hz by default). Moments `M_j = Σ_{k∈K} f_k^j · P[k]`.
/// - **MNF** `= M₁ / M₀`. **MDF** `= f_m` for the smallest `m ∈ K` with
///   `Σ_{k∈K, k≤m} P[k] ≥ M₀ / 2`. **FInsm5** `= M₋₁ / M₅` (Dimitrov et al. 2006).
///
/// ## Cost and sharing
///
/// An analyzer holds the FFT plan, the Hann table, per-bin frequency powers and scratch, all
/// allocated in `init`; `features(of:endingAt:)` allocates nothing. The moments are summed in
/// `Float`, four bins per SIMD vector, and converted to `Double` at the end (relative error
/// ~1e-6 against float64 on the golden vectors, far inside the tests' tolerances). It holds no state between
/// calls, so one analyzer can serve every channel of the same rate and window length — but
/// only one thread at a time (it is not `Sendable`).
public final class WindowAnalyzer {
    /// The rate of the windows analysed.
    public let sampleRate: Hertz
    /// The window length N, in samples.
    public let length: Int
    /// The band of the spectral features, or `nil` for none.
    public let spectralBand: FrequencyBand?
    /// The zero-crossing threshold ε, in the signal's unit (µV for EMG).
    public let zeroCrossingThreshold: Float

    private let fft: RealFFT?
    private let hann: [Float]
    /// Bins `firstBin...lastBin` form the band `K`.
    private let firstBin: Int
    private let lastBin: Int
    /// `f_k`, `1/f_k` and `f_k⁵` for the bins of `K`, in Hz, rounded to `Float`.
    private let frequency: [Float]
    private let inverseFrequency: [Float]
    private let fifthPower: [Float]
    /// `P[k]` for the bins of `K`: scratch for the median.
    private var power: [Float]

    /// An analyzer for windows of `length` samples at `sampleRate`.
    ///
    /// - Parameters:
    ///   - sampleRate: The rate of the windows.
    ///   - length: N, at least `WindowConfiguration.minimumLength`.
    ///   - spectralBand: The band for MNF/MDF/FInsm5, or `nil` when spectral features are
    ///     unavailable (no FFT is planned then).
    ///   - zeroCrossingThreshold: ε in the signal's unit, ≥ 0; default 1 (µV).
    /// - Throws: `FeatureConfigurationError.invalidSampleRate`, `.invalidWindowLength`,
    ///   `.invalidThreshold`, `.spectralBandTooNarrow` (fewer than two bins in the band, or
    ///   the band above Nyquist), `.fftPlanningFailed`.
    public init(
        sampleRate: Hertz, length: Int, spectralBand: FrequencyBand?,
        zeroCrossingThreshold: Float = 1
    ) throws(FeatureConfigurationError) {
        guard sampleRate.value.isFinite, sampleRate.value > 0 else { throw .invalidSampleRate(sampleRate) }
        guard length >= WindowConfiguration.minimumLength else {
            throw .invalidWindowLength(length, minimum: WindowConfiguration.minimumLength)
        }
        guard zeroCrossingThreshold.isFinite, zeroCrossingThreshold >= 0 else {
            throw .invalidThreshold(Double(zeroCrossingThreshold))
        }
        self.sampleRate = sampleRate
        self.length = length
        self.spectralBand = spectralBand
        self.zeroCrossingThreshold = zeroCrossingThreshold

        let n = Double(length)
        if let band = spectralBand {
            let binWidth = sampleRate.value / n
            // Same expression as the reference: f = arange(N//2 + 1) * fs / N.
            let bins = (0...(length / 2)).filter { k in band.contains(Hertz(Double(k) * sampleRate.value / n)) }
            guard let first = bins.first, let last = bins.last, bins.count >= 2, first > 0 else {
                throw .spectralBandTooNarrow(band, binWidth: Hertz(binWidth))
            }
            let f = (first...last).map { Double($0) * sampleRate.value / n }
            fft = try RealFFT(length: length)
            firstBin = first
            lastBin = last
            frequency = f.map { Float($0) }
            inverseFrequency = f.map { Float(1 / $0) }
            fifthPower = f.map { Float($0 * $0 * $0 * $0 * $0) }
            power = Array(repeating: 0, count: f.count)
            hann = (0..<length).map { Float(0.5 - 0.5 * Double.cos(2 * Double.pi * Double($0) / n)) }
        } else {
            fft = nil
            firstBin = 0
            lastBin = -1
            frequency = []
            inverseFrequency = []
            fifthPower = []
            power = []
            hann = []
        }
    }

    /// The features of `window`, which must hold exactly `length` samples, oldest first.
    ///
    /// - Parameters:
    ///   - window: The conditioned samples.
    ///   - end: The stream index one past the window's last sample (for `sampleRange` and
    ///     `endTime`).
    public func features(of window: UnsafeBufferPointer<Float>, endingAt end: Int) -> WindowFeatures {
        precondition(window.count == length, "the window must hold exactly `length` samples")
        return features(
            of: window, endingAt: end, sums: .window(window, threshold: zeroCrossingThreshold),
            tailSquares: tailSquares(of: window))
    }

    /// The sum of squares of the last `length / 4` samples of `window` (summed as
    /// `TimeDomainSums.tail` sums a hop-sized block, so both paths round alike).
    func tailSquares(of window: UnsafeBufferPointer<Float>) -> Float {
        let quarter = length / 4
        return TimeDomainSums.tail(
            UnsafeBufferPointer(rebasing: window[(length - quarter - 2)..<length]), threshold: zeroCrossingThreshold
        ).squares
    }

    /// The features of `window` whose time-domain sums were assembled from its blocks.
    func features(
        of window: UnsafeBufferPointer<Float>, endingAt end: Int, sums: TimeDomainSums, tailSquares: Float
    ) -> WindowFeatures {
        let spectral = fft.flatMap { spectralFeatures(window, fft: $0) }
        let n = Float(length)
        let seconds = Double(end) / sampleRate.value
        return WindowFeatures(
            sampleRange: (end - length)..<end,
            endTime: .seconds(seconds),
            rms: (max(sums.squares, 0) / n).squareRoot(),
            meanAbsoluteValue: sums.magnitudes / n,
            zeroCrossingsPerSecond: Float(Double(sums.crossings) * sampleRate.value / Double(length)),
            teagerKaiserEnergy: sums.teagerKaiser / Float(length - 2),
            tailRMS: (max(tailSquares, 0) / Float(length / 4)).squareRoot(),
            spectral: spectral)
    }

    // MARK: - Spectrum

    private func spectralFeatures(_ x: UnsafeBufferPointer<Float>, fft: RealFFT) -> SpectralFeatures? {
        guard let band = spectralBand else { return nil }
        hann.withUnsafeBufferPointer { w in
            fft.withInput { input in
                for n in 0..<length { input[n] = w[n] * x[n] }
            }
        }
        fft.transform()
        let first = firstBin
        let bins = lastBin - firstBin + 1
        return power.withUnsafeMutableBufferPointer { p -> SpectralFeatures? in
            // Four bins at a time: one SIMD8 load holds four interleaved (re, im) pairs.
            var acc0 = SIMD4<Float>.zero, acc1 = SIMD4<Float>.zero
            var accInverse = SIMD4<Float>.zero, acc5 = SIMD4<Float>.zero
            fft.withSpectrum { spectrum in
                let raw = UnsafeRawPointer(spectrum.baseAddress! + 2 * first)
                frequency.withUnsafeBufferPointer { f in
                    inverseFrequency.withUnsafeBufferPointer { fInv in
                        fifthPower.withUnsafeBufferPointer { f5 in
                            var j = 0
                            while j + 4 <= bins {
                                let v = SIMD8<Float>(loadingUnalignedFrom: raw + 8 * j)
                                let squares = v * v
                                let pk = squares.evenHalf + squares.oddHalf
                                p[j] = pk[0]; p[j + 1] = pk[1]; p[j + 2] = pk[2]; p[j + 3] = pk[3]
                                acc0 += pk
                                acc1 += pk * SIMD4(f[j], f[j + 1], f[j + 2], f[j + 3])
                                accInverse += pk * SIMD4(fInv[j], fInv[j + 1], fInv[j + 2], fInv[j + 3])
                                acc5 += pk * SIMD4(f5[j], f5[j + 1], f5[j + 2], f5[j + 3])
                                j += 4
                            }
                            while j < bins {
                                let re = spectrum[2 * (first + j)], im = spectrum[2 * (first + j) + 1]
                                let pk = re * re + im * im
                                p[j] = pk
                                acc0[0] += pk
                                acc1[0] += pk * f[j]
                                accInverse[0] += pk * fInv[j]
                                acc5[0] += pk * f5[j]
                                j += 1
                            }
                        }
                    }
                }
            }
            let m0 = Double(acc0.sum()), m1 = Double(acc1.sum())
            let mInverse = Double(accInverse.sum()), m5 = Double(acc5.sum())
            guard m0 > 0, m0.isFinite else { return nil }
            let half = Float(m0 / 2)
            var cumulative: Float = 0
            var median = p.count - 1
            for j in p.indices {
                cumulative += p[j]
                if cumulative >= half {
                    median = j
                    break
                }
            }
            return SpectralFeatures(
                band: band,
                meanFrequency: Hertz(m1 / m0),
                medianFrequency: Hertz(Double(median + first) * sampleRate.value / Double(length)),
                dimitrovIndexFInsm5: mInverse / m5)
        }
    }
}
