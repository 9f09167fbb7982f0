// SPDX-License-Identifier: MIT

/// How the alerts of one session compare with its ground truth (the `crampd eval` rules).
///
/// - A cramp is **detected** when a `cramp` alert for its muscle and side falls within
///   [onset − 2 s, onset + 10 s]; the **onset delay** is the first such alert's time − onset.
/// - A cramp is **warned** when a `warning` alert for its muscle and side falls within
///   [onset − 300 s, onset); the **lead time** is onset − the first such warning's time.
/// - A `warning` or `cramp` alert outside every window [onset − 300 s, end + 60 s] is a
///   **false warning**; one inside a window but for another muscle or side is a
///   **wrong muscle/side** alert. `watch` and `clear` alerts are never counted.
public struct SessionScore: Hashable, Sendable {
    public static let detectionWindowSeconds: ClosedRange<Double> = -2...10
    public static let warningLookbackSeconds = 300.0
    public static let afterCrampGraceSeconds = 60.0

    public var cramps: Int
    public var detected: Int
    public var onsetDelaysSeconds: [Double]
    public var warned: Int
    public var leadTimesSeconds: [Double]
    public var falseWarnings: Int
    public var wrongMuscleOrSide: Int
    public var hours: Double

    /// Scores `alerts` against `episodes` for a session of `durationSeconds`.
    public init(episodes: [CrampEpisode], alerts: [Alert], durationSeconds: Double) {
        cramps = episodes.count
        hours = durationSeconds / 3600
        detected = 0
        warned = 0
        onsetDelaysSeconds = []
        leadTimesSeconds = []
        falseWarnings = 0
        wrongMuscleOrSide = 0
        let sorted = alerts.sorted { $0.sessionSeconds < $1.sessionSeconds }
        for e in episodes {
            let own = sorted.filter { $0.site == e.site && $0.side == e.side }
            if let hit = own.first(where: {
                $0.level == .cramp && Self.detectionWindowSeconds.contains($0.sessionSeconds - e.onsetSeconds)
            }) {
                detected += 1
                onsetDelaysSeconds.append(hit.sessionSeconds - e.onsetSeconds)
            }
            if let w = own.first(where: {
                $0.level == .warning && $0.sessionSeconds >= e.onsetSeconds - Self.warningLookbackSeconds
                    && $0.sessionSeconds < e.onsetSeconds
            }) {
                warned += 1
                leadTimesSeconds.append(e.onsetSeconds - w.sessionSeconds)
            }
        }
        for a in sorted where a.level == .warning || a.level == .cramp {
            let windows = episodes.filter {
                a.sessionSeconds >= $0.onsetSeconds - Self.warningLookbackSeconds
                    && a.sessionSeconds <= $0.endSeconds + Self.afterCrampGraceSeconds
            }
            if windows.isEmpty {
                falseWarnings += 1
            } else if !windows.contains(where: { $0.site == a.site && $0.side == a.side }) {
                wrongMuscleOrSide += 1
            }
        }
    }
}
