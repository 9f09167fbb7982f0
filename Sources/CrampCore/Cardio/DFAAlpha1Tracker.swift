// SPDX-License-Identifier: MIT

/// DFA α1 over a sliding window of the last clean RR intervals, recomputed every few beats.
///
/// Feed it every RR interval with the classification `RRArtifactFilter` gave it: accepted
/// intervals enter the window, rejected ones only count towards the window's artifact share.
/// Once `windowBeats` clean intervals have arrived, α1 is computed over the newest
/// `windowBeats`, and again after every `hopBeats` further clean intervals.
///
/// The window is counted in beats, not seconds, so every estimate rests on the same number of
/// values: 200 beats is 2 min at 100 bpm and 80 s at 150 bpm. Exercise studies of α1 use
/// windows of about 2 min recomputed every few seconds (Rogers et al. 2021); 10 beats is 4 s
/// at 150 bpm.
///
/// Holds two rings of `windowBeats` entries and the analysis's buffers; allocates nothing
/// after `init`.
public struct DFAAlpha1Tracker: Sendable {
    /// The window and the analysis.
    public struct Configuration: Hashable, Sendable {
        /// Clean intervals per window. Default 200.
        public var windowBeats: Int
        /// Clean intervals between estimates. Default 10.
        public var hopBeats: Int
        /// Box sizes, in beats. Default 4…16 (the short-term exponent α1, Peng et al. 1995).
        public var boxSizes: ClosedRange<Int>
        /// Largest artifact share for an estimate to count as reliable, in percent. Default 5,
        /// a common quality cut-off for HRV recordings: α1 is sensitive to artifacts, and
        /// beats dropped from the window change its correlation structure (modelling choice;
        /// docs/CARDIO_GAIT.md).
        public var maximumArtifactPercent: Double

        /// The defaults, overridden where given.
        public init(windowBeats: Int = 200, hopBeats: Int = 10, boxSizes: ClosedRange<Int> = 4...16, maximumArtifactPercent: Double = 5) {
            self.windowBeats = windowBeats
            self.hopBeats = hopBeats
            self.boxSizes = boxSizes
            self.maximumArtifactPercent = maximumArtifactPercent
        }

        /// Checks the parameters.
        ///
        /// - Throws: `CardioGaitConfigurationError.outOfRange` for a window outside 32–4096
        ///   beats (and at least two of the largest boxes), a hop outside 1…window, box sizes
        ///   rejected by `DetrendedFluctuationAnalysis`, an artifact share outside 0–100 %.
        public func validate() throws(CardioGaitConfigurationError) {
            try CardioGaitConfigurationError.check("dfa.windowBeats", windowBeats, in: 32...4096)
            try CardioGaitConfigurationError.check("dfa.hopBeats", hopBeats, in: 1...windowBeats)
            try CardioGaitConfigurationError.check("dfa.maximumArtifactPercent", maximumArtifactPercent, in: 0...100)
            _ = try DetrendedFluctuationAnalysis(length: windowBeats, boxSizes: boxSizes)
        }
    }

    /// The parameters in use.
    public let configuration: Configuration
    /// The newest estimate, `nil` until the first window is full.
    public private(set) var latest: DFAAlpha1Estimate?

    private var analysis: DetrendedFluctuationAnalysis
    private var values: [Double]
    private var arrivals: [Int]
    private var window: [Double]
    private var next = 0
    private var cleanCount = 0
    private var arrivalCount = 0

    /// A tracker with an empty window.
    ///
    /// - Throws: `CardioGaitConfigurationError` from `Configuration.validate()`.
    public init(configuration: Configuration = .init()) throws(CardioGaitConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        analysis = try DetrendedFluctuationAnalysis(length: configuration.windowBeats, boxSizes: configuration.boxSizes)
        values = Array(repeating: 0, count: configuration.windowBeats)
        arrivals = Array(repeating: 0, count: configuration.windowBeats)
        window = Array(repeating: 0, count: configuration.windowBeats)
    }

    /// Adds one RR interval.
    ///
    /// - Parameters:
    ///   - timeSeconds: Session time of the beat that ends the interval.
    ///   - milliseconds: The interval.
    ///   - classification: What `RRArtifactFilter` made of it.
    /// - Returns: A new estimate when this interval completes a hop, otherwise `nil`.
    public mutating func process(timeSeconds: Double, milliseconds: Double, classification: RRClassification) -> DFAAlpha1Estimate? {
        let arrival = arrivalCount
        arrivalCount += 1
        guard classification.isAccepted else { return nil }
        let w = configuration.windowBeats
        values[next] = milliseconds
        arrivals[next] = arrival
        next = next + 1 == w ? 0 : next + 1
        cleanCount += 1
        guard cleanCount >= w, (cleanCount - w) % configuration.hopBeats == 0 else { return nil }

        // `next` now indexes the oldest clean interval of the window.
        let oldest = next
        window.withUnsafeMutableBufferPointer { linear in
            values.withUnsafeBufferPointer { ring in
                for i in 0..<w { linear[i] = ring[(oldest + i) % w] }
            }
        }
        let alpha = window.withUnsafeBufferPointer { analysis.alpha(of: $0) }
        guard let alpha else { return nil }
        let span = arrival - arrivals[oldest] + 1
        let percent = 100 * Double(span - w) / Double(span)
        let estimate = DFAAlpha1Estimate(
            alpha1: alpha, timeSeconds: timeSeconds, windowBeats: w, artifactPercent: percent,
            isReliable: percent <= configuration.maximumArtifactPercent)
        latest = estimate
        return estimate
    }

    /// Empties the window and forgets the latest estimate.
    public mutating func reset() {
        latest = nil
        next = 0
        cleanCount = 0
        arrivalCount = 0
    }
}
