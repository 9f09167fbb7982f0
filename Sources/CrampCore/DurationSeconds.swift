// SPDX-License-Identifier: MIT

extension Duration {
    /// The duration in seconds, as a `Double` (for arithmetic on sample counts and rates).
    var inSeconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}

/// Sample counts and times at a rate: one place for the rounding rules.
extension Hertz {
    /// The number of samples `duration` spans at this rate, rounded to the nearest (halves away
    /// from zero).
    func sampleCount(_ duration: Duration) -> Int {
        Int((duration.inSeconds * value).rounded(.toNearestOrAwayFromZero))
    }

    /// The time of stream index `index` (0 = first sample): `index / rate`.
    func time(ofSample index: Int) -> Duration {
        .seconds(Double(index) / value)
    }
}
