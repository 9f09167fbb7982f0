// SPDX-License-Identifier: MIT

/// Artifact rejection for RR intervals as they arrive, one at a time: a physiological range,
/// then a comparison with the median of the recent intervals.
///
/// The rule (docs/CARDIO_GAIT.md):
/// 1. an interval outside `minimumMilliseconds…maximumMilliseconds` (default 250–2000 ms,
///    i.e. 240–30 bpm) is rejected as `.outOfRange`;
/// 2. otherwise it is compared with the median `m` of the previous `medianBeats` in-range
///    intervals (default 11; all of them while fewer have arrived; no comparison while fewer
///    than `minimumMedianBeats`, default 3): below `(1 − f)·m` it is `.shortAgainstMedian`,
///    above `(1 + f)·m` `.longAgainstMedian`, with `f = maximumDeviationFraction` (default 0.2);
/// 3. every in-range interval, kept or not, enters the median's history.
///
/// This is a causal, simplified form of the median comparison in Lipponen & Tarvainen (2019),
/// who compare each interval with the median of the 11 intervals around it and use an
/// adaptive threshold from the quartile deviation of the differences; here only past
/// intervals are used (the decision is immediate) and the threshold is a fixed fraction.
/// Because rejected in-range intervals stay in the history, the median follows a genuine
/// change of heart rate within half the history (6 beats) instead of locking out every later
/// beat; isolated artifacts cannot move it. Rejected intervals are dropped, not replaced:
/// interpolating a substitute would add beats that never happened to the DFA window.
///
/// Runs without allocating: the history is a fixed ring, and the median is found by counting
/// ranks in place.
public struct RRArtifactFilter: Sendable {
    /// The rule's parameters.
    public struct Configuration: Hashable, Sendable {
        /// Shortest plausible interval, in milliseconds. Default 250 (240 bpm).
        public var minimumMilliseconds: Double
        /// Longest plausible interval, in milliseconds. Default 2000 (30 bpm).
        public var maximumMilliseconds: Double
        /// How many previous in-range intervals the median is taken over. Default 11.
        public var medianBeats: Int
        /// Fewest previous intervals for a median comparison. Default 3.
        public var minimumMedianBeats: Int
        /// Largest accepted deviation from the median, as a fraction of it. Default 0.2.
        public var maximumDeviationFraction: Double

        /// The defaults, overridden where given.
        public init(
            minimumMilliseconds: Double = 250, maximumMilliseconds: Double = 2000, medianBeats: Int = 11,
            minimumMedianBeats: Int = 3, maximumDeviationFraction: Double = 0.2
        ) {
            self.minimumMilliseconds = minimumMilliseconds
            self.maximumMilliseconds = maximumMilliseconds
            self.medianBeats = medianBeats
            self.minimumMedianBeats = minimumMedianBeats
            self.maximumDeviationFraction = maximumDeviationFraction
        }

        /// Checks the parameters.
        ///
        /// - Throws: `CardioGaitConfigurationError.outOfRange` for a range outside 100–5000 ms,
        ///   a history outside 3–101 beats, a minimum outside 1…history, a fraction outside
        ///   0.01–0.9; `.inconsistent` for a minimum above the maximum.
        public func validate() throws(CardioGaitConfigurationError) {
            try CardioGaitConfigurationError.check("rr.minimumMilliseconds", minimumMilliseconds, in: 100...5000)
            try CardioGaitConfigurationError.check("rr.maximumMilliseconds", maximumMilliseconds, in: 100...5000)
            guard minimumMilliseconds < maximumMilliseconds else {
                throw .inconsistent("rr.minimumMilliseconds must be below rr.maximumMilliseconds")
            }
            try CardioGaitConfigurationError.check("rr.medianBeats", medianBeats, in: 3...101)
            try CardioGaitConfigurationError.check("rr.minimumMedianBeats", minimumMedianBeats, in: 1...medianBeats)
            try CardioGaitConfigurationError.check("rr.maximumDeviationFraction", maximumDeviationFraction, in: 0.01...0.9)
        }
    }

    /// The parameters in use.
    public let configuration: Configuration
    /// Intervals kept and rejected so far.
    public private(set) var counts = RRIntervalCounts()

    private var history: [Double]
    private var historyCount = 0
    private var historyNext = 0

    /// A filter with an empty history.
    ///
    /// - Throws: `CardioGaitConfigurationError` from `Configuration.validate()`.
    public init(configuration: Configuration = .init()) throws(CardioGaitConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        history = Array(repeating: 0, count: configuration.medianBeats)
    }

    /// The median of the history the next interval will be compared with, in milliseconds;
    /// `nil` while fewer than `minimumMedianBeats` in-range intervals have arrived.
    public var referenceMedianMilliseconds: Double? {
        historyCount >= configuration.minimumMedianBeats ? median() : nil
    }

    /// Classifies one interval, counts it and updates the history.
    ///
    /// - Parameter milliseconds: The RR interval, in milliseconds.
    /// - Returns: `.accepted` for an interval to keep, otherwise why it was rejected.
    public mutating func process(milliseconds rr: Double) -> RRClassification {
        let verdict = classify(rr)
        counts.add(verdict)
        if verdict != .nonFinite && verdict != .outOfRange {
            history[historyNext] = rr
            historyNext = historyNext + 1 == history.count ? 0 : historyNext + 1
            historyCount = min(historyCount + 1, history.count)
        }
        return verdict
    }

    /// Forgets the history and the counts.
    public mutating func reset() {
        counts = RRIntervalCounts()
        historyCount = 0
        historyNext = 0
    }

    private func classify(_ rr: Double) -> RRClassification {
        guard rr.isFinite else { return .nonFinite }
        guard rr >= configuration.minimumMilliseconds && rr <= configuration.maximumMilliseconds else { return .outOfRange }
        guard historyCount >= configuration.minimumMedianBeats else { return .accepted }
        let m = median()
        let f = configuration.maximumDeviationFraction
        if rr < (1 - f) * m { return .shortAgainstMedian }
        if rr > (1 + f) * m { return .longAgainstMedian }
        return .accepted
    }

    /// The median of the history (mean of the two middle values for an even count, as
    /// `numpy.median`).
    private func median() -> Double {
        let n = historyCount
        return n % 2 == 1 ? orderStatistic(n / 2) : (orderStatistic(n / 2 - 1) + orderStatistic(n / 2)) / 2
    }

    /// The `k`-th smallest of the history (0-based), by counting ranks: O(n²) comparisons with
    /// n ≤ 101 (121 for the default 11), no buffer, and exact with repeated values.
    private func orderStatistic(_ k: Int) -> Double {
        let n = historyCount
        return history.withUnsafeBufferPointer { h in
            for i in 0..<n {
                var less = 0
                var equal = 0
                for j in 0..<n {
                    if h[j] < h[i] { less += 1 } else if h[j] == h[i] { equal += 1 }
                }
                if less <= k && k < less + equal { return h[i] }
            }
            return h[0]  // unreachable for 0 ≤ k < n
        }
    }
}
