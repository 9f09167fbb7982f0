// SPDX-License-Identifier: MIT

/// Where the stride period that cut a stride came from.
public enum StridePeriodSource: String, Hashable, Sendable {
    /// The cadence channel: `120 / (steps per minute)` seconds per stride.
    case cadence
    /// The EMG envelope's autocorrelation (`GaitPeriodEstimator`).
    case emg
}

/// The features of one stride of one EMG channel (docs/FEATURES.md, "Strides").
///
/// A stride runs from the onset of its gait burst to the onset of the next gait burst of the
/// same channel (`StrideSegmenter`). Its *active phase* is its gait burst; its *inter-burst
/// baseline* is measured between that burst's offset and the next burst's onset
/// (`InterBurstBaselineEstimator`).
public struct StrideFeatures: Hashable, Sendable {
    /// The stride's number on its channel, from 0.
    public let index: Int
    /// The stride's samples (stream indices of the channel).
    public let sampleRange: Range<Int>
    /// The start: the gait burst's onset.
    public let startTime: Duration
    /// The end: the next gait burst's onset.
    public let endTime: Duration
    /// The period the segmenter expected at the stride's start.
    public let expectedPeriod: Duration
    /// Where that period came from.
    public let periodSource: StridePeriodSource
    /// The active phase: the gait burst, with its RMS, peak and spectral features.
    public let activeBurst: Burst
    /// The inter-burst baseline RMS in µV, or `nil` when the quiet interval was too short or
    /// no longer held.
    public let baselineRMS: Float?
    /// The samples the baseline was measured on.
    public let baselineSampleRange: Range<Int>?
    /// Bursts that started inside the stride but are not its gait burst (twitches,
    /// pre-activation, crosstalk).
    public let extraBursts: Int
    /// The quality flags of every window that overlaps the stride.
    public let quality: SignalQualityFlags
    /// The stride against the runner's baseline, once that is established.
    public let relative: StrideRelativeFeatures?

    /// The stride's length, from onset to onset.
    public var duration: Duration { endTime - startTime }
}

/// A stride's features divided by the runner's baseline values (medians over the baseline
/// strides): 1 means "as at the start of the run".
public struct StrideRelativeFeatures: Hashable, Sendable {
    /// Active-phase RMS ÷ baseline active-phase RMS.
    public let activeRMS: Double
    /// Active-phase MNF ÷ baseline MNF (`nil` without spectral features).
    public let meanFrequency: Double?
    /// Active-phase MDF ÷ baseline MDF.
    public let medianFrequency: Double?
    /// Inter-burst baseline RMS ÷ its baseline value.
    public let baselineRMS: Double?
    /// Stride duration ÷ baseline stride duration.
    public let duration: Double
}

/// The runner's baseline values of one channel: medians over the baseline strides.
public struct StrideBaselineValues: Hashable, Sendable {
    /// How many strides it was made from.
    public let strides: Int
    /// When it was established (session time of the stride that completed it).
    public let establishedAt: Duration
    /// Median active-phase RMS, µV.
    public let activeRMS: Float
    /// Median active-phase MNF, Hz (`nil` without spectral features).
    public let meanFrequency: Float?
    /// Median active-phase MDF, Hz (`nil` without spectral features).
    public let medianFrequency: Float?
    /// Median inter-burst baseline RMS, µV.
    public let baselineRMS: Float?
    /// Median stride duration, seconds.
    public let durationSeconds: Float
}
