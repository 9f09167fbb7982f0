// SPDX-License-Identifier: MIT
import CrampCore

/// Alerts as JSON lines: the published format (`schemas/crampd-events.schema.json`).
///
/// Keys come in a fixed order and numbers with fixed decimals (times 3, risk 2, feature values
/// 3), so a replay's output is byte-identical run to run. No wall-clock time is written unless
/// the caller passes one (`wallTime`, an RFC 3339 string produced at the edge).
public enum AlertJSON {
    /// The `{"class":"ALERT",…}` object for `alert`.
    public static func object(_ alert: Alert, wallTime: String? = nil) -> JSONLine {
        var o = JSONLine(class: "ALERT")
        o.add("t", alert.sessionSeconds, decimals: 3)
        if let wallTime { o.add("wall", wallTime) }
        o.add("level", alert.level.rawValue)
        o.add("muscle", alert.site.rawValue)
        o.add("side", alert.side.rawValue)
        o.add("risk", alert.risk, decimals: 2)
        o.add("evidence", alert.evidence.map(evidence))
        var advice = JSONLine()
        advice.add("step", alert.advice.step)
        advice.add("why", alert.advice.why)
        if let e = alert.advice.escalation { advice.add("escalation", e) }
        o.add("advice", advice)
        return o
    }

    static func evidence(_ e: Evidence) -> JSONLine {
        var o = JSONLine()
        o.add("feature", e.feature)
        o.add("value", e.value, decimals: 3)
        if let b = e.baseline { o.add("baseline", b, decimals: 3) } else { o.addNull("baseline") }
        o.add("threshold", e.threshold, decimals: 3)
        o.add("unit", e.unit)
        return o
    }
}
