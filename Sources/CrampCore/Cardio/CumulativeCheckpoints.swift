// SPDX-License-Identifier: MIT

/// Running sums of the samples the decoupling analyses, indexed by analysed (running) time.
struct DecouplingSums: Hashable, Sendable {
    /// Analysed time, s.
    var analysedSeconds = 0.0
    /// Time with a speed, s; Σ HR·w over it (beats/min·s); Σ speed·w (m).
    var speedSeconds = 0.0
    var speedHeartRate = 0.0
    var speedMetres = 0.0
    /// Time with a cadence, s; Σ HR·w over it; Σ cadence·w (steps/min·s).
    var cadenceSeconds = 0.0
    var cadenceHeartRate = 0.0
    var cadenceSteps = 0.0

    static let zero = DecouplingSums()

    static func - (a: DecouplingSums, b: DecouplingSums) -> DecouplingSums {
        DecouplingSums(
            analysedSeconds: a.analysedSeconds - b.analysedSeconds,
            speedSeconds: a.speedSeconds - b.speedSeconds, speedHeartRate: a.speedHeartRate - b.speedHeartRate,
            speedMetres: a.speedMetres - b.speedMetres, cadenceSeconds: a.cadenceSeconds - b.cadenceSeconds,
            cadenceHeartRate: a.cadenceHeartRate - b.cadenceHeartRate, cadenceSteps: a.cadenceSteps - b.cadenceSteps)
    }

    /// `a + (b − a)·u`, field by field.
    static func interpolate(_ a: DecouplingSums, _ b: DecouplingSums, _ u: Double) -> DecouplingSums {
        // Written out: a capturing local function would allocate a context in debug builds.
        DecouplingSums(
            analysedSeconds: a.analysedSeconds + (b.analysedSeconds - a.analysedSeconds) * u,
            speedSeconds: a.speedSeconds + (b.speedSeconds - a.speedSeconds) * u,
            speedHeartRate: a.speedHeartRate + (b.speedHeartRate - a.speedHeartRate) * u,
            speedMetres: a.speedMetres + (b.speedMetres - a.speedMetres) * u,
            cadenceSeconds: a.cadenceSeconds + (b.cadenceSeconds - a.cadenceSeconds) * u,
            cadenceHeartRate: a.cadenceHeartRate + (b.cadenceHeartRate - a.cadenceHeartRate) * u,
            cadenceSteps: a.cadenceSteps + (b.cadenceSteps - a.cadenceSteps) * u)
    }
}

/// A bounded record of past running sums, from which the sums at any earlier analysed time
/// (the midpoint of the session so far) are interpolated.
///
/// A checkpoint is kept every `interval` seconds of analysed time. When the fixed capacity is
/// reached, every other checkpoint is dropped and the interval doubles, so the record covers a
/// session of any length with at most `capacity` entries, at a resolution of about
/// `2 · elapsed / capacity` (with 512 entries: 14 s after 1 h, 3 min after 12 h). Between two
/// checkpoints the sums are interpolated linearly, exact for a signal constant between them.
struct CumulativeCheckpoints: Sendable {
    private var entries: [DecouplingSums]
    private var count = 1
    private var intervalSeconds: Double
    private var nextSeconds: Double

    /// - Parameters:
    ///   - capacity: Entries kept (even, at least 4).
    ///   - intervalSeconds: Initial spacing of the checkpoints, in analysed seconds.
    init(capacity: Int = 512, intervalSeconds: Double = 5) {
        precondition(capacity >= 4 && capacity % 2 == 0, "an even capacity of at least 4")
        entries = Array(repeating: .zero, count: capacity)
        self.intervalSeconds = intervalSeconds
        nextSeconds = intervalSeconds
    }

    /// Keeps `sums` as a checkpoint if the interval since the last one has passed.
    mutating func record(_ sums: DecouplingSums) {
        guard sums.analysedSeconds >= nextSeconds else { return }
        if count == entries.count {
            var kept = 0
            var i = 0
            while i < count {
                entries[kept] = entries[i]
                kept += 1
                i += 2
            }
            count = kept
            intervalSeconds *= 2
        }
        entries[count] = sums
        count += 1
        nextSeconds = sums.analysedSeconds + intervalSeconds
    }

    /// The sums at analysed time `seconds` (between 0 and `current.analysedSeconds`).
    func sums(atAnalysedSeconds seconds: Double, current: DecouplingSums) -> DecouplingSums {
        // Binary search for the last checkpoint at or before `seconds`; entry 0 is at 0 s.
        var low = 0
        var high = count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if entries[mid].analysedSeconds <= seconds { low = mid } else { high = mid - 1 }
        }
        let a = entries[low]
        let b = low + 1 < count ? entries[low + 1] : current
        let span = b.analysedSeconds - a.analysedSeconds
        guard span > 0 else { return a }
        return DecouplingSums.interpolate(a, b, min(1, max(0, (seconds - a.analysedSeconds) / span)))
    }

    /// Back to a single checkpoint at 0 s.
    mutating func reset(intervalSeconds: Double = 5) {
        count = 1
        entries[0] = .zero
        self.intervalSeconds = intervalSeconds
        nextSeconds = intervalSeconds
    }
}
