// SPDX-License-Identifier: MIT
import CrampCore

/// Draws a ``SessionReport`` and the detector's events as one self-contained HTML page: inline
/// CSS and SVG, no network, one small inline script that checks the drawing (below).
///
/// Every plot shares one session-time axis. From the top: the ground truth (cramps, prodromes,
/// tightness, stops and other activity, artifacts, notes), the alerts by muscle, heart rate,
/// cadence and speed, then per EMG channel the RMS and MDF trends, the twitch rate and the
/// inter-stride baseline against the runner's own, and the signal-quality faults. Cramp and
/// prodrome spans are shaded behind every plot, warning and cramp alerts drawn as vertical
/// lines through them. Tables below list the alerts with their advice, sensor events, the
/// annotations and the EMG channels.
///
/// The output depends only on the arguments: the same report gives the same bytes.
///
/// The inline script counts the drawn series, alert markers, ground-truth marks and fault
/// spans, compares them with the counts the renderer wrote on the `<svg>`
/// (`data-expect-*`), and sets `data-ok="1"` on `<html>` (or `"0"`, with the problems in
/// `data-problems` and a visible notice): a browser test, or a reader, can tell a page that
/// drew completely from one that did not.
public enum ReportRenderer {
    /// The page for `report` with `events` (alerts and sensor faults; ``ReportEvents/none``
    /// for none).
    public static func render(_ report: SessionReport, events: ReportEvents = .none) -> String {
        var page = Page(report: report, events: events)
        return page.html()
    }
}

// MARK: - Page

private struct Page {
    let report: SessionReport
    let events: ReportEvents
    let marks: [TruthMark]
    let alerts: [Alert]
    let sensorSpans: [(lane: Int, fault: SignalFault, span: TimeSpan, detail: String)]

    // Geometry, in SVG user units (pixels at 100 %).
    static let width = 1320.0
    static let plotLeft = 130.0
    static let plotRight = 1130.0
    static let lineHeight = 120.0
    static let laneHeight = 20.0
    static let panelGap = 24.0
    static let titleHeight = 20.0

    let time: TimeScale

    init(report: SessionReport, events: ReportEvents) {
        self.report = report
        self.events = events
        let duration = report.session.durationSeconds
        marks = TruthMark.marks(report.annotations, durationSeconds: duration)
        alerts = events.alerts.enumerated().sorted {
            ($0.element.sessionSeconds, $0.offset) < ($1.element.sessionSeconds, $1.offset)
        }.map(\.element)
        time = TimeScale(durationSeconds: duration, pixelLeft: Self.plotLeft, pixelRight: Self.plotRight)
        // Sensor events: each `on` until the matching `off` (or the session end), on the lane
        // of its EMG channel.
        var spans: [(Int, SignalFault, TimeSpan, String)] = []
        var open: [String: (Double, String)] = [:]
        let sorted = events.sensorEvents.enumerated().sorted {
            ($0.element.sessionSeconds, $0.offset) < ($1.element.sessionSeconds, $1.offset)
        }.map(\.element)
        func lane(_ e: SensorEvent) -> Int? {
            report.muscles.firstIndex { $0.descriptor == e.channel }
        }
        for e in sorted {
            let key = e.channel.label + "|" + e.fault.rawValue
            if e.active {
                if open[key] == nil { open[key] = (e.sessionSeconds, e.detail) }
            } else if let (start, detail) = open.removeValue(forKey: key), let l = lane(e) {
                spans.append((l, e.fault, TimeSpan(startSeconds: start, endSeconds: e.sessionSeconds), detail))
            }
        }
        for e in sorted where e.active {
            let key = e.channel.label + "|" + e.fault.rawValue
            if let (start, detail) = open.removeValue(forKey: key), let l = lane(e) {
                spans.append((l, e.fault, TimeSpan(startSeconds: start, endSeconds: duration), detail))
            }
        }
        sensorSpans = spans.map { (lane: $0.0, fault: $0.1, span: $0.2, detail: $0.3) }
    }

    // MARK: Counts the self-check verifies

    private(set) var drawnSeries = 0
    private(set) var drawnAlerts = 0
    private(set) var drawnTruth = 0
    private(set) var drawnFaults = 0

    // MARK: HTML

    mutating func html() -> String {
        let s = report.session
        let svg = plots()
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<meta name=\"generator\" content=\"crampd report\">\n"
        h += "<title>\(HTML.escape(s.name)) — crampd session report</title>\n"
        h += "<style>\n\(ReportStyle.css)\n</style>\n</head>\n<body>\n"
        h += "<div id=\"self-check\"></div>\n"
        h += header()
        h += legend()
        h += svg
        h += alertTable()
        h += sensorTable()
        h += annotationTable()
        h += channelTable()
        h += about()
        h += "<script>\n\(Self.selfCheckScript)\n</script>\n</body>\n</html>\n"
        return h
    }

