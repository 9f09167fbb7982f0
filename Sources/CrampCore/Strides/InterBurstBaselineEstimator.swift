// SPDX-License-Identifier: MIT

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
///    running EMG: the fundamental alone brings a notched baseline from 2.0× back to within 1 %
///    of the un-notched one; three terms undershoot by 15 %).
/// 3. **Median of blocks.** The residual is cut into blocks of `blockDuration` (20 ms); the
///    baseline is the square root of the median of the blocks' mean squares, so a twitch that
///    covers less than half of the middle part does not raise it.
///
/// Nothing is allocated after `init`; the scratch holds up to `maximumDuration` of samples.
public struct InterBurstBaselineEstimator: Sendable {
    /// The rate of the segments.
    public let sampleRate: Hertz
    /// The fraction of the interval left out at each end, `0 ≤ f < 0.5`.
    public let edgeFraction: Double
    /// Samples per block.
    public let blockLength: Int
    /// The shortest middle part measured, in samples.
    public let minimumLength: Int
    /// The notch ringing removed, if the channel is notched (set it when the notch is chosen).
    public var ringing: NotchRinging?

    private var blockMeans: [Float]

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
    ///   fraction outside `0..<0.5`, `.invalidDuration` for a block of less than 2 samples or a
    ///   minimum shorter than a block.
    public init(
        sampleRate: Hertz, edgeFraction: Double = 0.2, blockDuration: Duration = .milliseconds(20),
        minimumDuration: Duration = .milliseconds(40), maximumDuration: Duration = .seconds(4),
        ringing: NotchRinging?
    ) throws(FeatureConfigurationError) {
        guard sampleRate.value.isFinite, sampleRate.value > 0 else { throw .invalidSampleRate(sampleRate) }
        guard edgeFraction >= 0, edgeFraction < 0.5 else { throw .invalidParameter("edgeFraction", edgeFraction) }
        let block = sampleRate.sampleCount(blockDuration)
        guard block >= 2 else { throw .invalidDuration("blockDuration", blockDuration) }
        let minimum = sampleRate.sampleCount(minimumDuration)
        guard minimum >= block else { throw .invalidDuration("minimumDuration", minimumDuration) }
        let maximum = max(minimum, sampleRate.sampleCount(maximumDuration))
        self.sampleRate = sampleRate
        self.edgeFraction = edgeFraction
        blockLength = block
        minimumLength = minimum
        self.ringing = ringing
        blockMeans = Array(repeating: 0, count: maximum / block + 1)
    }

    /// The part of the interval `from ..< to` (sample indices) that is measured, or `nil` if it
    /// is shorter than `minimumLength`.
    public func measuredRange(from start: Int, to end: Int) -> Range<Int>? {
        let length = end - start
        guard length > 0 else { return nil }
        let edge = Int((Double(length) * edgeFraction).rounded(.toNearestOrAwayFromZero))
        var lower = start + edge, upper = end - edge
        let maximum = (blockMeans.count - 1) * blockLength
        if upper - lower > maximum {
            let excess = upper - lower - maximum
            lower += excess / 2
            upper = lower + maximum
        }
        guard upper - lower >= minimumLength else { return nil }
        return lower..<upper
    }

    /// The baseline RMS (µV) of the `count` samples that `sample(n)` returns (the measured
    /// range, oldest first); `nil` if `count` is below `minimumLength`.
    public mutating func estimate(count: Int, sample: (Int) -> Float) -> Float? {
        guard count >= minimumLength else { return nil }
        let count = min(count, (blockMeans.count - 1) * blockLength)
        // Least-squares fit of α·c[n] + β·s[n], c + i·s = (ρ e^{iθ})^n, by its 2×2 normal equations.
        var alpha = 0.0, beta = 0.0, rho = 1.0, cosTheta = 1.0, sinTheta = 0.0
        if let ringing {
            rho = ringing.radius
            cosTheta = ringing.cosine
            sinTheta = ringing.sine
            var cc = 0.0, cs = 0.0, ss = 0.0, cy = 0.0, sy = 0.0
            var c = 1.0, s = 0.0
            for n in 0..<count {
                let y = Double(sample(n))
                cc += c * c
                cs += c * s
                ss += s * s
                cy += c * y
                sy += s * y
                let next = rho * (c * cosTheta - s * sinTheta)
                s = rho * (s * cosTheta + c * sinTheta)
                c = next
            }
            let determinant = cc * ss - cs * cs
            if determinant > 1e-9 * cc * ss {
                alpha = (ss * cy - cs * sy) / determinant
                beta = (cc * sy - cs * cy) / determinant
            }
        }
        let blocks = count / blockLength
        return blockMeans.withUnsafeMutableBufferPointer { means -> Float? in
            var c = 1.0, s = 0.0
            var n = 0
            for b in 0..<blocks {
                var squares = 0.0
                for _ in 0..<blockLength {
                    let residual = Double(sample(n)) - (alpha * c + beta * s)
                    squares += residual * residual
                    let next = rho * (c * cosTheta - s * sinTheta)
                    s = rho * (s * cosTheta + c * sinTheta)
                    c = next
                    n += 1
                }
                means[b] = Float(squares / Double(blockLength))
            }
            guard let median = OrderStatistics.quantile(UnsafeMutableBufferPointer(rebasing: means[0..<blocks]), 0.5) else {
                return nil
            }
            return median.squareRoot()
        }
    }
}
