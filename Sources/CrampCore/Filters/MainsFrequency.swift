// SPDX-License-Identifier: MIT

/// The frequency of the mains (power line) grid, whose hum surface EMG picks up.
public enum MainsFrequency: Int, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// 50 Hz: Europe, Africa, most of Asia, Australia.
    case hz50 = 50
    /// 60 Hz: the Americas, Korea, Taiwan, part of Japan.
    case hz60 = 60

    /// The fundamental.
    public var frequency: Hertz { Hertz(Double(rawValue)) }

    public var description: String { "\(rawValue) Hz" }
}
