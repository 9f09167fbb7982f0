// SPDX-License-Identifier: MIT
import CrampCore
@testable import CrampReport
import Testing

/// The renderer on hand-made reports: what it draws, where, and how it escapes text.
@Suite struct ReportRendererTests {
    // MARK: - Fixtures

    static func series(_ values: [Double?], bin: Double = 10) -> BinnedSeries {
        BinnedSeries(binSeconds: bin, values: values)
    }

    static func muscle(_ site: MuscleSite, _ side: BodySide, rms: [Double?], faults: [FaultSpan] = []) -> MuscleTrend {
        MuscleTrend(
            label: "EMG \(site.rawValue) \(side.rawValue)", descriptor: .emg(site, side), rms: series(rms),
            medianFrequency: series(rms.map { $0.map { 120 - $0 / 10 } }), twitchRate: series([0, 0, 6, 12, nil, nil], bin: 20),
            baselineRatio: series([nil, 1, 1.8, 3.5, nil, nil], bin: 20), faults: faults, windows: 100, flaggedWindows: 3,
            strides: 80, baselineEstablishedSeconds: 60, hasSpectra: true)
    }

    static func channel(_ label: String, _ kind: ChannelKind?, _ rate: Double?, _ unit: String) -> ReportChannel {
        ReportChannel(label: label, kind: kind, descriptor: ChannelDescriptor(label: label), sampleRateHz: rate, unit: unit)
    }

    /// A 2-minute session with two calf channels, HR and cadence, a cramp and its prodrome.
    static func report(name: String = "run.edf", muscles: [MuscleTrend]? = nil, channels: [ReportChannel]? = nil) -> SessionReport {
        let ms = muscles ?? [
            muscle(.gastroc, .left, rms: [50, 60, nil, 70, 300, 310, 320, 60, 55, 50, 52, 51],
                   faults: [FaultSpan(fault: .motion, span: TimeSpan(startSeconds: 20, endSeconds: 30))]),
            muscle(.gastroc, .right, rms: [40, 42, 41, 44, 45, 43, 42, 41, 40, 40, 41, 42]),
        ]
        let chs = channels ?? [
            channel("EMG gastroc L", .emg, 2000, "uV"), channel("EMG gastroc R", .emg, 2000, "uV"),
            channel("HR", .hr, 4, "bpm"), channel("Cadence", .cadence, 4, "spm"), channel("Temp", nil, 1, "degC"),
        ]
        let session = SessionDescription(name: name, format: "EDF+C", start: "2026-01-01T00:00:00", durationSeconds: 120,
                                         channels: chs, family: "calf-cramp")
        return SessionReport(
            session: session, binSeconds: 10, strideBinSeconds: 20,
            context: [ContextSeries(signal: .heartRate, series: series([120, 130, 140, 145, 150, 150, 152, 151, 140, 130, 125, 120])),
                      ContextSeries(signal: .cadence, series: series([170, 171, 172, 170, 0, 0, 0, 100, 150, 165, 170, 170]))],
            muscles: ms,
            annotations: [
                Annotation(onsetSeconds: 20, durationSeconds: 20, text: "prodrome gastroc L"),
                Annotation(onsetSeconds: 35, text: "tightness gastroc L"),
                Annotation(onsetSeconds: 40, text: "cramp onset gastroc L"),
                Annotation(onsetSeconds: 40, durationSeconds: 30, text: "stop"),
                Annotation(onsetSeconds: 70, text: "cramp end gastroc L"),
                Annotation(onsetSeconds: 90, text: "lap 2"),
            ],
            gaps: [])
    }

    static let alerts = [
        Alert(sessionSeconds: 41, level: .cramp, site: .gastroc, side: .left, risk: 1,
              evidence: [Evidence(feature: "sustained_activity", value: 6.2, baseline: nil, threshold: 3, unit: "s")],
              advice: Advice(step: "Stop. Pull your toes <toward> your shin & \"tighten\" it.", why: "Cramp.", escalation: "Seek help.")),
        Alert(sessionSeconds: 25, level: .warning, site: .gastroc, side: .left, risk: 0.7, evidence: [],
              advice: Advice(step: "Ease off now.", why: "Twitches.")),
        Alert(sessionSeconds: 72, level: .clear, site: .gastroc, side: .left, risk: 0.2, evidence: [],
              advice: Advice(step: "Resume slowly.", why: "Settled.")),
        Alert(sessionSeconds: 10, level: .watch, site: .gastroc, side: .right, risk: 0.3, evidence: [],
              advice: Advice(step: "Ease the pace.", why: "Fatigue.")),
    ]

