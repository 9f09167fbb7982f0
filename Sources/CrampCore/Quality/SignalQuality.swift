// SPDX-License-Identifier: MIT

/// The signal-quality verdict on one window of one EMG channel: the flags, and the measures
/// they were decided on (so that a researcher can see how close a window came).
public struct SignalQuality: Hashable, Sendable {
    /// The flags set.
    public let flags: SignalQualityFlags
    /// How many quantisation steps the raw samples span: `(max − min) / step`, with the step the
    /// smallest non-zero change between consecutive raw samples; 0 for a constant window.
    public let quantisationLevels: Float
    /// The fraction of raw samples at or near the physical limits, or `nil` when the channel's
    /// range is unknown.
    public let railFraction: Float?
    /// The longest run of exactly equal raw samples that ends in the window.
    public let longestConstantRun: Duration
    /// The RMS of the raw signal's 1–20 Hz content, µV.
    public let lowFrequencyRMS: Float
    /// The fraction (0…1) of the band-passed, un-notched signal's power that repeats with the
    /// mains period: its correlation with itself one mains period earlier (see
    /// `SignalQualityMonitor`).
    public let mainsFraction: Float

    /// A verdict with its measures (made by `SignalQualityMonitor`).
    public init(
        flags: SignalQualityFlags, quantisationLevels: Float, railFraction: Float?,
        longestConstantRun: Duration, lowFrequencyRMS: Float, mainsFraction: Float
    ) {
        self.flags = flags
        self.quantisationLevels = quantisationLevels
        self.railFraction = railFraction
        self.longestConstantRun = longestConstantRun
        self.lowFrequencyRMS = lowFrequencyRMS
        self.mainsFraction = mainsFraction
    }
}
