// SPDX-License-Identifier: MIT
import RealModule

/// Detrended fluctuation analysis of first order (DFA-1) of a series of fixed length: the
/// scaling exponent α over a range of box sizes.
///
/// The definition (Peng et al. 1995), as in `scripts/gen_hr_vectors.py`:
/// 1. the profile `y_k = Σ_{i≤k} (x_i − x̄)`, k = 1…N;
/// 2. for each box size n, the profile is cut into ⌊N/n⌋ non-overlapping boxes from its start
///    (a remainder at the end is left out), a least-squares line is fitted in each box, and
///    `F(n) = √(mean over all boxes of the mean squared residual)`;
/// 3. α is the least-squares slope of ln F(n) against ln n over the box sizes.
///
/// With box sizes 4…16 beats and RR intervals this is the short-term exponent α1. It agrees
/// with NeuroKit2's `fractal_dfa(x, scale=range(4, 17), overlap=False)` except that NeuroKit2
/// leaves out boxes whose residual variance is ≤ 1e-8 (see docs/CARDIO_GAIT.md).
///
/// Each box is fitted in closed form — with the box's own index t = 0…n−1, the residual sum of
/// squares is `S_yy − S_ty²/S_tt`, `S_tt = n(n²−1)/12`, sums taken about the box means — so one
/// analysis costs about 3·N operations per box size and allocates nothing.
public struct DetrendedFluctuationAnalysis: Sendable {
    /// The number of values analysed.
    public let length: Int
    /// The box sizes, in samples (beats), every integer in the range.
    public let boxSizes: ClosedRange<Int>

    private var profile: [Double]
    private var logSizes: [Double]
    /// F(n) of the last analysis, one per box size (smallest first).
    public private(set) var fluctuations: [Double]

    /// An analysis of `length` values over `boxSizes`.
    ///
    /// - Throws: `CardioGaitConfigurationError.outOfRange` for a smallest box under 3 values
    ///   (a line through 2 points leaves no residual), fewer than 2 box sizes, or a length
    ///   shorter than two of the largest boxes or longer than 100 000.
    public init(length: Int, boxSizes: ClosedRange<Int> = 4...16) throws(CardioGaitConfigurationError) {
        try CardioGaitConfigurationError.check("dfa.boxSizes.lowerBound", boxSizes.lowerBound, in: 3...10_000)
        try CardioGaitConfigurationError.check("dfa.boxSizes.upperBound", boxSizes.upperBound, in: (boxSizes.lowerBound + 1)...10_000)
        try CardioGaitConfigurationError.check("dfa.length", length, in: (2 * boxSizes.upperBound)...100_000)
        self.length = length
        self.boxSizes = boxSizes
        profile = Array(repeating: 0, count: length)
        logSizes = boxSizes.map { Double.log(Double($0)) }
        fluctuations = Array(repeating: 0, count: boxSizes.count)
    }

    /// The scaling exponent α of `series`.
    ///
    /// - Parameter series: Exactly `length` finite values, oldest first.
    /// - Returns: α, or `nil` if some F(n) is zero (a series without fluctuations at that
    ///   scale, e.g. constant), where the logarithm is undefined.
    public mutating func alpha(of series: UnsafeBufferPointer<Double>) -> Double? {
        precondition(series.count == length, "DFA was designed for \(length) values, got \(series.count)")
        let n = length
        let sizes = boxSizes
        return profile.withUnsafeMutableBufferPointer { y in
            fluctuations.withUnsafeMutableBufferPointer { f in
                logSizes.withUnsafeBufferPointer { logN in
                    var mean = 0.0
                    for i in 0..<n { mean += series[i] }
                    mean /= Double(n)
                    var running = 0.0
                    for i in 0..<n {
                        running += series[i] - mean
                        y[i] = running
                    }
                    for k in 0..<sizes.count {
                        let box = sizes.lowerBound + k
                        let boxes = n / box
                        let tMean = Double(box - 1) / 2
                        let stt = Double(box) * (Double(box) * Double(box) - 1) / 12
                        var residual = 0.0
                        for b in 0..<boxes {
                            let base = b * box
                            var yMean = 0.0
                            for j in 0..<box { yMean += y[base + j] }
                            yMean /= Double(box)
                            var syy = 0.0
                            var sty = 0.0
                            for j in 0..<box {
                                let dy = y[base + j] - yMean
                                syy += dy * dy
                                sty += (Double(j) - tMean) * dy
                            }
                            residual += max(0, syy - sty * sty / stt)
                        }
                        f[k] = (residual / Double(boxes * box)).squareRoot()
                    }
                    // Least-squares slope of ln F against ln n.
                    var xMean = 0.0
                    var yLogMean = 0.0
                    for k in 0..<f.count {
                        guard f[k] > 0 else { return nil }
                        xMean += logN[k]
                        yLogMean += Double.log(f[k])
                    }
                    xMean /= Double(f.count)
                    yLogMean /= Double(f.count)
                    var sxy = 0.0
                    var sxx = 0.0
                    for k in 0..<f.count {
                        let dx = logN[k] - xMean
                        sxy += dx * (Double.log(f[k]) - yLogMean)
                        sxx += dx * dx
                    }
                    return sxy / sxx
                }
            }
        }
    }
}
