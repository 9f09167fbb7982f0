// SPDX-License-Identifier: MIT

/// Order statistics of small buffers, in place and without allocating (Swift's `sort()` may
/// allocate a merge buffer, which the streaming paths must not do).
enum OrderStatistics {
    /// Sorts `values` in place (insertion sort: the buffers here hold at most a few hundred
    /// values, and most are nearly sorted).
    static func sort(_ values: UnsafeMutableBufferPointer<Float>) {
        guard values.count > 1 else { return }
        for i in 1..<values.count {
            let v = values[i]
            var j = i - 1
            while j >= 0 && values[j] > v {
                values[j + 1] = values[j]
                j -= 1
            }
            values[j + 1] = v
        }
    }

    /// The `q`-quantile (0…1) of `values`, which it sorts in place: linear interpolation between
    /// order statistics (NumPy's default, `np.quantile(..., method="linear")`). `nil` when empty.
    static func quantile(_ values: UnsafeMutableBufferPointer<Float>, _ q: Double) -> Float? {
        guard !values.isEmpty else { return nil }
        sort(values)
        let position = q * Double(values.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, values.count - 1)
        let fraction = Float(position - Double(below))
        return values[below] + (values[above] - values[below]) * fraction
    }
}
