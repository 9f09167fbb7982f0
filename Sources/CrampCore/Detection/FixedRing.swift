// SPDX-License-Identifier: MIT

/// The newest `capacity` values of a stream, with their median, minimum and maximum, in storage
/// allocated once (`init`): the detector's trackers keep their recent history in these, so
/// nothing is allocated per window or per stride.
struct FixedRing: Sendable {
    private var values: [Float]
    private var scratch: [Float]
    private var next = 0
    /// How many values are held (at most `capacity`).
    private(set) var count = 0

    /// A ring holding at most `capacity` (≥ 1) values.
    init(capacity: Int) {
        precondition(capacity >= 1, "a ring holds at least one value")
        values = Array(repeating: 0, count: capacity)
        scratch = Array(repeating: 0, count: capacity)
    }

    var capacity: Int { values.count }
    var isFull: Bool { count == values.count }
    var isEmpty: Bool { count == 0 }

    /// Appends `value`, dropping the oldest when full.
    mutating func append(_ value: Float) {
        values[next] = value
        next = next + 1 == values.count ? 0 : next + 1
        if count < values.count { count += 1 }
    }

    /// Forgets every value (keeps the storage).
    mutating func removeAll() {
        count = 0
        next = 0
    }

    /// The `k`-th newest value (0 = newest); `k < count`.
    subscript(newest k: Int) -> Float {
        precondition(k >= 0 && k < count, "index out of range")
        var i = next - 1 - k
        if i < 0 { i += values.count }
        return values[i]
    }

    /// The newest value, if any.
    var last: Float? { count > 0 ? self[newest: 0] : nil }

    /// The smallest of the newest `n` values (all of them when `n` exceeds the count).
    func minimum(ofNewest n: Int) -> Float? {
        let m = Swift.min(n, count)
        guard m > 0 else { return nil }
        var best = self[newest: 0]
        for k in 1..<m { best = Swift.min(best, self[newest: k]) }
        return best
    }

    /// The largest of the newest `n` values.
    func maximum(ofNewest n: Int) -> Float? {
        let m = Swift.min(n, count)
        guard m > 0 else { return nil }
        var best = self[newest: 0]
        for k in 1..<m { best = Swift.max(best, self[newest: k]) }
        return best
    }

    /// The sum of the newest `n` values.
    func sum(ofNewest n: Int) -> Float {
        let m = Swift.min(n, count)
        var s: Float = 0
        for k in 0..<m { s += self[newest: k] }
        return s
    }

    /// The median of the newest `n` values (linear interpolation for an even count), `nil`
    /// when empty. Sorts a copy in the ring's own scratch space.
    mutating func median(ofNewest n: Int) -> Float? {
        let m = Swift.min(n, count)
        guard m > 0 else { return nil }
        for k in 0..<m { scratch[k] = self[newest: k] }
        return scratch.withUnsafeMutableBufferPointer { buffer in
            OrderStatistics.quantile(UnsafeMutableBufferPointer(rebasing: buffer[0..<m]), 0.5)
        }
    }
}