    private func header() -> String {
        let s = report.session
        var h = "<header>\n<h1>Session report: \(HTML.escape(s.name))</h1>\n<ul class=\"facts\">"
        h += "<li><b>Start</b>\(HTML.escape(s.start ?? "not recorded"))</li>"
        h += "<li><b>Duration</b>\(HTML.duration(s.durationSeconds)) (\(HTML.number(s.durationSeconds, 1)) s)</li>"
        h += "<li><b>Format</b>\(HTML.escape(s.format))</li>"
        if let f = s.family { h += "<li><b>Scenario</b>\(HTML.escape(f))</li>" }
        h += "<li><b>Bins</b>\(HTML.duration(report.binSeconds)) medians"
        if !report.muscles.isEmpty { h += "; strides per \(HTML.duration(report.strideBinSeconds))" }
        h += "</li>"
        if let source = events.source {
            h += "<li><b>Alerts</b>\(HTML.escape(source)): \(events.alerts.count) alert\(events.alerts.count == 1 ? "" : "s"), "
            h += "\(events.sensorEvents.count) sensor event\(events.sensorEvents.count == 1 ? "" : "s")</li>"
        } else {
            h += "<li><b>Alerts</b>none given</li>"
        }
        h += "</ul>\n"

        // Channels present, then what is missing and what that means.
        h += "<div class=\"channels\"><b>Channels present:</b> "
        let analysed = s.channels.filter { $0.kind != nil }
        if analysed.isEmpty { h += "<span class=\"muted\">none crampd analyses</span>" }
        for c in analysed {
            var text = c.label
            if let r = c.sampleRateHz { text += " · " + Self.rate(r) }
            if !c.unit.isEmpty { text += " · " + c.unit }
            h += "<span class=\"ch\" data-kind=\"\(c.kind!.rawValue)\">\(HTML.escape(text))</span>"
        }
        let other = s.channels.filter { $0.kind == nil }
        if !other.isEmpty {
            h += " <span class=\"muted\">carried, not analysed: \(HTML.escape(other.map(\.label).joined(separator: ", ")))</span>"
        }
        h += "</div>\n"
        let kinds = Set(analysed.compactMap(\.kind))
        var missing: [String] = []
        if !kinds.contains(.emg) {
            h += "<p class=\"notice\" id=\"no-emg\">No EMG: fatigue context only (heart rate, cadence); cramps cannot be seen.</p>\n"
        }
        if !kinds.contains(.hr) { missing.append("no heart rate: no cardiac drift or heart-rate context") }
        if !kinds.contains(.cadence) {
            missing.append(kinds.contains(.emg)
                ? "no cadence: strides are cut from the EMG's own rhythm" : "no cadence: no gait context")
        }
        if !missing.isEmpty {
            h += "<div class=\"missing\"><b>Missing:</b> \(HTML.escape(missing.joined(separator: "; "))).</div>\n"
        }
        h += "</header>\n"
        return h
    }

    static func rate(_ hz: Double) -> String {
        hz == hz.rounded() ? "\(Int(hz)) Hz" : HTML.number(hz, 3) + " Hz"
    }

