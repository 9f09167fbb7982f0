// SPDX-License-Identifier: MIT
import CrampCore

/// Why a session cannot be simulated as asked.
public enum SimulationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No scenario has this name (see ``Scenario/all``).
    case unknownScenario(String)
    /// The session is too short to hold the scenario's events at physiological durations
    /// (for example warm-up, a prodrome of at least 30 s and a cramp of at least 30 s).
    case durationTooShort(scenario: String, seconds: Int, minimumSeconds: Int)
    /// The session is longer than the simulator supports.
    case durationTooLong(seconds: Int, maximumSeconds: Int)
    /// The EMG sample rate is not a whole number of hertz within 1000…4000 Hz.
    case sampleRateOutOfRange(Hertz)
    /// An empty list of EMG sites was given.
    case noSites

    public var description: String {
        switch self {
        case let .unknownScenario(name):
            "unknown scenario '\(name)' (crampd simulate --list shows them)"
        case let .durationTooShort(scenario, seconds, minimum):
            "scenario '\(scenario)' needs at least \(minimum) s to hold its events; \(seconds) s asked"
        case let .durationTooLong(seconds, maximum):
            "duration \(seconds) s is longer than the maximum of \(maximum) s"
        case let .sampleRateOutOfRange(rate):
            "EMG sample rate \(rate) is not a whole number of hertz in 1000…4000 Hz"
        case .noSites:
            "no EMG sites given"
        }
    }
}