    static let sensor = [
        SensorEvent(sessionSeconds: 80, channel: .emg(.gastroc, .right), fault: .dead, active: true, detail: "rms 0.8 uV"),
        SensorEvent(sessionSeconds: 95, channel: .emg(.gastroc, .right), fault: .dead, active: false, detail: "rms 40 uV"),
    ]

    static func count(_ html: String, _ needle: String) -> Int {
        var n = 0
        var rest = Substring(html)
        while let r = rest.firstRange(of: needle) {
            n += 1
            rest = rest[r.upperBound...]
        }
        return n
    }

    /// The value of attribute `name` on the first element that has it.
    static func attribute(_ html: String, _ name: String) -> String? {
        guard let r = html.firstRange(of: " \(name)=\"") else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    // MARK: - Tests

    @Test func drawsEverySeriesMarkerAndSpanOnce() {
        let html = ReportRenderer.render(Self.report(), events: ReportEvents(alerts: Self.alerts, sensorEvents: Self.sensor, source: "a.jsonl"))
        // HR, cadence; per muscle RMS, MDF, twitch rate, baseline ratio.
        #expect(Self.count(html, "<path class=\"series\"") == 2 + 2 * 4)
        for key in ["hr", "cadence", "rms", "mdf", "twitch", "baseline"] {
            #expect(html.contains("data-series=\"\(key)\""), "series \(key)")
        }
        #expect(Self.count(html, "<g class=\"alert-marker\"") == 4)
        for level in AlertLevel.allCases {
            #expect(Self.count(html, "class=\"alert-marker\" data-level=\"\(level.rawValue)\"") == 1)
        }
        // Only warning and cramp alerts get a line through the plots.
        #expect(Self.count(html, "class=\"alert-line\"") == 2)
        // Truth: cramp span, prodrome span, tightness point, stop span, a lap note.
        #expect(Self.count(html, "class=\"truth-mark\"") == 5)
        #expect(html.contains("data-kind=\"cramp\" data-muscle=\"gastroc L\""))
        #expect(html.contains("data-kind=\"tightness\""))
        #expect(html.contains("data-kind=\"activity\""))
        #expect(html.contains("data-kind=\"note\""))
        #expect(Self.count(html, "class=\"fault-span\"") == 1)
        #expect(Self.count(html, "class=\"sensor-span\"") == 1)
        // The counts the in-page check compares with.
        #expect(Self.attribute(html, "data-expect-series") == "10")
        #expect(Self.attribute(html, "data-expect-alerts") == "4")
        #expect(Self.attribute(html, "data-expect-truth") == "5")
        #expect(Self.attribute(html, "data-expect-faults") == "1")
        // The cramp and prodrome are shaded behind every plot.
        #expect(Self.count(html, "class=\"shade-cramp\"") == 1 && Self.count(html, "class=\"shade-prodrome\"") == 1)
    }

    @Test func alertsAreListedInTimeOrderWithTheirAdvice() throws {
        let html = ReportRenderer.render(Self.report(), events: ReportEvents(alerts: Self.alerts, source: "a.jsonl"))
        let table = try #require(html.firstRange(of: "<table class=\"alerts\">").map { html[$0.lowerBound...] })
        let levels = ["watch", "warning", "cramp", "clear"].map { table.firstRange(of: "<tr data-level=\"\($0)\"")!.lowerBound }
        #expect(levels == levels.sorted(), "rows by time: watch 10 s, warning 25 s, cramp 41 s, clear 72 s")
        #expect(table.contains("<div class=\"escalation\">Seek help.</div>"))
        #expect(table.contains("sustained_activity 6.2 s"))
        #expect(table.contains("0:41.0"))
    }

    @Test func textIsEscapedEverywhere() {
        var r = Self.report(name: "<script>alert('x')</script>&.edf")
        r.annotations.append(Annotation(onsetSeconds: 100, text: "note \"quoted\" <b>bold</b> & more"))
        let html = ReportRenderer.render(r, events: ReportEvents(alerts: Self.alerts, source: "<evil>.jsonl"))
        // Exactly one script element: the page's own check.
        #expect(Self.count(html, "<script") == 1)
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;.edf"))
        #expect(!html.contains("<b>bold</b>") && html.contains("&lt;b&gt;bold&lt;/b&gt;"))
        #expect(html.contains("note &quot;quoted&quot;"))
        #expect(html.contains("Pull your toes &lt;toward&gt; your shin &amp; &quot;tighten&quot; it."))
        #expect(!html.contains("<evil>") && html.contains("&lt;evil&gt;.jsonl"))
    }

    @Test func selfContainedAndDeterministic() {
        let events = ReportEvents(alerts: Self.alerts, sensorEvents: Self.sensor, source: "a.jsonl")
        let a = ReportRenderer.render(Self.report(), events: events)
        let b = ReportRenderer.render(Self.report(), events: events)
        #expect(a == b)
        // Alerts given in another order draw the same page.
        let shuffled = ReportEvents(alerts: Self.alerts.reversed(), sensorEvents: Self.sensor.reversed(), source: "a.jsonl")
        #expect(ReportRenderer.render(Self.report(), events: shuffled) == a)
        // Nothing to fetch: no external scripts, styles, images or fonts.
        for needle in ["<link", " src=", "@import", "url(http", "https://"] {
            #expect(!a.contains(needle), "\(needle)")
        }
        #expect(Self.count(a, "http://") == 1, "only the SVG namespace")
        #expect(a.hasPrefix("<!DOCTYPE html>") && a.hasSuffix("</html>\n"))
    }

    @Test func sharedTimeAxisTicksAndYAxisTicks() {
        let html = ReportRenderer.render(Self.report())
        // 120 s: a tick every 10 s, labelled on the top and bottom axes.
        for t in ["0:00", "0:30", "1:00", "1:30", "2:00"] {
            #expect(Self.count(html, "class=\"tick\" text-anchor=\"middle\">\(t)</text>") >= 2 || Self.count(html, ">\(t)</text>") >= 2, "\(t)")
        }
        #expect(html.contains(">time (m:ss)</text>"))
        // HR 120–152 bpm: ticks every 10 bpm from 120 to 160.
        for v in ["120", "130", "140", "150", "160"] { #expect(html.contains("text-anchor=\"end\">\(v)</text>")) }
        #expect(html.contains(">Heart rate (bpm)</text>") && html.contains(">Cadence (steps/min)</text>"))
        #expect(html.contains("EMG RMS (µV"))
        #expect(html.contains(">runner&#39;s baseline</text>"))
    }

    @Test func timeScaleTicks() {
        let t = TimeScale(durationSeconds: 480, pixelLeft: 100, pixelRight: 1060)
        #expect(t.step == 60)
        #expect(t.ticks.map { t.label($0) } == ["0:00", "1:00", "2:00", "3:00", "4:00", "5:00", "6:00", "7:00", "8:00"])
        #expect(t.pixel(240) == 580 && t.pixel(-5) == 100 && t.pixel(999) == 1060)
        let long = TimeScale(durationSeconds: 9066, pixelLeft: 0, pixelRight: 1000)
        #expect(long.step == 900 && long.labelUnit == "h:mm")
        #expect(long.ticks.map { long.label($0) }.prefix(6) == ["0:00", "0:15", "0:30", "0:45", "1:00", "1:15"])
        let short = TimeScale(durationSeconds: 7.6, pixelLeft: 0, pixelRight: 1000)
        #expect(short.step == 1 && short.ticks.count == 8)
    }

    @Test func linearScaleTicksAreRound() {
        let hr = LinearScale(lower: 83, upper: 159, pixelLower: 100, pixelUpper: 0)
        #expect(hr.step == 20 && hr.ticks == [80, 100, 120, 140, 160] && hr.decimals == 0)
        #expect(hr.pixel(80) == 100 && hr.pixel(160) == 0)
        let ratio = LinearScale(lower: 0, upper: 2, pixelLower: 100, pixelUpper: 0)
        #expect(ratio.step == 0.5 && ratio.decimals == 1)
        // RMS up to 405 µV: 0–500 in steps of 100, not 0–600 in steps of 200.
        let rms = LinearScale(lower: 0, upper: 405, pixelLower: 100, pixelUpper: 0)
        #expect(rms.step == 100 && rms.upper == 500)
        let twitch = LinearScale(lower: 0, upper: 35.5, pixelLower: 100, pixelUpper: 0)
        #expect(twitch.ticks == [0, 10, 20, 30, 40])
        let flat = LinearScale(lower: 5, upper: 5, pixelLower: 100, pixelUpper: 0)
        #expect(flat.lower < 5 && flat.upper > 5)
        #expect(LinearScale.niceStep(0.03) == 0.05 && LinearScale.niceStep(7) == 10 && LinearScale.niceStep(200) == 200)
    }

    @Test func pathsBreakWhereDataIsMissing() {
        #expect(polylinePath([(0, 0), (1, 1), nil, (3, 3), (4, 4)]) == "M0.0 0.0L1.0 1.0 M3.0 3.0L4.0 4.0")
        #expect(polylinePath([nil, (2, 2), nil]) == "M2.0 2.0h0")
        #expect(polylinePath([nil, nil]) == "")
    }

    @Test func sessionWithoutEMGSaysSoAndDrawsOnlyTheContext() {
        let r = Self.report(name: "watch.fit", muscles: [], channels: [Self.channel("HR", .hr, nil, "bpm")])
        let html = ReportRenderer.render(r)
        #expect(html.contains("No EMG: fatigue context only (heart rate, cadence); cramps cannot be seen."))
        #expect(html.contains("no cadence: no gait context"))
        #expect(!html.contains("data-series=\"rms\"") && !html.contains(">Signal quality (windows"))
        #expect(html.contains("no alerts given"))
    }

    @Test func channelsPresentAndMissingAreListed() {
        let html = ReportRenderer.render(Self.report(channels: [
            Self.channel("EMG gastroc L", .emg, 2000, "uV"), Self.channel("EMG gastroc R", .emg, 2000, "uV"),
            Self.channel("Distance", nil, nil, "m"),
        ]))
        #expect(html.contains("<span class=\"ch\" data-kind=\"emg\">EMG gastroc L · 2000 Hz · uV</span>"))
        #expect(html.contains("carried, not analysed: Distance"))
        #expect(html.contains("no heart rate"))
        #expect(html.contains("no cadence: strides are cut from the EMG&#39;s own rhythm"))
        #expect(!html.contains("No EMG"))
    }

    @Test func emptyPanelsSayWhy() {
        var m = Self.muscle(.soleus, .left, rms: [10, 10])
        m.medianFrequency = Self.series([nil, nil])
        m.hasSpectra = false
        m.twitchRate = Self.series([nil])
        m.baselineRatio = Self.series([nil])
        m.strides = 0
        let html = ReportRenderer.render(Self.report(muscles: [m]))
        #expect(html.contains("the EMG rate is too low for spectral features"))
        #expect(html.contains("data-empty=\"twitch\">no strides found"))
        // A channel without values where another has some: named in the legend as such.
        let both = ReportRenderer.render(Self.report(muscles: [Self.muscle(.gastroc, .left, rms: [1, 2]), m]))
        #expect(both.contains(">soleus L (none)</text>") && both.contains(">gastroc L</text>"))
        #expect(!both.contains("data-empty=\"twitch\""))
    }

    @Test func clockAndDurationText() {
        #expect(HTML.clock(396.568, decimals: 1) == "6:36.6")
        #expect(HTML.clock(59.96, decimals: 1) == "1:00.0")
        #expect(HTML.clock(3725) == "1:02:05")
        #expect(HTML.clock(5) == "0:05")
        #expect(HTML.duration(480) == "8 min 0 s" && HTML.duration(3720) == "1 h 02 min" && HTML.duration(7.6) == "7.60 s")
        #expect(HTML.escape("a<b>&\"c'\u{01}") == "a&lt;b&gt;&amp;&quot;c&#39;")
    }
}