    private func legend() -> String {
        func swatch(_ inner: String) -> String {
            "<svg width=\"22\" height=\"14\" viewBox=\"0 0 22 14\" aria-hidden=\"true\">\(inner)</svg>"
        }
        func box(_ colour: String, _ opacity: Double) -> String {
            swatch("<rect x=\"1\" y=\"2\" width=\"20\" height=\"10\" fill=\"\(colour)\" fill-opacity=\"\(HTML.number(opacity, 2))\" stroke=\"\(colour)\"/>")
        }
        var h = "<div class=\"legend\" id=\"legend\">"
        let levels = Set(alerts.map(\.level))
        if !levels.isEmpty { h += "<b>Alerts:</b>" }
        for level in [AlertLevel.watch, .warning, .cramp, .clear] where levels.contains(level) {
            h += "<span>\(swatch(Self.alertShape(level, x: 11, y: 7)))\(level.rawValue)</span>"
        }
        if !marks.isEmpty { h += "<b>Ground truth:</b>" }
        if marks.contains(where: { $0.kind == .prodrome }) { h += "<span>\(box(ReportStyle.prodrome, 0.45))prodrome</span>" }
        if marks.contains(where: { $0.kind == .cramp }) { h += "<span>\(box(ReportStyle.cramp, 0.55))cramp</span>" }
        if marks.contains(where: { $0.kind == .tightness }) {
            h += "<span>\(swatch(Self.diamond(x: 11, y: 7, r: 5, fill: ReportStyle.tightness)))tightness felt</span>"
        }
        for a in ["stop", "walk break", "surge", "interval"] where marks.contains(where: { $0.kind == .activity(a) }) {
            h += "<span>\(box(ReportStyle.activityColour(a), 0.45))\(a)</span>"
        }
        if marks.contains(where: { $0.kind == .note }) {
            h += "<span>\(swatch("<path d=\"M11 2v10\" stroke=\"\(ReportStyle.note)\" stroke-width=\"2.5\"/>"))note</span>"
        }
        if marks.contains(where: { if case .artifact = $0.kind { true } else { false } }) {
            h += "<span>\(swatch("<rect x=\"1\" y=\"2\" width=\"20\" height=\"10\" fill=\"url(#hatch)\" stroke=\"\(ReportStyle.artifact)\"/>"))artifact</span>"
        }
        let faults = Set(report.muscles.flatMap { $0.faults.map(\.fault) } + sensorSpans.map(\.fault))
        if !faults.isEmpty || !report.gaps.isEmpty { h += "<b>Signal:</b>" }
        for f in SignalFault.allCases where faults.contains(f) {
            h += "<span>\(box(ReportStyle.colour(f), 0.75))\(f.rawValue)</span>"
        }
        if !report.gaps.isEmpty { h += "<span>\(box(ReportStyle.gap, 0.35))no data</span>" }
        h += "</div>\n"
        return h
    }

    // MARK: SVG

    private enum Panel {
        case truth([TruthLane])
        case alerts([String])
        case line(LinePanel)
        case quality
    }

    private struct LinePanel {
        var id: String
        var title: String
        var series: [(key: String, label: String, style: ReportStyle.Line, series: BinnedSeries)]
        var zeroBased: Bool
        var minimumUpper: Double?
        var reference: (value: Double, label: String)?
        var emptyNote: String
    }

    private func alertLanes() -> [String] {
        // Session-level alerts (no EMG: heart rate and cadence only) come first, in their own lane.
        var lanes: [String] = alerts.contains(where: { $0.site == nil }) ? [Self.sessionLane] : []
        for site in MuscleSite.allCases {
            for side in BodySide.allCases where alerts.contains(where: { $0.site == site && $0.side == side }) {
                lanes.append("\(site.rawValue) \(side.rawValue)")
            }
        }
        return lanes
    }

    /// The lane of alerts that name no muscle.
    static let sessionLane = "session"

    /// The lane (and table cell) of an alert: `gastroc L`, or `session` for one without a muscle.
    static func laneKey(_ a: Alert) -> String {
        guard let site = a.site, let side = a.side else { return sessionLane }
        return "\(site.rawValue) \(side.rawValue)"
    }

    private func panels() -> [Panel] {
        var out: [Panel] = []
        let truthLanes = Array(Set(marks.map(\.lane))).sorted()
        if !truthLanes.isEmpty { out.append(.truth(truthLanes)) }
        out.append(.alerts(alertLanes()))
        for c in report.context {
            out.append(.line(LinePanel(
                id: c.signal.rawValue, title: "\(c.signal.title) (\(c.signal.unit))",
                series: [(c.signal.rawValue, c.signal.title, ReportStyle.Line(colour: ReportStyle.colour(c.signal), dash: nil), c.series)],
                zeroBased: false, minimumUpper: nil, reference: nil, emptyNote: "no samples")))
        }
        guard !report.muscles.isEmpty else { return out }
        func muscleSeries(_ key: String, _ pick: (MuscleTrend) -> BinnedSeries)
            -> [(key: String, label: String, style: ReportStyle.Line, series: BinnedSeries)] {
            var fallback = 0
            return report.muscles.map { m in
                let style = ReportStyle.line(for: m.descriptor, fallbackIndex: fallback)
                if m.descriptor?.site == nil { fallback += 1 }
                return (key, Self.shortLabel(m), style, pick(m))
            }
        }
        let spectral = report.muscles.contains(where: \.hasSpectra)
        out.append(.line(LinePanel(
            id: "rms", title: "EMG RMS (µV, window median per \(HTML.duration(report.binSeconds)))",
            series: muscleSeries("rms", \.rms), zeroBased: true, minimumUpper: nil, reference: nil,
            emptyNote: "no EMG windows")))
        out.append(.line(LinePanel(
            id: "mdf", title: "EMG median frequency (Hz, window median per \(HTML.duration(report.binSeconds)))",
            series: muscleSeries("mdf", \.medianFrequency), zeroBased: false, minimumUpper: nil, reference: nil,
            emptyNote: spectral ? "no spectral features" : "the EMG rate is too low for spectral features")))
        out.append(.line(LinePanel(
            id: "twitch", title: "Twitch rate (extra bursts per minute of striding, per \(HTML.duration(report.strideBinSeconds)))",
            series: muscleSeries("twitch", \.twitchRate), zeroBased: true, minimumUpper: 5, reference: nil,
            emptyNote: report.muscles.allSatisfy { $0.strides == 0 } ? "no strides found" : "too few strides in any bin for a rate")))
        out.append(.line(LinePanel(
            id: "baseline", title: "Inter-stride baseline (× the runner's own, median per \(HTML.duration(report.strideBinSeconds)))",
            series: muscleSeries("baseline", \.baselineRatio), zeroBased: true, minimumUpper: 2,
            reference: (1, "runner's baseline"),
            emptyNote: report.muscles.allSatisfy { $0.strides == 0 } ? "no strides found" : "no runner's baseline (too few clean strides)")))
        out.append(.quality)
        return out
    }

    private func height(_ panel: Panel) -> Double {
        switch panel {
        case let .truth(lanes): Self.titleHeight + Double(lanes.count) * Self.laneHeight
        case let .alerts(lanes): Self.titleHeight + Double(max(lanes.count, 1)) * Self.laneHeight
        case .line: Self.titleHeight + Self.lineHeight
        case .quality: Self.titleHeight + Double(report.muscles.count) * Self.laneHeight
        }
    }

    static func shortLabel(_ m: MuscleTrend) -> String {
        if let site = m.descriptor?.site, let side = m.descriptor?.side { return "\(site.rawValue) \(side.rawValue)" }
        return m.label
    }

    mutating func plots() -> String {
        let panels = panels()
        var tops: [Double] = []
        var y = 34.0
        for p in panels {
            tops.append(y)
            y += height(p) + Self.panelGap
        }
        let bottomAxis = y - Self.panelGap + 8
        let totalHeight = bottomAxis + 44
        var svg = SVGCanvas()
        let firstPlot = tops.first.map { $0 + Self.titleHeight } ?? 34
        let lastPlot = bottomAxis - 8

        // Background: time grid, no-data spans, cramp and prodrome spans through every panel.
        for t in time.ticks {
            svg.line(time.pixel(t), firstPlot, time.pixel(t), lastPlot, class: "grid")
        }
        for g in report.gaps {
            svg.rect(time.pixel(g.startSeconds), firstPlot, max(time.pixel(g.endSeconds) - time.pixel(g.startSeconds), 2),
                     lastPlot - firstPlot, class: "gap", fill: ReportStyle.gap, opacity: 0.35,
                     title: "no data \(HTML.clock(g.startSeconds)) to \(HTML.clock(g.endSeconds))")
        }
        for m in marks where m.kind == .cramp || m.kind == .prodrome {
            guard let end = m.endSeconds else { continue }
            svg.rect(time.pixel(m.startSeconds), firstPlot, time.pixel(end) - time.pixel(m.startSeconds),
                     lastPlot - firstPlot, class: "shade-\(m.kindName)", fill: m.colour,
                     opacity: m.kind == .cramp ? 0.08 : 0.07)
        }

        for (p, top) in zip(panels, tops) {
            switch p {
            case let .truth(lanes): drawTruth(&svg, lanes: lanes, top: top)
            case let .alerts(lanes): drawAlerts(&svg, lanes: lanes, top: top)
            case let .line(panel): drawLine(&svg, panel, top: top)
            case .quality: drawQuality(&svg, top: top)
            }
        }

        // Warning and cramp alerts as vertical lines through the plots below the alert lanes.
        if let alertsIndex = panels.firstIndex(where: { if case .alerts = $0 { true } else { false } }) {
            let from = tops[alertsIndex] + Self.titleHeight
            for a in alerts where a.level == .warning || a.level == .cramp {
                let x = time.pixel(a.sessionSeconds)
                svg.line(x, from, x, lastPlot, class: "alert-line", stroke: ReportStyle.colour(a.level),
                         dash: a.level == .warning ? "5 3" : nil, extra: " stroke-opacity=\"0.75\" data-level=\"\(a.level.rawValue)\"")
            }
        }

        // Time axes, top and bottom.
        for t in time.ticks {
            let x = time.pixel(t)
            svg.text(x, 24, time.label(t), class: "tick", anchor: "middle")
            svg.line(x, lastPlot, x, lastPlot + 5, class: "frame")
            svg.text(x, lastPlot + 18, time.label(t), class: "tick", anchor: "middle")
        }
        svg.text(Self.plotLeft - 24, 24, "time (\(time.labelUnit))", class: "tick", anchor: "end")
        svg.text((Self.plotLeft + Self.plotRight) / 2, lastPlot + 36, "Session time (from the first sample)",
                 class: "title", anchor: "middle")

        var out = "<svg class=\"plots\" id=\"plots\" xmlns=\"http://www.w3.org/2000/svg\" "
        out += "width=\"\(Int(Self.width))\" height=\"\(Int(totalHeight.rounded(.up)))\" "
        out += "viewBox=\"0 0 \(Int(Self.width)) \(Int(totalHeight.rounded(.up)))\" role=\"img\" "
        out += "aria-label=\"Session \(HTML.escape(report.session.name)) on a shared time axis\" "
        out += "data-expect-series=\"\(drawnSeries)\" data-expect-alerts=\"\(drawnAlerts)\" "
        out += "data-expect-truth=\"\(drawnTruth)\" data-expect-faults=\"\(drawnFaults)\">\n"
        out += "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
        out += "<rect width=\"6\" height=\"6\" fill=\"#f1f3f5\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#868e96\" stroke-width=\"2\"/></pattern></defs>\n"
        out += svg.markup
        out += "\n</svg>\n"
        return out
    }

    private func panelTitle(_ svg: inout SVGCanvas, _ title: String, top: Double) {
        svg.text(Self.plotLeft, top + 14, title, class: "title")
    }

    private func laneLabels(_ svg: inout SVGCanvas, _ labels: [String], top: Double) {
        for (i, l) in labels.enumerated() {
            let y = top + Self.titleHeight + Double(i) * Self.laneHeight
            svg.text(Self.plotLeft - 8, y + Self.laneHeight / 2 + 4, l, class: "lane-label", anchor: "end")
            if i > 0 { svg.line(Self.plotLeft, y, Self.plotRight, y, class: "grid") }
        }
        let h = Double(max(labels.count, 1)) * Self.laneHeight
        svg.rect(Self.plotLeft, top + Self.titleHeight, Self.plotRight - Self.plotLeft, h, class: "frame")
    }

    private mutating func drawTruth(_ svg: inout SVGCanvas, lanes: [TruthLane], top: Double) {
        panelTitle(&svg, "Ground truth (annotations in the file)", top: top)
        laneLabels(&svg, lanes.map(\.label), top: top)
        for m in marks {
            guard let lane = lanes.firstIndex(of: m.lane) else { continue }
            let y = top + Self.titleHeight + Double(lane) * Self.laneHeight
            let x0 = time.pixel(m.startSeconds)
            let tip = "\(HTML.clock(m.startSeconds, decimals: 1))"
                + (m.endSeconds.map { "–\(HTML.clock($0, decimals: 1))" } ?? "") + " · " + m.text
            var attributes = " data-kind=\"\(m.kindName)\""
            if case let .muscle(site, side) = m.lane { attributes += " data-muscle=\"\(site.rawValue) \(side.rawValue)\"" }
            if let end = m.endSeconds, m.kind != .tightness {
                let w = max(time.pixel(end) - x0, 2)
                let isArtifact = { if case .artifact = m.kind { true } else { false } }()
                svg.rect(x0, y + 3, w, Self.laneHeight - 6, class: "truth-mark", fill: isArtifact ? "url(#hatch)" : m.colour,
                         opacity: isArtifact ? nil : (m.kind == .cramp ? 0.55 : 0.45),
                         extra: attributes + " stroke=\"\(m.colour)\"", title: tip)
                if w > Double(m.label.count) * 6.2 + 8 {
                    svg.text(x0 + 4, y + Self.laneHeight / 2 + 3.5, m.label, class: "span-label")
                }
            } else {
                svg.raw("<g class=\"truth-mark\"\(attributes)><title>\(HTML.escape(tip))</title>")
                if m.kind == .tightness {
                    svg.raw(Self.diamond(x: x0, y: y + Self.laneHeight / 2, r: 6, fill: m.colour))
                } else {
                    svg.raw("<path d=\"M\(HTML.coordinate(x0)) \(HTML.coordinate(y + 3))v\(HTML.coordinate(Self.laneHeight - 6))\" stroke=\"\(m.colour)\" stroke-width=\"2.5\"/>")
                }
                svg.raw("</g>")
            }
            drawnTruth += 1
        }
    }

    private mutating func drawAlerts(_ svg: inout SVGCanvas, lanes: [String], top: Double) {
        let source = events.source.map { " (\($0))" } ?? ""
        panelTitle(&svg, "Alerts by muscle\(source)", top: top)
        laneLabels(&svg, lanes.isEmpty ? [""] : lanes, top: top)
        if lanes.isEmpty {
            let note = events.source == nil ? "no alerts given (crampd report --alerts FILE)" : "no alerts in this session"
            svg.text(Self.plotLeft + 8, top + Self.titleHeight + 14, note, class: "empty")
            return
        }
        for (n, a) in alerts.enumerated() {
            let key = Self.laneKey(a)
            guard let lane = lanes.firstIndex(of: key) else { continue }
            let y = top + Self.titleHeight + Double(lane) * Self.laneHeight + Self.laneHeight / 2
            let x = time.pixel(a.sessionSeconds)
            var tip = "#\(n + 1) \(HTML.clock(a.sessionSeconds, decimals: 1)) (\(HTML.number(a.sessionSeconds, 1)) s) · "
            tip += "\(a.level.rawValue) · \(key) · risk \(HTML.number(a.risk, 2))\n\(a.advice.step)"
            if let e = a.advice.escalation { tip += "\n\(e)" }
            svg.raw("<g class=\"alert-marker\" data-level=\"\(a.level.rawValue)\" data-muscle=\"\(key)\"><title>\(HTML.escape(tip))</title>")
            svg.raw(Self.alertShape(a.level, x: x, y: y))
            svg.raw("</g>")
            drawnAlerts += 1
        }
    }

    static func alertShape(_ level: AlertLevel, x: Double, y: Double) -> String {
        let c = ReportStyle.colour(level)
        func p(_ v: Double) -> String { HTML.coordinate(v) }
        switch level {
        case .watch:
            return "<circle cx=\"\(p(x))\" cy=\"\(p(y))\" r=\"5\" fill=\"\(c)\" stroke=\"#5c4400\" stroke-width=\"0.8\"/>"
        case .warning:
            return "<path d=\"M\(p(x)) \(p(y - 6))L\(p(x + 6.5)) \(p(y + 5))L\(p(x - 6.5)) \(p(y + 5))Z\" fill=\"\(c)\" stroke=\"#7a2e00\" stroke-width=\"0.8\"/>"
        case .cramp:
            return "<path d=\"M\(p(x - 5.5)) \(p(y - 5.5))h11v11h-11Z\" fill=\"\(c)\" stroke=\"#5c0000\" stroke-width=\"0.8\"/>"
        case .clear:
            return "<circle cx=\"\(p(x))\" cy=\"\(p(y))\" r=\"4.5\" fill=\"#fff\" stroke=\"\(c)\" stroke-width=\"2\"/>"
        }
    }

    static func diamond(x: Double, y: Double, r: Double, fill: String) -> String {
        func p(_ v: Double) -> String { HTML.coordinate(v) }
        return "<path d=\"M\(p(x)) \(p(y - r))L\(p(x + r)) \(p(y))L\(p(x)) \(p(y + r))L\(p(x - r)) \(p(y))Z\" fill=\"\(fill)\" stroke=\"#212529\" stroke-width=\"0.6\"/>"
    }

    private mutating func drawLine(_ svg: inout SVGCanvas, _ panel: LinePanel, top: Double) {
        panelTitle(&svg, panel.title, top: top)
        let plotTop = top + Self.titleHeight, plotBottom = plotTop + Self.lineHeight
        svg.rect(Self.plotLeft, plotTop, Self.plotRight - Self.plotLeft, Self.lineHeight, class: "frame")
        let values = panel.series.flatMap { $0.series.values.compactMap { $0 } }
        guard !values.isEmpty else {
            svg.text(Self.plotLeft + 8, plotTop + Self.lineHeight / 2, panel.emptyNote, class: "empty",
                     extra: " data-empty=\"\(panel.id)\"")
            return
        }
        var lo = values.min()!, hi = values.max()!
        if panel.zeroBased { lo = min(lo, 0) }
        if let m = panel.minimumUpper { hi = max(hi, m) }
        if let r = panel.reference { lo = min(lo, r.value); hi = max(hi, r.value) }
        let scale = LinearScale(lower: lo, upper: hi, pixelLower: plotBottom - 4, pixelUpper: plotTop + 6)
        for v in scale.ticks {
            let y = scale.pixel(v)
            if v != scale.lower { svg.line(Self.plotLeft, y, Self.plotRight, y, class: "grid") }
            svg.line(Self.plotLeft - 4, y, Self.plotLeft, y, class: "frame")
            svg.text(Self.plotLeft - 7, y + 4, HTML.number(v, scale.decimals), class: "tick", anchor: "end")
        }
        if let r = panel.reference {
            let y = scale.pixel(r.value)
            svg.line(Self.plotLeft, y, Self.plotRight, y, class: "reference")
            svg.text(Self.plotRight - 4, y - 4, r.label, class: "tick", anchor: "end")
        }
        var legendRow = 0
        for s in panel.series {
            let points: [(x: Double, y: Double)?] = s.series.values.enumerated().map { i, v in
                v.map { (time.pixel(s.series.centreSeconds(i)), scale.pixel($0)) }
            }
            let d = polylinePath(points)
            let ly = plotTop + 12 + Double(legendRow) * 16
            legendRow += 1
            var legendLine = "<line x1=\"\(HTML.coordinate(Self.plotRight + 12))\" y1=\"\(HTML.coordinate(ly - 4))\" "
            legendLine += "x2=\"\(HTML.coordinate(Self.plotRight + 36))\" y2=\"\(HTML.coordinate(ly - 4))\" stroke=\"\(s.style.colour)\" stroke-width=\"2\""
            if let dash = s.style.dash { legendLine += " stroke-dasharray=\"\(dash)\"" }
            svg.raw(legendLine + "/>")
            svg.text(Self.plotRight + 42, ly, d.isEmpty ? s.label + " (none)" : s.label, class: "tick")
            guard !d.isEmpty else { continue }
            var path = "<path class=\"series\" data-series=\"\(s.key)\" data-label=\"\(HTML.escape(s.label))\" "
            path += "stroke=\"\(s.style.colour)\""
            if let dash = s.style.dash { path += " stroke-dasharray=\"\(dash)\"" }
            path += " d=\"\(d)\"><title>\(HTML.escape(panel.title + ": " + s.label))</title></path>"
            svg.raw(path)
            drawnSeries += 1
        }
    }

    private mutating func drawQuality(_ svg: inout SVGCanvas, top: Double) {
        panelTitle(&svg, "Signal quality (windows flagged by the pipeline; detector SENSOR events as thin bars)", top: top)
        laneLabels(&svg, report.muscles.map(Self.shortLabel), top: top)
        for (lane, m) in report.muscles.enumerated() {
            let y = top + Self.titleHeight + Double(lane) * Self.laneHeight
            for f in m.faults {
                let x0 = time.pixel(f.span.startSeconds)
                let w = max(time.pixel(f.span.endSeconds) - x0, 3)
                let tip = "\(m.label): \(f.fault.rawValue), \(HTML.clock(f.span.startSeconds, decimals: 1))–\(HTML.clock(f.span.endSeconds, decimals: 1))"
                svg.rect(x0, y + 3, w, Self.laneHeight - 9, class: "fault-span", fill: ReportStyle.colour(f.fault), extra: " data-fault=\"\(f.fault.rawValue)\" data-channel=\"\(HTML.escape(m.label))\"",
                         title: tip)
                drawnFaults += 1
            }
        }
        for s in sensorSpans {
            let y = top + Self.titleHeight + Double(s.lane) * Self.laneHeight
            let x0 = time.pixel(s.span.startSeconds)
            let w = max(time.pixel(s.span.endSeconds) - x0, 1.5)
            let tip = "SENSOR \(report.muscles[s.lane].label): \(s.fault.rawValue) from \(HTML.clock(s.span.startSeconds, decimals: 1)) to \(HTML.clock(s.span.endSeconds, decimals: 1)): \(s.detail)"
            svg.rect(x0, y + Self.laneHeight - 5, w, 3, class: "sensor-span", fill: ReportStyle.colour(s.fault),
                     extra: " data-fault=\"\(s.fault.rawValue)\"", title: tip)
        }
        if report.muscles.allSatisfy({ $0.faults.isEmpty }) && sensorSpans.isEmpty {
            svg.text(Self.plotRight - 8, top + 14, "no faults", class: "empty", anchor: "end")
        }
    }

    // MARK: Tables

    private func alertTable() -> String {
        guard events.source != nil || !alerts.isEmpty else { return "" }
        var h = "<h2 id=\"alerts\">Alerts and advice</h2>\n"
        guard !alerts.isEmpty else { return h + "<p class=\"muted\">No alerts.</p>\n" }
        h += "<table class=\"alerts\"><thead><tr><th>#</th><th>time</th><th>level</th><th>muscle</th><th>risk</th><th>evidence</th><th>advice</th></tr></thead><tbody>\n"
        for (n, a) in alerts.enumerated() {
            h += "<tr data-level=\"\(a.level.rawValue)\"><td class=\"num\">\(n + 1)</td>"
            h += "<td class=\"num\">\(HTML.clock(a.sessionSeconds, decimals: 1))<br><span class=\"muted\">\(HTML.number(a.sessionSeconds, 3)) s</span></td>"
            h += "<td><span class=\"badge \(a.level.rawValue)\">\(a.level.rawValue)</span></td>"
            h += "<td>\(Self.laneKey(a))</td><td class=\"num\">\(HTML.number(a.risk, 2))</td><td>"
            if a.evidence.isEmpty { h += "<span class=\"muted\">—</span>" }
            for e in a.evidence {
                h += "<div>\(HTML.escape(e.feature)) \(Self.figure(e.value)) \(HTML.escape(e.unit))"
                if let b = e.baseline { h += " <span class=\"muted\">(baseline \(Self.figure(b)), threshold \(Self.figure(e.threshold)))</span>" } else {
                    h += " <span class=\"muted\">(threshold \(Self.figure(e.threshold)))</span>"
                }
                h += "</div>"
            }
            h += "</td><td><div>\(HTML.escape(a.advice.step))</div><div class=\"why\">\(HTML.escape(a.advice.why))</div>"
            if let e = a.advice.escalation { h += "<div class=\"escalation\">\(HTML.escape(e))</div>" }
            h += "</td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    /// A feature value with three significant decimals at most (`4.25`, `812.346`).
    static func figure(_ v: Double) -> String {
        var s = HTML.number(v, 3)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    private func sensorTable() -> String {
        guard !events.sensorEvents.isEmpty else { return "" }
        var h = "<h2 id=\"sensor-events\">Sensor events</h2>\n<table class=\"sensor\"><thead><tr><th>time</th><th>channel</th><th>fault</th><th>state</th><th>detail</th><th>advice</th></tr></thead><tbody>\n"
        let sorted = events.sensorEvents.enumerated().sorted {
            ($0.element.sessionSeconds, $0.offset) < ($1.element.sessionSeconds, $1.offset)
        }.map(\.element)
        for e in sorted {
            h += "<tr><td class=\"num\">\(HTML.clock(e.sessionSeconds, decimals: 1))</td><td>\(HTML.escape(e.channel.label))</td>"
            h += "<td>\(e.fault.rawValue)</td><td>\(e.active ? "on" : "off")</td><td>\(HTML.escape(e.detail))</td><td>\(HTML.escape(e.advice))</td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    private func annotationTable() -> String {
        guard !report.annotations.isEmpty else { return "" }
        var h = "<h2 id=\"annotations\">Annotations (ground truth)</h2>\n<table class=\"annotations\"><thead><tr><th>onset</th><th>duration</th><th>text</th></tr></thead><tbody>\n"
        for a in report.annotations {
            h += "<tr><td class=\"num\">\(HTML.clock(a.onsetSeconds, decimals: 1))<br><span class=\"muted\">\(HTML.number(a.onsetSeconds, 3)) s</span></td>"
            h += "<td class=\"num\">\(a.durationSeconds.map { HTML.number($0, 1) + " s" } ?? "—")</td><td>\(HTML.escape(a.text))</td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    private func channelTable() -> String {
        guard !report.muscles.isEmpty else { return "" }
        var h = "<h2 id=\"emg-channels\">EMG channels</h2>\n<table class=\"channels\"><thead><tr><th>channel</th><th>rate</th><th>spectra</th><th>windows</th><th>flagged</th><th>strides</th><th>runner's baseline from</th></tr></thead><tbody>\n"
        for m in report.muscles {
            let rate = report.session.channels.first(where: { $0.label == m.label })?.sampleRateHz
            let flagged = m.windows > 0 ? Double(m.flaggedWindows) / Double(m.windows) * 100 : 0
            h += "<tr><td>\(HTML.escape(m.label))</td><td class=\"num\">\(rate.map(Self.rate) ?? "—")</td>"
            h += "<td>\(m.hasSpectra ? "yes" : "no (rate too low)")</td><td class=\"num\">\(m.windows)</td>"
            h += "<td class=\"num\">\(m.flaggedWindows) (\(HTML.number(flagged, 1)) %)</td><td class=\"num\">\(m.strides)</td>"
            h += "<td class=\"num\">\(m.baselineEstablishedSeconds.map { HTML.clock($0, decimals: 1) } ?? "not established")</td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    private func about() -> String {
        """
        <h2 id="about">How to read this report</h2>
        <dl class="about">
        <dt>Time axis</dt><dd>Seconds from the session's first sample, shared by every plot. Cramp spans (red) and prodrome spans (orange) from the ground truth are shaded behind all plots; warning (dashed) and cramp (solid) alerts are vertical lines.</dd>
        <dt>Heart rate, cadence, speed</dt><dd>Median of the samples in each bin. Cadence counts both feet (steps per minute).</dd>
        <dt>EMG RMS and median frequency</dt><dd>Median, per bin, of the 250 ms feature windows of the conditioned signal (20–450 Hz band-pass, mains notches). Fatigue lowers the median frequency and raises RMS at constant load.</dd>
        <dt>Twitch rate</dt><dd>Bursts inside a stride that are not its gait burst (twitches, also pre-activation or crosstalk), per minute of striding; drawn where a bin holds at least 3 s of strides. It rises in the prodrome before a cramp.</dd>
        <dt>Inter-stride baseline</dt><dd>The EMG between one stride's burst and the next, divided by the runner's own value from the first minutes of the run (1 = as at the start); drawn once that baseline is established. It rises before a cramp.</dd>
        <dt>Signal quality</dt><dd>Bins in which the pipeline flagged a window: dead electrode, saturation, mains hum, motion artifact, dropout. Thin bars below are the detector's SENSOR events; it abstains for that muscle meanwhile.</dd>
        <dt>Markers</dt><dd>Hover a marker or a span for its time and text; the tables above list every alert with its evidence and advice.</dd>
        </dl>

        """
    }

    /// Checks the drawing once the page has loaded (see ``ReportRenderer``).
    static let selfCheckScript = """
        (function () {
          var root = document.documentElement, svg = document.getElementById('plots'), problems = [];
          window.addEventListener('error', function (e) { root.setAttribute('data-ok', '0'); root.setAttribute('data-problems', 'script error: ' + e.message); });
          function check(selector, attribute, what) {
            var want = Number(svg.getAttribute(attribute)), got = 0;
            document.querySelectorAll(selector).forEach(function (el) {
              if (el.tagName !== 'path' || /M[^M]*[Lh]/.test(el.getAttribute('d') || '')) got++;
            });
            if (got !== want) problems.push(what + ': ' + got + ' drawn, ' + want + ' expected');
          }
          if (!svg) { problems.push('no plots'); } else {
            check('path.series', 'data-expect-series', 'series');
            check('g.alert-marker', 'data-expect-alerts', 'alert markers');
            check('.truth-mark', 'data-expect-truth', 'ground-truth marks');
            check('rect.fault-span', 'data-expect-faults', 'fault spans');
            if (!(svg.getBoundingClientRect().height > 0)) problems.push('plots have no height');
          }
          root.setAttribute('data-ok', problems.length ? '0' : '1');
          if (problems.length) {
            root.setAttribute('data-problems', problems.join('; '));
            var box = document.getElementById('self-check');
            box.textContent = 'This report did not draw completely: ' + problems.join('; ');
            box.style.display = 'block';
          }
        })();
        """
}
