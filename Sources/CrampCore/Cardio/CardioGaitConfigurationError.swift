// SPDX-License-Identifier: MIT

/// Why a heart-rate, RR or cadence component could not be set up.
///
/// Every parameter is checked once, when the component is created; processing samples never
/// throws.
public enum CardioGaitConfigurationError: Error, Hashable, Sendable {
    /// A parameter outside the values that make sense for it (`parameter` names the
    /// configuration property, e.g. `"baselineWindow.durationSeconds"`).
    case outOfRange(parameter: String, value: Double, allowed: ClosedRange<Double>)
    /// Two parameters that contradict each other, e.g. a walking speed above the running speed.
    case inconsistent(String)
}

extension CardioGaitConfigurationError {
    /// Throws `.outOfRange` unless `value` is finite and inside `allowed`.
    static func check(_ parameter: String, _ value: Double, in allowed: ClosedRange<Double>) throws(CardioGaitConfigurationError) {
        guard value.isFinite, allowed.contains(value) else {
            throw .outOfRange(parameter: parameter, value: value, allowed: allowed)
        }
    }

    /// Throws `.outOfRange` unless the integer `value` is inside `allowed`.
    static func check(_ parameter: String, _ value: Int, in allowed: ClosedRange<Int>) throws(CardioGaitConfigurationError) {
        guard allowed.contains(value) else {
            throw .outOfRange(parameter: parameter, value: Double(value),
                              allowed: Double(allowed.lowerBound)...Double(allowed.upperBound))
        }
    }
}
