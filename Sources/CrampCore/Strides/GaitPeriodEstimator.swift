// SPDX-License-Identifier: MIT

/// Estimates the stride period of a gait-locked EMG channel from its burst envelope alone — the
/// stride rate when there is no cadence sensor.
///
/// ## Method
///
/// The envelope (`BurstDetector.Output.envelope`, one value per 5 ms frame) is averaged down
/// to one value per `stepDuration` (40 ms) and the last `span` (8 s) are kept. Every
/// `updateInterval` (2 s), once `minimumSpan` (3 s) is held, the normalised autocorrelation of
/// the mean-removed envelope,
/// `r(τ) = [Σᵢ (eᵢ − ē)(eᵢ₊τ − ē) / (n − τ)] / [Σᵢ (eᵢ − ē)² / n]`,
/// is computed for lags in `periodRange` (0.4–2.0 s: running and walking strides) up to half
/// the span held. A calf muscle fires once per stride, so the envelope repeats with the stride
/// period: the period is the *shortest* lag that is a local maximum of `r` with
/// `r ≥ peakFraction · max r` (0.8) — the shortest, because multiples of the period correlate
/// almost as well — refined by a parabola through it and its neighbours. If `max r` is below
/// `minimumCorrelation` (0.3), the envelope is not periodic (standing, a cramp, noise) and
/// there is no period.
///
/// ## Cost
///
/// One addition per frame; every 2 s about 200 × 41 multiply–adds in `Float`, eight at a time
/// (8 s at 25 Hz, lags 0.4–2.0 s): a few operations per EMG sample at 2 kHz. Nothing is
/// allocated after `init`.
public struct GaitPeriodEstimator: Sendable {
    /// The parameters.
    public struct Configuration: Hashable, Sendable {
        /// The resolution of the envelope the autocorrelation runs on. Default 40 ms.
        public var stepDuration: Duration
        /// How much envelope is kept. Default 8 s.
        public var span: Duration
        /// The least envelope before a first estimate. Default 3 s.
        public var minimumSpan: Duration
        /// How often the period is re-estimated. Default 2 s (a stride period changes slowly;
        /// each estimate costs about 8000 multiply–adds).
        public var updateInterval: Duration
        /// The shortest period considered. Default 0.4 s (a sprint's stride is about 0.6 s).
        public var shortestPeriod: Duration
        /// The longest period considered. Default 2.0 s (a slow walk's stride is about 1.3 s).
        public var longestPeriod: Duration
        /// The least peak autocorrelation for a periodic envelope. Default 0.3.
        public var minimumCorrelation: Double
        /// A peak within this fraction of the highest one counts. Default 0.8.
        public var peakFraction: Double

        /// The defaults, overridden where given.
        public init(
            stepDuration: Duration = .milliseconds(40), span: Duration = .seconds(8),
            minimumSpan: Duration = .seconds(3), updateInterval: Duration = .seconds(2),
            shortestPeriod: Duration = .milliseconds(400), longestPeriod: Duration = .seconds(2),
            minimumCorrelation: Double = 0.3, peakFraction: Double = 0.8
        ) {
            self.stepDuration = stepDuration
            self.span = span
            self.minimumSpan = minimumSpan
            self.updateInterval = updateInterval
            self.shortestPeriod = shortestPeriod
            self.longestPeriod = longestPeriod
            self.minimumCorrelation = minimumCorrelation
            self.peakFraction = peakFraction
        }
    }

    /// The parameters.
    public let configuration: Configuration
    /// The current period in seconds, or `nil` (not enough envelope yet, or not periodic).
    public private(set) var periodSeconds: Double?
    /// The autocorrelation at the chosen period (0 when there is none).
    public private(set) var correlation: Double = 0

