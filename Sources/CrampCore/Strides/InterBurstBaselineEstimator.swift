// SPDX-License-Identifier: MIT
import RealModule

/// The baseline RMS of the quiet interval between two bursts of one conditioned EMG channel,
/// made robust to the things that are not the muscle's tonic activity: the edges of the bursts,
/// a notch ringing after each burst, and an isolated twitch.
///
/// Given the interval `[offset of burst k, onset of burst k+1)`:
///
/// 1. **Middle part.** Only the middle of the interval is measured: `edgeFraction` (20 %) of
///    it is left out at each end, where the bursts' slopes (below the detector's threshold)
///    and the band-pass's response to them sit. The middle part must hold at least
///    `minimumDuration` (40 ms).
/// 2. **Notch ringing removed.** When the channel is notched, the damped sinusoid of the mains
///    notch (`NotchRinging`: the exact frequency and decay of the fundamental's poles) is fitted
///    to the middle part by least squares — two coefficients, amplitude and phase — and
///    subtracted. Stationary hum left over by the notch is at the same frequency and is
///    removed with it. Only the fundamental is fitted: a harmonic `k` decays `k` times faster,
///    and fitting more damped terms starts to absorb the baseline itself (measured on simulated
///    running EMG: the fundamental alone brings a notched baseline from 2.0× back to within a
///    few per cent of the un-notched one; three terms undershoot by 15 %).
/// 3. **Median of blocks.** The residual is cut into blocks of `blockDuration` (20 ms); the
///    baseline is the square root of the median of the blocks' mean squares, so a twitch that
///    covers less than half of the middle part does not raise it.
///
/// The estimate uses every `sampleStride`-th sample (`fs/1000`: about a thousand per second).
/// Subsampling keeps the power — the mean square of every other sample estimates the same
/// mean square — and the fit uses the pole raised to that power; it halves the work at 2 kHz.
///
/// Nothing is allocated after `init`; the scratch holds up to `maximumDuration` of samples.
public struct InterBurstBaselineEstimator: Sendable {
    /// The rate of the channel.
    public let sampleRate: Hertz
    /// The fraction of the interval left out at each end, `0 ≤ f < 0.5`.
    public let edgeFraction: Double
    /// Every `sampleStride`-th sample of the measured range is used.
    public let sampleStride: Int
    /// Used samples per block.
    public let blockLength: Int
    /// The shortest middle part measured, in samples of the channel.
    public let minimumLength: Int
    /// The notch ringing removed, if the channel is notched (set it when the notch is chosen).
    public var ringing: NotchRinging?

    private let maximumLength: Int
    private var blockMeans: [Float]
    private var residualSquares: [Float]

    /// An estimator at `sampleRate`.
    ///
    /// - Parameters:
    ///   - edgeFraction: Left out at each end; default 0.2.
    ///   - blockDuration: Default 20 ms.
    ///   - minimumDuration: Default 40 ms.
    ///   - maximumDuration: The longest middle part measured (longer ones are cut to their
    ///     centre); default 4 s.
    ///   - ringing: The notch's ringing, or `nil` for an un-notched channel.
    /// - Throws: `FeatureConfigurationError.invalidSampleRate`, `.invalidParameter` for an edge
    ///   fraction outside `0..<0.5`, `.invalidDuration` for a block of less than 2 used samples or
    ///   a minimum shorter than a block.
    public init(
        sampleRate: Hertz, edgeFraction: Double = 0.2, blockDuration: Duration = .milliseconds(20),
        minimumDuration: Duration = .milliseconds(40), maximumDuration: Duration = .seconds(4),
        ringing: NotchRinging?
    ) throws(FeatureConfigurationError) {
        guard sampleRate.value.isFinite, sampleRate.value > 0 else { throw .invalidSampleRate(sampleRate) }
        guard edgeFraction >= 0, edgeFraction < 0.5 else { throw .invalidParameter("edgeFraction", edgeFraction) }
        let stride = max(1, Int(sampleRate.value / 1000))
        let block = Int((Double(sampleRate.sampleCount(blockDuration)) / Double(stride)).rounded())
        guard block >= 2 else { throw .invalidDuration("blockDuration", blockDuration) }
        let minimum = sampleRate.sampleCount(minimumDuration)
        guard minimum >= block * stride else { throw .invalidDuration("minimumDuration", minimumDuration) }
        let maximum = max(minimum, sampleRate.sampleCount(maximumDuration))
        self.sampleRate = sampleRate
        self.edgeFraction = edgeFraction
        sampleStride = stride
        blockLength = block
        minimumLength = minimum
        maximumLength = maximum
        self.ringing = ringing
        let used = maximum / stride + 1
        blockMeans = Array(repeating: 0, count: used / block + 1)
        residualSquares = Array(repeating: 0, count: used + 4)
    }

