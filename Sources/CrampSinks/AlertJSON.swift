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
        if let site = alert.site { o.add("muscle", site.rawValue) } else { o.addNull("muscle") }
        if let side = alert.side { o.add("side", side.rawValue) } else { o.addNull("side") }
        o.add("risk", alert.risk, decimals: 2)
        o.add("evidence", alert.evidence.map(evidence))
        var advice = JSONLine()
        advice.add("step", alert.advice.step)
        advice.add("why", alert.advice.why)
        if let e = alert.advice.escalation { advice.add("escalation", e) }
        o.add("advice", advice)
        return o
    }

    /// The `{"class":"SENSOR",…}` object for a channel fault starting or ending.
    public static func object(_ event: SensorEvent, wallTime: String? = nil) -> JSONLine {
        var o = JSONLine(class: "SENSOR")
        o.add("t", event.sessionSeconds, decimals: 3)
        if let wallTime { o.add("wall", wallTime) }
        o.add("channel", event.channel.label)
        if let site = event.channel.site { o.add("muscle", site.rawValue) } else { o.addNull("muscle") }
        if let side = event.channel.side { o.add("side", side.rawValue) } else { o.addNull("side") }
        o.add("fault", event.fault.rawValue)
        o.add("state", event.active ? "on" : "off")
        o.add("detail", event.detail)
        o.add("advice", event.advice)
        return o
    }

    /// The `{"class":"SUMMARY",…}` object written at the end of a session.
    public static func object(_ summary: SessionSummary, wallTime: String? = nil) -> JSONLine {
        var o = JSONLine(class: "SUMMARY")
        o.add("t", summary.durationSeconds, decimals: 3)
        if let wallTime { o.add("wall", wallTime) }
        o.add("channels", summary.channels)
        o.add("cramps", summary.cramps.map { c -> JSONLine in
            var j = JSONLine()
            j.add("muscle", c.site.rawValue)
            j.add("side", c.side.rawValue)
            j.add("t", c.onsetSeconds, decimals: 3)
            if let e = c.endSeconds { j.add("end_t", e, decimals: 3) } else { j.addNull("end_t") }
            return j
        })
        o.add("warnings", summary.warnings)
        o.add("watches", summary.watches)
        o.add("sensor_faults", summary.sensorFaults)
        o.add("peak_risk", summary.peakRisks.map { r -> JSONLine in
            var j = JSONLine()
            j.add("muscle", r.site.rawValue)
            j.add("side", r.side.rawValue)
            j.add("risk", r.risk, decimals: 2)
            return j
        })
        o.add("message", summary.message)
        o.add("prevention", summary.prevention)
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