    private let framesPerStep: Int
    private let stepSeconds: Double
    private let minimumSteps: Int
    private let stepsPerUpdate: Int
    private let shortestLag: Int
    private let longestLag: Int
    private var steps: [Float]
    private var linear: [Float]
    private var lags: [Double]
    private var stepCount = 0
    private var next = 0
    /// The frames counted, and the last updates: the frame each took effect at and its period
    /// (NaN for none), so that the period in force at any recent frame can be looked up.
    private var framesSeen = 0
    private var updateFrames: [Int]
    private var updatePeriods: [Double]
    private var nextUpdate = 0
    private var updateCount = 0
    private var updatesMade = 0
    private var accumulated: Float = 0
    private var inStep = 0
    private var sinceUpdate = 0

    /// An estimator fed one envelope value per frame of `frameDuration`.
    ///
    /// - Throws: `FeatureConfigurationError.invalidDuration` when a duration is not positive,
    ///   the step is shorter than a frame, or the period range is empty at this resolution;
    ///   `.invalidParameter` for correlations outside 0…1.
    public init(frameDuration: Duration, configuration: Configuration = .init()) throws(FeatureConfigurationError) {
        let c = configuration
        guard frameDuration > .zero else { throw .invalidDuration("frameDuration", frameDuration) }
        let frame = frameDuration.inSeconds
        let perStep = Int((c.stepDuration.inSeconds / frame).rounded(.toNearestOrAwayFromZero))
        guard perStep >= 1 else { throw .invalidDuration("stepDuration", c.stepDuration) }
        let step = Double(perStep) * frame
        func count(_ d: Duration) -> Int { Int((d.inSeconds / step).rounded(.toNearestOrAwayFromZero)) }
        let held = count(c.span)
        let shortest = max(2, Int((c.shortestPeriod.inSeconds / step).rounded(.down)))
        let longest = Int((c.longestPeriod.inSeconds / step).rounded(.up))
        guard longest > shortest + 1 else { throw .invalidDuration("longestPeriod", c.longestPeriod) }
        guard held >= 2 * shortest + 2 else { throw .invalidDuration("span", c.span) }
        guard count(c.updateInterval) >= 1 else { throw .invalidDuration("updateInterval", c.updateInterval) }
        guard (0...1).contains(c.minimumCorrelation) else { throw .invalidParameter("minimumCorrelation", c.minimumCorrelation) }
        guard c.peakFraction > 0, c.peakFraction <= 1 else { throw .invalidParameter("peakFraction", c.peakFraction) }
        self.configuration = c
        framesPerStep = perStep
        stepSeconds = step
        minimumSteps = max(count(c.minimumSpan), 2 * shortest + 2)
        stepsPerUpdate = count(c.updateInterval)
        shortestLag = shortest
        longestLag = longest
        steps = Array(repeating: 0, count: held)
        linear = Array(repeating: 0, count: held + 8)
        lags = Array(repeating: 0, count: longest + 2)
        updateFrames = Array(repeating: 0, count: 16)
        updatePeriods = Array(repeating: .nan, count: 16)
    }

    /// The period at an envelope frame, for decisions about the past.
    public enum PeriodAtFrame: Hashable, Sendable {
        /// The period in force then (seconds), or `nil` when there was none.
        case known(Double?)
        /// Nothing has been estimated yet: ask again later.
        case notYetEstimated
    }

    /// The period that was in force at frame `frame` (counted from the first envelope value):
    /// the latest estimate made at or before it. Frames before the first estimate get the first
    /// estimate (the session's first seconds are judged with the period they show); frames
    /// older than the last 16 estimates get none. Decisions about the past use this, so that
    /// they do not depend on when they are taken.
    public func period(atFrame frame: Int) -> PeriodAtFrame {
        guard updateCount > 0 else { return .notYetEstimated }
        var i = 0
        var oldest = 0
        while i < updateCount {
            let k = (nextUpdate - 1 - i + 2 * updateFrames.count) % updateFrames.count
            if updateFrames[k] <= frame { return .known(updatePeriods[k].isNaN ? nil : updatePeriods[k]) }
            oldest = k
            i += 1
        }
        guard updatesMade == updateCount else { return .known(nil) }
        return .known(updatePeriods[oldest].isNaN ? nil : updatePeriods[oldest])
    }

