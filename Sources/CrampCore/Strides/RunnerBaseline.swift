// SPDX-License-Identifier: MIT

/// Collects one channel's baseline strides (`BaselinePeriod`) and, once they are complete,
/// holds their medians (`StrideBaselineValues`) so that later strides can be expressed
/// relative to them.
///
/// Storage is sized at `init` for the most strides the period can hold (a stride is at least
/// 0.4 s), so collecting allocates nothing.
public struct RunnerBaseline: Sendable {
    /// The period the baseline comes from.
    public let period: BaselinePeriod
    /// The medians, once established.
    public private(set) var values: StrideBaselineValues?

    private var activeRMS: [Float]
    private var meanFrequency: [Float]
    private var medianFrequency: [Float]
    private var baselineRMS: [Float]
    private var durations: [Float]
    private var seen = 0
    private let capacity: Int

    /// A collector for `period`.
    ///
    /// - Throws: `FeatureConfigurationError.invalidDuration` for an empty or negative time span,
    ///   `.invalidParameter` for negative counts or a minimum of less than one stride.
    public init(period: BaselinePeriod) throws(FeatureConfigurationError) {
        guard period.minimumStrides >= 1 else { throw .invalidParameter("minimumStrides", Double(period.minimumStrides)) }
        let capacity: Int
        switch period.kind {
        case let .sessionTime(from, to):
            guard from >= .zero, to > from else { throw .invalidDuration("baseline period", to - from) }
            capacity = max(period.minimumStrides, Int(((to - from).inSeconds / 0.4).rounded(.up)) + 1)
        case let .strides(skipping, count):
            guard skipping >= 0 else { throw .invalidParameter("skipping", Double(skipping)) }
            guard count >= 1 else { throw .invalidParameter("count", Double(count)) }
            capacity = count
        }
        self.period = period
        self.capacity = capacity
        activeRMS = []
        meanFrequency = []
        medianFrequency = []
        baselineRMS = []
        durations = []
        activeRMS.reserveCapacity(capacity)
        meanFrequency.reserveCapacity(capacity)
        medianFrequency.reserveCapacity(capacity)
        baselineRMS.reserveCapacity(capacity)
        durations.reserveCapacity(capacity)
    }

    /// Offers a stride. Clean strides (`clean`) inside the period are collected; the first
    /// stride past the period (with enough collected) establishes the baseline.
    ///
    /// - Parameters:
    ///   - startTime: The stride's start (session time).
    ///   - endTime: Its end; the baseline's `establishedAt` is the end of the stride that
    ///     completes it.
    public mutating func offer(
        startTime: Duration, endTime: Duration, activeRMS: Float, meanFrequency: Double?, medianFrequency: Double?,
        baselineRMS: Float?, clean: Bool
    ) {
        guard values == nil else { return }
        let inPeriod: Bool
        switch period.kind {
        case let .sessionTime(from, to):
            if startTime >= to && self.activeRMS.count >= period.minimumStrides {
                establish(at: endTime)
                return
            }
            inPeriod = startTime >= from
        case let .strides(skipping, _):
            seen += 1
            inPeriod = seen > skipping
        }
        guard inPeriod, clean, self.activeRMS.count < capacity else { return }
        self.activeRMS.append(activeRMS)
        if let f = meanFrequency { self.meanFrequency.append(Float(f)) }
        if let f = medianFrequency { self.medianFrequency.append(Float(f)) }
        if let b = baselineRMS { self.baselineRMS.append(b) }
        durations.append(Float((endTime - startTime).inSeconds))
        if case .strides = period.kind, self.activeRMS.count >= capacity { establish(at: endTime) }
    }

    /// The features of a stride relative to the baseline, or `nil` before it is established.
    public func relative(
        activeRMS: Float, meanFrequency: Double?, medianFrequency: Double?, baselineRMS: Float?, duration: Duration
    ) -> StrideRelativeFeatures? {
        guard let v = values else { return nil }
        func ratio(_ x: Double?, _ y: Float?) -> Double? {
            guard let x, let y, y > 0 else { return nil }
            return x / Double(y)
        }
        return StrideRelativeFeatures(
            activeRMS: ratio(Double(activeRMS), v.activeRMS) ?? .nan,
            meanFrequency: ratio(meanFrequency, v.meanFrequency),
            medianFrequency: ratio(medianFrequency, v.medianFrequency),
            baselineRMS: ratio(baselineRMS.map(Double.init), v.baselineRMS),
            duration: ratio(duration.inSeconds, v.durationSeconds) ?? .nan)
    }

    private mutating func establish(at time: Duration) {
        func median(_ values: inout [Float]) -> Float? {
            values.withUnsafeMutableBufferPointer { OrderStatistics.quantile($0, 0.5) }
        }
        guard let rms = median(&activeRMS), let duration = median(&durations) else { return }
        values = StrideBaselineValues(
            strides: activeRMS.count, establishedAt: time, activeRMS: rms,
            meanFrequency: median(&meanFrequency), medianFrequency: median(&medianFrequency),
            baselineRMS: median(&baselineRMS), durationSeconds: duration)
    }
}
