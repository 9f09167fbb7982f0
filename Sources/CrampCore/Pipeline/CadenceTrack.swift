// SPDX-License-Identifier: MIT

/// The recent cadence samples of a session, looked up by time: what the stride stage asks when
/// it decides a stride.
///
/// Holds the last `capacity` samples (time, steps per minute) in time order; nothing is
/// allocated after `init`.
struct CadenceTrack: Sendable {
    enum Lookup: Equatable {
        /// No cadence sample recent enough.
        case unknown
        /// The runner is not walking or running (cadence below the plausible range).
        case stopped
        /// The stride period, in seconds.
        case period(Double)
    }

    private var times: [Double]
    private var values: [Double]
    private var next = 0
    private var count = 0

    init(capacity: Int = 256) {
        times = Array(repeating: 0, count: capacity)
        values = Array(repeating: 0, count: capacity)
    }

    /// The time of the newest sample, if any.
    var latestTime: Double? { count == 0 ? nil : times[(next - 1 + times.count) % times.count] }

    /// Adds a sample; samples not after the newest one are ignored (returns `false`).
    mutating func append(timeSeconds: Double, stepsPerMinute: Double) -> Bool {
        guard timeSeconds.isFinite, stepsPerMinute.isFinite else { return false }
        if let latest = latestTime, timeSeconds <= latest { return false }
        times[next] = timeSeconds
        values[next] = stepsPerMinute
        next = (next + 1) % times.count
        count = min(count + 1, times.count)
        return true
    }

    /// The stride period at `timeSeconds`: from the newest sample at or before it, if that is
    /// at most `maximumAgeSeconds` old.
    func lookup(atSeconds time: Double, maximumAgeSeconds: Double, plausible: ClosedRange<Double>) -> Lookup {
        var i = 0
        while i < count {
            let k = (next - 1 - i + 2 * times.count) % times.count
            if times[k] <= time {
                guard time - times[k] <= maximumAgeSeconds else { return .unknown }
                let spm = values[k]
                if spm < plausible.lowerBound { return .stopped }
                if spm > plausible.upperBound { return .unknown }
                return .period(120 / spm)
            }
            i += 1
        }
        return .unknown
    }
}