    /// The current period, or `nil`.
    public var period: Duration? { periodSeconds.map { .seconds($0) } }

    /// Takes the envelope of the next frame.
    public mutating func process(envelope: Float) {
        framesSeen += 1
        accumulated += envelope
        inStep += 1
        guard inStep == framesPerStep else { return }
        steps[next] = accumulated / Float(framesPerStep)
        next = (next + 1) % steps.count
        stepCount = min(stepCount + 1, steps.count)
        accumulated = 0
        inStep = 0
        sinceUpdate += 1
        if sinceUpdate >= stepsPerUpdate && stepCount >= minimumSteps {
            sinceUpdate = 0
            update()
        }
    }

    /// Forgets the envelope and the period.
    public mutating func reset() {
        periodSeconds = nil
        correlation = 0
        stepCount = 0
        next = 0
        framesSeen = 0
        nextUpdate = 0
        updateCount = 0
        updatesMade = 0
        accumulated = 0
        inStep = 0
        sinceUpdate = 0
    }

    private mutating func update() {
        let n = stepCount
        let held = steps.count
        let oldest = stepCount < held ? 0 : next
        let shortest = shortestLag
        let longest = min(longestLag, n / 2)
        let best: (lag: Double, r: Double)? = steps.withUnsafeBufferPointer { steps in
            linear.withUnsafeMutableBufferPointer { e in
                lags.withUnsafeMutableBufferPointer { r in
                    var mean: Float = 0
                    var k = oldest
                    for i in 0..<n {
                        e[i] = steps[k]
                        mean += e[i]
                        k = k + 1 == held ? 0 : k + 1
                    }
                    mean /= Float(n)
                    var variance: Float = 0
                    for i in 0..<n {
                        e[i] -= mean
                        variance += e[i] * e[i]
                    }
                    for i in n..<(n + 8) { e[i] = 0 }
                    let variancePerTerm = Double(variance) / Double(n)
                    guard variancePerTerm > 0, longest > shortest + 1 else { return nil }
                    let base = UnsafeRawPointer(e.baseAddress!)
                    var highest = -Double.infinity
                    for lag in (shortest - 1)...(longest + 1) where lag < n {
                        // Eight products at a time (the padding after `n` is zero).
                        let terms = n - lag
                        var partial = SIMD8<Float>()
                        var i = 0
                        while i < terms {
                            partial += SIMD8<Float>(loadingUnalignedFrom: base + 4 * i)
                                * SIMD8<Float>(loadingUnalignedFrom: base + 4 * (i + lag))
                            i += 8
                        }
                        // The last vector may reach past `terms` into `e[n...]`, which is zero.
                        r[lag] = Double(partial.sum()) / Double(terms) / variancePerTerm
                        if lag >= shortest && lag <= longest { highest = max(highest, r[lag]) }
                    }
                    guard highest >= configuration.minimumCorrelation else { return nil }
                    let needed = configuration.peakFraction * highest
                    for lag in shortest...longest where lag + 1 < n {
                        let here = r[lag]
                        guard here >= needed, here >= r[lag - 1], here >= r[lag + 1] else { continue }
                        // Parabolic refinement through the neighbours.
                        let curvature = r[lag - 1] - 2 * here + r[lag + 1]
                        let shift = curvature < 0 ? 0.5 * (r[lag - 1] - r[lag + 1]) / curvature : 0
                        return (Double(lag) + max(-0.5, min(0.5, shift)), here)
                    }
                    return nil
                }
            }
        }
        if let best {
            periodSeconds = best.lag * stepSeconds
            correlation = best.r
        } else {
            periodSeconds = nil
            correlation = 0
        }
        updateFrames[nextUpdate] = framesSeen
        updatePeriods[nextUpdate] = periodSeconds ?? .nan
        nextUpdate = (nextUpdate + 1) % updateFrames.count
        updateCount = min(updateCount + 1, updateFrames.count)
        updatesMade += 1
    }
}
