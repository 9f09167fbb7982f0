// SPDX-License-Identifier: MIT

/// What `SessionFeaturePipeline` reports, in the order it is decided. Channel numbers are
/// indices into the pipeline's channel list.
public enum SessionFeatureEvent: Sendable {
    /// The mains grid the notches were designed for (once, before any EMG feature).
    case mains(MainsDecision)
    /// How an EMG channel is conditioned and analysed (once per channel, after `mains`).
    case channel(EMGChannelStatus)
    /// The features and quality of one window of one EMG channel.
    case window(EMGWindowRecord)
    /// One burst of one EMG channel.
    case burst(EMGBurstRecord)
    /// One stride of one EMG channel.
    case stride(EMGStrideRecord)
}

/// The mains grid chosen for the session.
public struct MainsDecision: Hashable, Sendable {
    /// The grid notched, or `nil` for no notch.
    public let frequency: MainsFrequency?
    /// How it was chosen (`auto`, `50`, `60`, `off`).
    public let setting: MainsSetting
    /// Automatic only: the largest 50 Hz line ratio over the EMG channels
    /// (`MainsDetector.Estimate`), `nil` if no channel completed an estimate.
    public let lineRatio50: Double?
    /// Automatic only: the same for 60 Hz.
    public let lineRatio60: Double?
    /// Automatic only: the session time up to which samples were examined (4 s, or less for a
    /// shorter session).
    public let examinedUntil: Duration?
}

/// How one EMG channel is conditioned and analysed.
public struct EMGChannelStatus: Hashable, Sendable {
    /// The channel's index in the pipeline's channel list.
    public let channel: Int
    /// The channel's label.
    public let label: String
    /// The filters, and whether spectral features exist at this rate (`design.status`).
    public let design: EMGConditioningDesign
    /// The sliding window.
    public let window: WindowConfiguration
    /// The burst detector's envelope frame, in samples.
    public let burstFrameLength: Int
}

/// The features of one window of one EMG channel, with its quality verdict.
public struct EMGWindowRecord: Hashable, Sendable {
    /// The channel's index in the pipeline's channel list.
    public let channel: Int
    /// The window's features (`WindowAnalyzer`).
    public let features: WindowFeatures
    /// The window's quality verdict (`SignalQualityMonitor`).
    public let quality: SignalQuality
}

/// One burst of one EMG channel (with its spectral features when the rate allows).
public struct EMGBurstRecord: Hashable, Sendable {
    /// The channel's index in the pipeline's channel list.
    public let channel: Int
    /// The burst, with `spectral` filled in.
    public let burst: Burst
}

/// One stride of one EMG channel.
public struct EMGStrideRecord: Hashable, Sendable {
    /// The channel's index in the pipeline's channel list.
    public let channel: Int
    /// The stride's features.
    public let stride: StrideFeatures
    /// The runner's baseline values the `relative` features were computed against, once
    /// established.
    public let baseline: StrideBaselineValues?
}
