// SPDX-License-Identifier: MIT
import RealModule

/// A filter as zeros, poles and gain (SciPy's "zpk"), and the conversions the Butterworth
/// designs need: the low-pass prototype, the frequency transformations, the bilinear transform
/// and the split into second-order sections.
///
/// Each step is a direct port of the SciPy 1.17 function named in its comment, in the same
/// order of operations, so that `Butterworth` reproduces `scipy.signal.butter(…, output="sos")`
/// row for row (checked by the golden vectors in `Tests/CrampCoreTests/Vectors`).
struct PoleZeroDesign {
    var zeros: [DesignComplex]
    var poles: [DesignComplex]
    var gain: Double

    /// `buttap(N)`: the analog Butterworth low-pass prototype with cut-off 1 rad/s.
    static func butterworthPrototype(order n: Int) -> PoleZeroDesign {
        // m = arange(-N+1, N, 2); p = -exp(1j*pi*m/(2*N)); the middle value is 0 for odd N,
        // which makes that pole exactly real.
        let poles = stride(from: -n + 1, to: n, by: 2).map { m -> DesignComplex in
            let e = DesignComplex.unit(angle: Double.pi * Double(m) / Double(2 * n))
            return DesignComplex(-e.re, -e.im)
        }
        return PoleZeroDesign(zeros: [], poles: poles, gain: 1)
    }

    var relativeDegree: Int { poles.count - zeros.count }

    /// `lp2lp_zpk(z, p, k, wo)`.
    func lowPassToLowPass(cutoff wo: Double) -> PoleZeroDesign {
        let degree = relativeDegree
        return PoleZeroDesign(
            zeros: zeros.map { $0 * wo }, poles: poles.map { $0 * wo },
            gain: gain * Double.pow(wo, degree))
    }

    /// `lp2hp_zpk(z, p, k, wo)`.
    func lowPassToHighPass(cutoff wo: Double) -> PoleZeroDesign {
        let degree = relativeDegree
        let w = DesignComplex(wo)
        var z = zeros.map { w / $0 }
        z += Array(repeating: DesignComplex(0), count: degree)
        let p = poles.map { w / $0 }
        // k * real(prod(-z) / prod(-p))
        let num = zeros.reduce(DesignComplex(1)) { $0 * DesignComplex(-$1.re, -$1.im) }
        let den = poles.reduce(DesignComplex(1)) { $0 * DesignComplex(-$1.re, -$1.im) }
        return PoleZeroDesign(zeros: z, poles: p, gain: gain * (num / den).re)
    }

    /// `lp2bp_zpk(z, p, k, wo, bw)`.
    func lowPassToBandPass(centre wo: Double, bandwidth bw: Double) -> PoleZeroDesign {
        let degree = relativeDegree
        let wo2 = DesignComplex(wo * wo)
        func shift(_ values: [DesignComplex]) -> [DesignComplex] {
            let scaled = values.map { $0 * (bw / 2) }
            let roots = scaled.map { ($0 * $0 - wo2).squareRoot }
            return zip(scaled, roots).map { $0 + $1 } + zip(scaled, roots).map { $0 - $1 }
        }
        return PoleZeroDesign(
            zeros: shift(zeros) + Array(repeating: DesignComplex(0), count: degree),
            poles: shift(poles),
            gain: gain * Double.pow(bw, degree))
    }

    /// `bilinear_zpk(z, p, k, fs)`.
    func bilinear(sampleRate fs: Double) -> PoleZeroDesign {
        let degree = relativeDegree
        let fs2 = DesignComplex(2 * fs)
        var z = zeros.map { (fs2 + $0) / (fs2 - $0) }
        z += Array(repeating: DesignComplex(-1), count: degree)
        let p = poles.map { (fs2 + $0) / (fs2 - $0) }
        let num = zeros.reduce(DesignComplex(1)) { $0 * (fs2 - $1) }
        let den = poles.reduce(DesignComplex(1)) { $0 * (fs2 - $1) }
        return PoleZeroDesign(zeros: z, poles: p, gain: gain * (num / den).re)
    }

