// SPDX-License-Identifier: MIT

/// A signal-quality problem on one channel, for which the detector abstains.
public enum SignalFault: String, CaseIterable, Hashable, Sendable {
    /// Flat or quantisation-level signal: the electrode is off or broken.
    case dead
    /// Samples at the rails: the amplifier is clipping.
    case saturation
    /// 50/60 Hz interference dominates.
    case mains
    /// Large low-frequency movement artifact or spikes.
    case motion
    /// The signal stops (constant value or missing samples).
    case dropout
}

/// A channel's fault starting (`active`) or ending.
public struct SensorEvent: Hashable, Sendable {
    public var sessionSeconds: Double
    public var channel: ChannelDescriptor
    public var fault: SignalFault
    /// True when the fault starts, false when it clears.
    public var active: Bool
    /// What was measured, for the log (`rms 0.8 uV after band-pass`).
    public var detail: String

    public init(sessionSeconds: Double, channel: ChannelDescriptor, fault: SignalFault, active: Bool, detail: String) {
        self.sessionSeconds = sessionSeconds
        self.channel = channel
        self.fault = fault
        self.active = active
        self.detail = detail
    }

    /// What the runner can do about it.
    public var advice: String {
        let where_ = channel.site.map { "\($0.rawValue) \(channel.side?.rawValue ?? "")" } ?? channel.label
        guard active else { return "The \(where_) signal is usable again." }
        return switch fault {
        case .dead: "Check the \(where_) electrode: it reads flat. Cramp warnings for that muscle are paused."
        case .saturation: "The \(where_) signal is clipping: check the electrode contact and the gain. Warnings for that muscle are paused."
        case .mains: "Mains hum on the \(where_) signal: check the reference electrode and cables. Warnings for that muscle are paused."
        case .motion: "Movement artifact on the \(where_) signal: secure the electrode and its cable. Warnings for that muscle are paused."
        case .dropout: "The \(where_) signal drops out: check the sensor and its link. Warnings for that muscle are paused."
        }
    }
}
