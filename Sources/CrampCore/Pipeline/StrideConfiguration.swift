// SPDX-License-Identifier: MIT

/// The parameters of the stride stage. Every property has a default (docs/FEATURES.md).
public struct StrideConfiguration: Hashable, Sendable {
    /// Stride lengths accepted, as fractions of the expected period (`StrideSegmenter`).
    /// Default 0.7…1.3.
    public var acceptedRange: ClosedRange<Double>
    /// A stride counts only if its active-phase RMS is at least this multiple of its inter-burst
    /// baseline RMS. Default 3: gait bursts of running stand 10–100× above the baseline, while
    /// the fluctuations of a sustained contraction (a cramp) do not.
    public var minimumContrast: Float
    /// Cadence values inside this range (steps per minute) give the stride period
    /// `120 / cadence` s; below it the runner has stopped and there are no strides. Default
    /// 40…250.
    public var cadenceRange: ClosedRange<Double>
    /// A cadence sample older than this is not used (the EMG period is then). Default 5 s.
    public var cadenceMaximumAge: Duration
    /// The runner's baseline strides. Default `BaselinePeriod.standard` (60–300 s).
    public var baseline: BaselinePeriod
    /// The part of each inter-burst interval left out at each end. Default 0.2.
    public var baselineEdgeFraction: Double
    /// The EMG period estimator's parameters.
    public var gaitPeriod: GaitPeriodEstimator.Configuration

    /// The defaults, overridden where given.
    public init(
        acceptedRange: ClosedRange<Double> = 0.7...1.3, minimumContrast: Float = 3,
        cadenceRange: ClosedRange<Double> = 40...250, cadenceMaximumAge: Duration = .seconds(5),
        baseline: BaselinePeriod = .standard, baselineEdgeFraction: Double = 0.2,
        gaitPeriod: GaitPeriodEstimator.Configuration = .init()
    ) {
        self.acceptedRange = acceptedRange
        self.minimumContrast = minimumContrast
        self.cadenceRange = cadenceRange
        self.cadenceMaximumAge = cadenceMaximumAge
        self.baseline = baseline
        self.baselineEdgeFraction = baselineEdgeFraction
        self.gaitPeriod = gaitPeriod
    }
}
