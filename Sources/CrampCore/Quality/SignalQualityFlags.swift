// SPDX-License-Identifier: MIT

/// What is wrong with one window of one EMG channel — the flags later stages use to abstain.
/// Empty when the window looks like usable EMG. Definitions and thresholds:
/// `SignalQualityConfiguration` and docs/FEATURES.md.
public struct SignalQualityFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    /// Flags from their bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Flat, or only quantisation-level noise: no EMG reaches the amplifier.
    public static let deadElectrode = SignalQualityFlags(rawValue: 1 << 0)
    /// Samples at or near the channel's physical limits: the amplifier or converter clipped.
    public static let saturation = SignalQualityFlags(rawValue: 1 << 1)
    /// Power line hum carries more power than everything else in the band.
    public static let mainsDominance = SignalQualityFlags(rawValue: 1 << 2)
    /// Large low-frequency (1–20 Hz) power in the raw signal: cable or electrode movement.
    public static let motionArtifact = SignalQualityFlags(rawValue: 1 << 3)
    /// A run of exactly constant samples (zeros from a lost link, a held last value).
    public static let dropout = SignalQualityFlags(rawValue: 1 << 4)

    /// Every flag with its name, in the fixed order of machine output.
    public static let named: [(flag: SignalQualityFlags, name: String)] = [
        (.deadElectrode, "dead"), (.saturation, "saturation"), (.mainsDominance, "mains"),
        (.motionArtifact, "motion"), (.dropout, "dropout"),
    ]

    /// The names of the flags set, in the fixed order of `named`.
    public var names: [String] { Self.named.filter { contains($0.flag) }.map(\.name) }

    /// The names joined by `|`, or `ok` when no flag is set (the form of the CSV output).
    public var description: String { isEmpty ? "ok" : names.joined(separator: "|") }
}
