// SPDX-License-Identifier: MIT
import CrampCore
@testable import CrampReport
import Testing

/// The index page: one row per session, its score, the pooled figures.
@Suite struct ReportIndexTests {
    static let episode = CrampEpisode(site: .gastroc, side: .left, onsetSeconds: 400, endSeconds: 470)

    static func alert(_ t: Double, _ level: AlertLevel, _ side: BodySide = .left) -> Alert {
        Alert(sessionSeconds: t, level: level, site: .gastroc, side: side, risk: 0.5, evidence: [],
              advice: Advice(step: "s", why: "w"))
    }

    @Test func rowsShowTheScoreAndLinkTheReports() throws {
        let hit = SessionScore(episodes: [Self.episode], alerts: [Self.alert(340, .warning), Self.alert(402, .cramp),
                                                                 Self.alert(1000, .warning)], durationSeconds: 1800)
        let rows = [
            ReportIndex.Row(session: "calf #1.edf", href: "calf #1.html", family: "calf-cramp", durationSeconds: 1800, score: hit),
            ReportIndex.Row(session: "free.edf", href: "free.html", family: nil, durationSeconds: 1800, cramps: 0),
            ReportIndex.Row(session: "bad.edf", href: nil, family: nil, durationSeconds: 0, cramps: 0,
                            problem: "crampd: bad.edf: byte 236: record count is -1 <unfinished>"),
        ]
        let html = ReportIndex.render(rows: rows)
        #expect(html.contains("<a href=\"calf%20%231.html\">calf #1.edf</a>"))
        #expect(html.contains("<a href=\"free.html\">free.edf</a>"))
        // calf: 1 cramp, detected, warned 60 s ahead, one false warning at 1000 s.
        #expect(html.contains("<td>calf-cramp</td><td class=\"num\">30 min 0 s</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">60.0 s</td><td class=\"num\">1</td>"))
        // Unscored: dashes, not zeros.
        #expect(html.contains("<td class=\"num\">0</td><td class=\"num muted\">—</td>"))
        #expect(html.contains("record count is -1 &lt;unfinished&gt;"))
        // The pooled figures come from the scored sessions only.
        let summary = try #require(html.firstRange(of: "<table class=\"summary\"").map { html[$0.lowerBound...] })
        #expect(summary.contains("<td class=\"num\">100.0 %</td>"))
        #expect(summary.contains("<td class=\"num\">1 (100.0 %)</td>"))
        #expect(summary.contains("<td class=\"num\">2.00</td>"), "1 false warning in 0.5 h")
        #expect(html.contains("<li><b>Sessions</b>3</li>") && html.contains("<li><b>Scored</b>1 (sessions with alerts)</li>"))
    }

    @Test func noScoredSessionsMeansNoSummaryTable() {
        let html = ReportIndex.render(rows: [ReportIndex.Row(session: "a.fit", href: "a.html", family: nil, durationSeconds: 60, cramps: 0)])
        #expect(!html.contains("class=\"summary\""))
        #expect(html.contains("<a href=\"a.html\">a.fit</a>"))
        #expect(ReportIndex.render(rows: []) == ReportIndex.render(rows: []))
    }

    @Test func linksArePercentEncoded() {
        #expect(ReportIndex.percentEncoded("run 1/é?#%.html") == "run%201/%C3%A9%3F%23%25.html")
    }
}
