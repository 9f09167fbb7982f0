// SPDX-License-Identifier: MIT
import CrampCore

/// Colours and line styles of the report: one place, so the plots, legends and tables agree.
enum ReportStyle {
    /// A line's look: colour and dash pattern (`nil`: solid).
    struct Line: Hashable, Sendable {
        var colour: String
        var dash: String?
    }

    /// Colour per muscle, dash per side (left solid, right dashed), so a pair reads as a pair.
    static func line(for descriptor: ChannelDescriptor?, fallbackIndex: Int) -> Line {
        guard let site = descriptor?.site else {
            return Line(colour: fallbackPalette[fallbackIndex % fallbackPalette.count], dash: nil)
        }
        return Line(colour: colour(site), dash: descriptor?.side == .right ? "7 4" : nil)
    }

    static func colour(_ site: MuscleSite) -> String {
        switch site {
        case .gastroc: "#1f6fb4"
        case .soleus: "#2b9348"
        case .tibialis: "#8a4fc7"
        case .hamstring: "#a0522d"
        case .quad: "#d6336c"
        }
    }

    /// For EMG labels that name no crampd muscle (`EMG GL R`), in channel order.
    /// Colours no muscle uses.
    static let fallbackPalette = ["#0b7285", "#868e00", "#495057", "#e67700", "#5f3dc4", "#087f5b", "#c2255c", "#364fc7"]

    static func colour(_ signal: ContextSignal) -> String {
        switch signal {
        case .heartRate: "#c2255c"
        case .cadence: "#364fc7"
        case .speed: "#087f5b"
        }
    }

    static func colour(_ level: AlertLevel) -> String {
        switch level {
        case .watch: "#d9a400"
        case .warning: "#e8590c"
        case .cramp: "#c92a2a"
        case .clear: "#2b8a3e"
        }
    }

    static func colour(_ fault: SignalFault) -> String {
        switch fault {
        case .dead: "#495057"
        case .saturation: "#7048e8"
        case .mains: "#1c7ed6"
        case .motion: "#a0522d"
        case .dropout: "#212529"
        }
    }

    static let cramp = "#c92a2a"
    static let prodrome = "#f59f00"
    static let tightness = "#e8590c"
    static let artifact = "#868e96"
    static let note = "#495057"
    static let gap = "#adb5bd"

    /// Ground-truth activity spans (`stop`, `walk break`, `surge`, `interval`).
    static func activityColour(_ name: String) -> String {
        switch name {
        case "stop": "#495057"
        case "walk break": "#74c0fc"
        case "surge": "#7950f2"
        case "interval": "#15aabf"
        default: "#868e96"
        }
    }

    /// The page's style sheet.
    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; padding: 16px 24px 40px; font: 14px/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #212529; background: #fff; }
        h1 { font-size: 22px; margin: 0 0 6px; }
        h2 { font-size: 17px; margin: 26px 0 8px; border-bottom: 1px solid #dee2e6; padding-bottom: 3px; }
        .facts { display: flex; flex-wrap: wrap; gap: 4px 26px; margin: 6px 0 10px; padding: 0; list-style: none; }
        .facts b { font-weight: 600; color: #495057; margin-right: 4px; }
        .channels { margin: 4px 0; }
        .channels span.ch { display: inline-block; border: 1px solid #ced4da; border-radius: 3px; padding: 0 6px; margin: 2px 4px 2px 0; background: #f8f9fa; font-size: 13px; }
        .missing { margin: 4px 0; color: #862e9c; }
        .notice { border-left: 4px solid #c92a2a; background: #fff5f5; padding: 6px 10px; margin: 8px 0; font-weight: 600; }
        .legend { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 10px 0 4px; font-size: 13px; align-items: center; }
        .legend span { display: inline-flex; align-items: center; gap: 5px; }
        .legend svg { display: block; }
        svg.plots { display: block; font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
        svg text { fill: #343a40; font-size: 12px; }
        svg .title { font-size: 13px; font-weight: 700; fill: #212529; }
        svg .tick { font-size: 11px; fill: #495057; }
        svg .lane-label { font-size: 11px; fill: #343a40; }
        svg .span-label { font-size: 10px; fill: #212529; }
        svg .empty { font-size: 12px; fill: #868e96; font-style: italic; }
        svg .frame { fill: none; stroke: #adb5bd; }
        svg .grid { stroke: #e9ecef; }
        svg .series { fill: none; stroke-width: 1.6; stroke-linejoin: round; stroke-linecap: round; }
        svg .reference { stroke: #495057; stroke-dasharray: 4 3; }
        table { border-collapse: collapse; margin: 4px 0 12px; font-size: 13px; }
        th, td { border: 1px solid #dee2e6; padding: 3px 7px; text-align: left; vertical-align: top; }
        th { background: #f1f3f5; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .badge { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; font-weight: 600; font-size: 12px; }
        .badge.watch { background: #d9a400; color: #212529; }
        .badge.warning { background: #e8590c; }
        .badge.cramp { background: #c92a2a; }
        .badge.clear { background: #2b8a3e; }
        .why { color: #495057; }
        .escalation { color: #c92a2a; font-weight: 600; }
        .muted { color: #868e96; }
        .about { font-size: 13px; color: #495057; max-width: 1100px; }
        .about dt { font-weight: 600; color: #343a40; }
        .about dd { margin: 0 0 6px 16px; }
        #self-check { display: none; border: 2px solid #c92a2a; padding: 6px 10px; color: #c92a2a; font-weight: 600; }
        """
}
