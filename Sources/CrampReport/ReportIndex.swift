// SPDX-License-Identifier: MIT
import CrampCore

/// The index page of a set of session reports: one row per session linking its report, with
/// its score against the ground truth (`SessionScore`, the `crampd eval` rules), and the
/// pooled figures (`EvaluationSummary`) of the sessions that were scored.
///
/// ```swift
/// let rows = sessions.map { ReportIndex.Row(session: $0.name, href: $0.name + ".html",
///                                           family: $0.family, durationSeconds: $0.duration,
///                                           score: SessionScore(episodes: …, alerts: …, durationSeconds: …)) }
/// let html = ReportIndex.render(rows: rows)
/// ```
public enum ReportIndex {
    /// One session.
    public struct Row: Hashable, Sendable {
        /// The session's name (its file name).
        public var session: String
        /// The link to its report, relative to the index (`nil`: no report).
        public var href: String?
        /// The scenario family (`calf-cramp`), if known.
        public var family: String?
        /// The session's length, seconds.
        public var durationSeconds: Double
        /// The score of its alerts; `nil` when the session has no alerts to score (the
        /// detection columns then show a dash, and the cramp count comes from `cramps`).
        public var score: SessionScore?
        /// Cramps in the ground truth (used when `score` is `nil`).
        public var cramps: Int
        /// What went wrong with this session, if anything (shown instead of the figures).
        public var problem: String?

        /// A scored session.
        public init(session: String, href: String?, family: String?, durationSeconds: Double, score: SessionScore) {
            self.session = session
            self.href = href
            self.family = family
            self.durationSeconds = durationSeconds
            self.score = score
            cramps = score.cramps
            problem = nil
        }

        /// A session without alerts to score, or one that failed (`problem`).
        public init(session: String, href: String?, family: String?, durationSeconds: Double, cramps: Int,
                    problem: String? = nil) {
            self.session = session
            self.href = href
            self.family = family
            self.durationSeconds = durationSeconds
            score = nil
            self.cramps = cramps
            self.problem = problem
        }
    }

    /// The index page for `rows` (in the order given), with `title` as its heading.
    public static func render(rows: [Row], title: String = "crampd session reports") -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"generator\" content=\"crampd report\">\n<title>\(HTML.escape(title))</title>\n"
        h += "<style>\n\(ReportStyle.css)\n</style>\n</head>\n<body>\n<h1>\(HTML.escape(title))</h1>\n"
        let scored = rows.compactMap(\.score)
        let hours = rows.reduce(0) { $0 + $1.durationSeconds } / 3600
        h += "<ul class=\"facts\"><li><b>Sessions</b>\(rows.count)</li><li><b>Recorded</b>\(HTML.number(hours, 2)) h</li>"
        h += "<li><b>Scored</b>\(scored.count) (sessions with alerts)</li></ul>\n"
        if !scored.isEmpty {
            let s = EvaluationSummary(scored)
            h += "<table class=\"summary\" id=\"summary\"><thead><tr><th>cramps</th><th>detected</th><th>sensitivity</th>"
            h += "<th>onset delay, median</th><th>warned</th><th>lead time, median</th><th>lead time, 10th percentile</th>"
            h += "<th>false warnings</th><th>per hour</th><th>wrong muscle or side</th></tr></thead><tbody><tr>"
            h += "<td class=\"num\">\(s.cramps)</td><td class=\"num\">\(s.detected)</td><td class=\"num\">\(percent(s.sensitivity))</td>"
            h += "<td class=\"num\">\(secondsText(s.onsetDelayMedianSeconds))</td><td class=\"num\">\(s.warned) (\(percent(s.warnedShare)))</td>"
            h += "<td class=\"num\">\(secondsText(s.leadTimeMedianSeconds))</td><td class=\"num\">\(secondsText(s.leadTimeP10Seconds))</td>"
            h += "<td class=\"num\">\(s.falseWarnings)</td><td class=\"num\">\(HTML.number(s.falseWarningsPerHour, 2))</td>"
            h += "<td class=\"num\">\(s.wrongMuscleOrSide)</td></tr></tbody></table>\n"
        }
        h += "<table class=\"sessions\" id=\"sessions\"><thead><tr><th>session</th><th>family</th><th>duration</th><th>cramps</th>"
        h += "<th>detected</th><th>warned</th><th>lead</th><th>false warnings</th></tr></thead><tbody>\n"
        for r in rows {
            let name = HTML.escape(r.session)
            let link = r.href.map { "<a href=\"\(HTML.escape(percentEncoded($0)))\">\(name)</a>" } ?? name
            h += "<tr><td>\(link)</td><td>\(HTML.escape(r.family ?? "—"))</td>"
            h += "<td class=\"num\">\(HTML.duration(r.durationSeconds))</td><td class=\"num\">\(r.cramps)</td>"
            if let problem = r.problem {
                h += "<td colspan=\"4\" class=\"escalation\">\(HTML.escape(problem))</td>"
            } else if let s = r.score {
                let lead = EvaluationSummary.percentile(s.leadTimesSeconds, 50)
                h += "<td class=\"num\">\(s.detected)</td><td class=\"num\">\(s.warned)</td>"
                h += "<td class=\"num\">\(secondsText(lead))</td><td class=\"num\">\(s.falseWarnings)</td>"
            } else {
                h += "<td class=\"num muted\">—</td><td class=\"num muted\">—</td><td class=\"num muted\">—</td><td class=\"num muted\">—</td>"
            }
            h += "</tr>\n"
        }
        h += "</tbody></table>\n"
        h += "<p class=\"about\">Detected: a <code>cramp</code> alert for the muscle and side within 2 s before to 10 s after the onset. "
        h += "Warned: a <code>warning</code> within the 300 s before it; lead: the onset minus the first such warning (median over the session's cramps). "
        h += "False warnings: <code>warning</code> or <code>cramp</code> alerts outside every cramp's window (300 s before it to 60 s after its end). "
        h += "A dash: no alerts were given for the session.</p>\n</body>\n</html>\n"
        return h
    }

    static func percent(_ v: Double?) -> String {
        v.map { HTML.number($0 * 100, 1) + " %" } ?? "—"
    }

    static func secondsText(_ v: Double?) -> String {
        v.map { HTML.number($0, 1) + " s" } ?? "—"
    }

    /// A relative link with the characters a URL path cannot hold percent-encoded (spaces,
    /// `#`, `?`, `%`, non-ASCII), `/` kept.
    static func percentEncoded(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count < 2 ? "0" : "") + hex
            }
        }
        return out
    }
}
