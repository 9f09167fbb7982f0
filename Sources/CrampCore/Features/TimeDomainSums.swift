// SPDX-License-Identifier: MIT

/// The sums behind the time-domain features (RMS, MAV, zero crossings, Teager–Kaiser energy)
/// of a stretch of samples, and the SIMD kernel that computes them.
///
/// Sums add, so a window's sums can be assembled from the sums of its hop-sized blocks, each
/// computed once when the block arrives instead of once for every window that overlaps it
/// (four times at 75 % overlap). `SlidingFeatureExtractor` does that whenever the window length
/// is a multiple of the hop.
struct TimeDomainSums: Equatable, Sendable {
    var squares: Float = 0
    var magnitudes: Float = 0
    var crossings: Int = 0
    var teagerKaiser: Float = 0

    static func + (l: TimeDomainSums, r: TimeDomainSums) -> TimeDomainSums {
        TimeDomainSums(
            squares: l.squares + r.squares, magnitudes: l.magnitudes + r.magnitudes,
            crossings: l.crossings + r.crossings, teagerKaiser: l.teagerKaiser + r.teagerKaiser)
    }

    static func - (l: TimeDomainSums, r: TimeDomainSums) -> TimeDomainSums {
        TimeDomainSums(
            squares: l.squares - r.squares, magnitudes: l.magnitudes - r.magnitudes,
            crossings: l.crossings - r.crossings, teagerKaiser: l.teagerKaiser - r.teagerKaiser)
    }

    /// Whether `x[n−1]` and `x[n]` form a zero crossing (strictly opposite signs, step ≥ ε).
    @inline(__always)
    static func crosses(_ previous: Float, _ current: Float, threshold: Float) -> Bool {
        ((previous < 0 && current > 0) || (previous > 0 && current < 0)) && abs(current - previous) >= threshold
    }

    /// The sums of a whole window `x[0..<N]`, as `WindowAnalyzer` defines the features:
    /// squares and magnitudes of every sample, crossings of the pairs ending at `1..<N`,
    /// Teager–Kaiser terms centred at `1...N−2`.
    static func window(_ x: UnsafeBufferPointer<Float>, threshold: Float) -> TimeDomainSums {
        var sums = tail(x, threshold: threshold)
        sums.squares += x[0] * x[0] + x[1] * x[1]
        sums.magnitudes += abs(x[0]) + abs(x[1])
        if crosses(x[0], x[1], threshold: threshold) { sums.crossings += 1 }
        return sums
    }

    /// The terms of `x[0..<count]` that begin at index 2: squares and magnitudes of
    /// `x[2..<count]`, crossings of the pairs ending at `2..<count`, Teager–Kaiser terms centred
    /// at `1..<count−1`. For a block `[s, s+hop)` read with its two predecessors
    /// (`x = stream[s−2 ..< s+hop]`) these are exactly the block's own terms.
    static func tail(_ x: UnsafeBufferPointer<Float>, threshold: Float) -> TimeDomainSums {
        typealias V = SIMD8<Float>
        let count = x.count
        let base = UnsafeRawPointer(x.baseAddress!)
        var squares = V.zero, magnitudes = V.zero, tke = V.zero
        var crossings = SIMD8<Int32>.zero
        let zero = V.zero, eps = V(repeating: threshold), one = SIMD8<Int32>(repeating: 1)
        // Lanes: pairs ending at n = i+2 … i+9 (a = x[n−1], b = x[n]) and Teager–Kaiser terms
        // centred at n − 1 (c = x[n−2]).
        var i = 0
        while i + 10 <= count {
            let c = V(loadingUnalignedFrom: base + i * 4)
            let a = V(loadingUnalignedFrom: base + (i + 1) * 4)
            let b = V(loadingUnalignedFrom: base + (i + 2) * 4)
            squares += b * b
            magnitudes += b.replacing(with: -b, where: b .< zero)
            tke += a * a - c * b
            let opposite = ((a .< zero) .& (b .> zero)) .| ((a .> zero) .& (b .< zero))
            let step = b - a
            let large = (step .>= eps) .| (step .<= -eps)
            crossings &+= SIMD8<Int32>.zero.replacing(with: one, where: opposite .& large)
            i += 8
        }
        var sums = TimeDomainSums(
            squares: squares.sum(), magnitudes: magnitudes.sum(),
            crossings: Int(crossings.wrappedSum()), teagerKaiser: tke.sum())
        var n = i + 2
        while n < count {
            let b = x[n], a = x[n - 1]
            sums.squares += b * b
            sums.magnitudes += abs(b)
            sums.teagerKaiser += a * a - x[n - 2] * b
            if crosses(a, b, threshold: threshold) { sums.crossings += 1 }
            n += 1
        }
        return sums
    }

    /// The terms of a block read with its two predecessors (`x = stream[s−2 ..< s+hop]`) that a
    /// window starting at `s` must *not* include: the pair ending at `s` and the Teager–Kaiser
    /// terms centred at `s−1` and `s`. Needs `x.count ≥ 4`.
    static func lead(_ x: UnsafeBufferPointer<Float>, threshold: Float) -> TimeDomainSums {
        var sums = TimeDomainSums()
        if crosses(x[1], x[2], threshold: threshold) { sums.crossings = 1 }
        sums.teagerKaiser = (x[1] * x[1] - x[0] * x[2]) + (x[2] * x[2] - x[1] * x[3])
        return sums
    }
}
