// SPDX-License-Identifier: MIT

/// A frequency or a sample rate, in hertz.
///
/// A unit type so that a sample rate can never be confused with a period, a count or a
/// cut-off in another unit.
public struct Hertz: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The value in hertz.
    public var value: Double

    /// Creates a frequency of `value` hertz.
    public init(_ value: Double) { self.value = value }

    /// The time between two samples at this rate, in seconds.
    public var periodSeconds: Double { 1 / value }

    public static func < (lhs: Hertz, rhs: Hertz) -> Bool { lhs.value < rhs.value }

    public var description: String {
        value == value.rounded() ? "\(Int(value)) Hz" : "\(value) Hz"
    }
}