    /// The part of the interval `from ..< to` (sample indices) that is measured, or `nil` if it
    /// is shorter than `minimumLength`.
    public func measuredRange(from start: Int, to end: Int) -> Range<Int>? {
        let length = end - start
        guard length > 0 else { return nil }
        let edge = Int((Double(length) * edgeFraction).rounded(.toNearestOrAwayFromZero))
        var lower = start + edge, upper = end - edge
        if upper - lower > maximumLength {
            let excess = upper - lower - maximumLength
            lower += excess / 2
            upper = lower + maximumLength
        }
        guard upper - lower >= minimumLength else { return nil }
        return lower..<upper
    }

    /// How many used samples a measured range holds: every `sampleStride`-th, from its first.
    public func usedCount(_ range: Range<Int>) -> Int { (range.count + sampleStride - 1) / sampleStride }

    /// The baseline RMS (µV) of `segment`: the used samples of the measured range (every
    /// `sampleStride`-th, oldest first); `nil` if it holds less than two blocks' worth.
    public mutating func estimate(_ segment: UnsafeBufferPointer<Float>) -> Float? {
        let count = min(segment.count, residualSquares.count - 4)
        let blocks = count / blockLength
        guard blocks >= 2 else { return nil }
        // Least-squares fit of α·c[n] + β·s[n], c + i·s = z^n with z the pole raised to the
        // sample stride, by its 2×2 normal equations. The basis comes from four interleaved
        // recurrences (z^(n+4) = z⁴·z^n, one per SIMD lane) so that the loop does not wait on
        // one long chain.
        var alpha: Float = 0, beta: Float = 0
        var z4 = (re: Float(1), im: Float(0))
        var start = (re: SIMD4<Float>(1, 0, 0, 0), im: SIMD4<Float>.zero)
        if let ringing {
            let radius = Double.pow(ringing.radius, Double(sampleStride))
            let angle = ringing.radiansPerSample * Double(sampleStride)
            func power(_ k: Double) -> (re: Double, im: Double) {
                let r = Double.pow(radius, k)
                return (r * Double.cos(k * angle), r * Double.sin(k * angle))
            }
            let p1 = power(1), p2 = power(2), p3 = power(3), p4 = power(4)
            z4 = (Float(p4.re), Float(p4.im))
            start = (SIMD4(1, Float(p1.re), Float(p2.re), Float(p3.re)), SIMD4(0, Float(p1.im), Float(p2.im), Float(p3.im)))
            var cc = SIMD4<Float>(), cs = SIMD4<Float>(), ss = SIMD4<Float>(), cy = SIMD4<Float>(), sy = SIMD4<Float>()
            var c = start.re, s = start.im
            var n = 0
            while n < count {
                var y = SIMD4<Float>()
                for k in 0..<4 where n + k < count { y[k] = segment[n + k] }
                // Past the end the basis keeps going but y is 0: mask its terms out of cc, cs, ss.
                let valid = SIMD4<Float>(n < count ? 1 : 0, n + 1 < count ? 1 : 0, n + 2 < count ? 1 : 0, n + 3 < count ? 1 : 0)
                let cv = c * valid, sv = s * valid
                cc += cv * cv
                cs += cv * sv
                ss += sv * sv
                cy += c * y
                sy += s * y
                let next = z4.re * c - z4.im * s
                s = z4.re * s + z4.im * c
                c = next
                n += 4
            }
            let gcc = Double(cc.sum()), gcs = Double(cs.sum()), gss = Double(ss.sum())
            let gcy = Double(cy.sum()), gsy = Double(sy.sum())
            let determinant = gcc * gss - gcs * gcs
            if determinant > 1e-6 * gcc * gss {
                alpha = Float((gss * gcy - gcs * gsy) / determinant)
                beta = Float((gcc * gsy - gcs * gcy) / determinant)
            }
        }
        let used = blocks * blockLength
        return residualSquares.withUnsafeMutableBufferPointer { squares -> Float? in
            // The residual's squares, four samples at a time, with the basis regenerated as above.
            var c = start.re, s = start.im
            var n = 0
            while n < used {
                var y = SIMD4<Float>()
                for k in 0..<4 where n + k < used { y[k] = segment[n + k] }
                let residual = y - (alpha * c + beta * s)
                let r2 = residual * residual
                for k in 0..<4 where n + k < used { squares[n + k] = r2[k] }
                let next = z4.re * c - z4.im * s
                s = z4.re * s + z4.im * c
                c = next
                n += 4
            }
            return blockMeans.withUnsafeMutableBufferPointer { means -> Float? in
                for b in 0..<blocks {
                    var sum: Float = 0
                    for i in (b * blockLength)..<((b + 1) * blockLength) { sum += squares[i] }
                    means[b] = sum / Float(blockLength)
                }
                guard let median = OrderStatistics.quantile(UnsafeMutableBufferPointer(rebasing: means[0..<blocks]), 0.5)
                else { return nil }
                return median.squareRoot()
            }
        }
    }
}