    /// `zpk2sos(z, p, k, pairing="nearest")` for a digital filter.
    ///
    /// Sections are built from the "worst" pole (closest to the unit circle) down, each pole
    /// paired with the nearest zero(s), and stored in reverse so that the worst poles come last;
    /// the overall gain goes into the first section's numerator.
    func secondOrderSections() -> [BiquadCoefficients] {
        var p = poles
        var z = zeros
        if z.isEmpty && p.isEmpty {
            return [BiquadCoefficients(normalizedB0: gain, b1: 0, b2: 0, a1: 0, a2: 0)]
        }
        // Same number of poles and zeros, padded at the origin.
        if p.count < z.count { p += Array(repeating: DesignComplex(0), count: z.count - p.count) }
        if z.count < p.count { z += Array(repeating: DesignComplex(0), count: p.count - z.count) }
        let sectionCount = (max(p.count, z.count) + 1) / 2
        if p.count % 2 == 1 {
            p.append(DesignComplex(0))
            z.append(DesignComplex(0))
        }
        z = Self.conjugatePairsThenReals(z)
        p = Self.conjugatePairsThenReals(p)

        func worstPoleIndex(_ candidates: [DesignComplex]) -> Int {
            var best = 0
            for i in candidates.indices where abs(1 - candidates[i].magnitude) < abs(1 - candidates[best].magnitude) {
                best = i
            }
            return best
        }
        func nearestIndex(in values: [DesignComplex], to target: DesignComplex, where keep: (DesignComplex) -> Bool) -> Int {
            // np.argsort(abs(fro - to)) then the first that passes the filter; ties keep order.
            let order = values.indices.sorted {
                let a = (values[$0] - target).magnitude, b = (values[$1] - target).magnitude
                return a < b || (a == b && $0 < $1)
            }
            return order.first { keep(values[$0]) }!
        }

        var sections = Array(repeating: BiquadCoefficients(normalizedB0: 1, b1: 0, b2: 0, a1: 0, a2: 0), count: sectionCount)
        for si in stride(from: sectionCount - 1, through: 0, by: -1) {
            let p1 = p.remove(at: worstPoleIndex(p))
            let realPolesLeft = p.filter(\.isReal).count
            if p1.isReal && realPolesLeft == 0 {
                // Special case (1): the last remaining real pole.
                let z1 = z.remove(at: nearestIndex(in: z, to: p1, where: \.isReal))
                sections[si] = Self.section(zeros: [z1, DesignComplex(0)], poles: [p1, DesignComplex(0)])
            } else if p.count + 1 == z.count, !p1.isReal, realPolesLeft == 1, z.filter(\.isReal).count == 1 {
                // Special case (2): one real pole and one real zero left; pair with a complex zero.
                let z1 = z.remove(at: nearestIndex(in: z, to: p1, where: { !$0.isReal }))
                sections[si] = Self.section(zeros: [z1, z1.conjugate], poles: [p1, p1.conjugate])
            } else {
                let p2: DesignComplex
                if p1.isReal {
                    let realIndices = p.indices.filter { p[$0].isReal }
                    let worstReal = realIndices[worstPoleIndex(realIndices.map { p[$0] })]
                    p2 = p.remove(at: worstReal)
                } else {
                    p2 = p1.conjugate
                }
                if z.isEmpty {
                    sections[si] = Self.section(zeros: [], poles: [p1, p2])
                } else {
                    let z1 = z.remove(at: nearestIndex(in: z, to: p1, where: { _ in true }))
                    if !z1.isReal {
                        sections[si] = Self.section(zeros: [z1, z1.conjugate], poles: [p1, p2])
                    } else if !z.isEmpty {
                        let z2 = z.remove(at: nearestIndex(in: z, to: p1, where: \.isReal))
                        sections[si] = Self.section(zeros: [z1, z2], poles: [p1, p2])
                    } else {
                        sections[si] = Self.section(zeros: [z1], poles: [p1, p2])
                    }
                }
            }
        }
        sections[0].b0 *= gain
        sections[0].b1 *= gain
        sections[0].b2 *= gain
        return sections
    }

    /// `_cplxreal`: one member (positive imaginary part) of each conjugate pair, sorted by real
    /// part, followed by the real values in ascending order.
    static func conjugatePairsThenReals(_ values: [DesignComplex]) -> [DesignComplex] {
        let tolerance = 100 * Double.ulpOfOne
        let sorted = values.sorted { ($0.re, abs($0.im)) < ($1.re, abs($1.im)) }
        let reals = sorted.filter { abs($0.im) <= tolerance * $0.magnitude }.map { DesignComplex($0.re) }
        let complex = sorted.filter { abs($0.im) > tolerance * $0.magnitude }
        let positive = complex.filter { $0.im > 0 }
        let negative = complex.filter { $0.im < 0 }
        // Both halves come out in the same real-part order; average each pair as SciPy does.
        let pairs = zip(positive, negative).map { DesignComplex(($0.re + $1.re) / 2, ($0.im - $1.im) / 2) }
        return pairs + reals
    }

    /// `_single_zpksos`: `zpk2tf` of up to two zeros and two poles, right-aligned.
    static func section(zeros: [DesignComplex], poles: [DesignComplex]) -> BiquadCoefficients {
        func polynomial(_ roots: [DesignComplex]) -> [Double] {
            switch roots.count {
            case 0: return [0, 0, 1]
            case 1: return [0, 1, -roots[0].re]
            default:
                let sum = roots[0] + roots[1]
                let product = roots[0] * roots[1]
                return [1, -sum.re, product.re]
            }
        }
        let b = polynomial(zeros)
        let a = polynomial(poles)
        // Sections always have a leading 1 in `a` here (two poles after padding).
        return BiquadCoefficients(normalizedB0: b[0], b1: b[1], b2: b[2], a1: a[1], a2: a[2])
    }
}
