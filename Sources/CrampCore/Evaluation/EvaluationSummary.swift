// SPDX-License-Identifier: MIT

/// The `crampd eval` figures for a set of sessions (all of them, or one scenario family).
public struct EvaluationSummary: Hashable, Sendable {
    public var sessions: Int
    public var hours: Double
    public var cramps: Int
    public var detected: Int
    /// `detected / cramps`, or nil without cramps.
    public var sensitivity: Double? { cramps > 0 ? Double(detected) / Double(cramps) : nil }
    public var onsetDelayMedianSeconds: Double?
    public var onsetDelayP90Seconds: Double?
    public var warned: Int
    /// `warned / cramps`, or nil without cramps.
    public var warnedShare: Double? { cramps > 0 ? Double(warned) / Double(cramps) : nil }
    public var leadTimeMedianSeconds: Double?
    public var leadTimeP10Seconds: Double?
    public var falseWarnings: Int
    /// False warnings per hour of recording.
    public var falseWarningsPerHour: Double { hours > 0 ? Double(falseWarnings) / hours : 0 }
    public var wrongMuscleOrSide: Int

    /// Pools the scores of several sessions.
    public init(_ scores: [SessionScore]) {
        sessions = scores.count
        hours = scores.reduce(0) { $0 + $1.hours }
        cramps = scores.reduce(0) { $0 + $1.cramps }
        detected = scores.reduce(0) { $0 + $1.detected }
        warned = scores.reduce(0) { $0 + $1.warned }
        falseWarnings = scores.reduce(0) { $0 + $1.falseWarnings }
        wrongMuscleOrSide = scores.reduce(0) { $0 + $1.wrongMuscleOrSide }
        let delays = scores.flatMap(\.onsetDelaysSeconds)
        let leads = scores.flatMap(\.leadTimesSeconds)
        onsetDelayMedianSeconds = Self.percentile(delays, 50)
        onsetDelayP90Seconds = Self.percentile(delays, 90)
        leadTimeMedianSeconds = Self.percentile(leads, 50)
        leadTimeP10Seconds = Self.percentile(leads, 10)
    }

    /// The `p`-th percentile with linear interpolation between closest ranks (NumPy's default
    /// `method="linear"`); nil for no values.
    public static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        let position = p / 100 * Double(s.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, s.count - 1)
        let fraction = position - Double(lower)
        return s[lower] + (s[upper] - s[lower]) * fraction
    }
}
