// SPDX-License-Identifier: MIT

/// SVG markup written element by element into one string.
struct SVGCanvas {
    private(set) var markup = ""

    mutating func raw(_ s: String) { markup += s }

    /// `<line>` from (x1, y1) to (x2, y2).
    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, class cls: String,
                       stroke: String? = nil, dash: String? = nil, extra: String = "") {
        markup += "<line class=\"\(cls)\" x1=\"\(c(x1))\" y1=\"\(c(y1))\" x2=\"\(c(x2))\" y2=\"\(c(y2))\""
        if let stroke { markup += " stroke=\"\(stroke)\"" }
        if let dash { markup += " stroke-dasharray=\"\(dash)\"" }
        markup += extra + "/>"
    }

    /// `<rect>`.
    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, class cls: String, fill: String? = nil,
                       opacity: Double? = nil, extra: String = "", title: String? = nil) {
        markup += "<rect class=\"\(cls)\" x=\"\(c(x))\" y=\"\(c(y))\" width=\"\(c(max(w, 0)))\" height=\"\(c(max(h, 0)))\""
        if let fill { markup += " fill=\"\(fill)\"" }
        if let opacity { markup += " fill-opacity=\"\(HTML.number(opacity, 2))\"" }
        markup += extra
        if let title {
            markup += "><title>\(HTML.escape(title))</title></rect>"
        } else {
            markup += "/>"
        }
    }

    /// `<text>` at (x, y); `anchor` is `start`, `middle` or `end`.
    mutating func text(_ x: Double, _ y: Double, _ s: String, class cls: String, anchor: String = "start",
                       extra: String = "") {
        markup += "<text class=\"\(cls)\" x=\"\(c(x))\" y=\"\(c(y))\""
        if anchor != "start" { markup += " text-anchor=\"\(anchor)\"" }
        markup += extra + ">\(HTML.escape(s))</text>"
    }

    private func c(_ v: Double) -> String { HTML.coordinate(v) }
}

/// The `d` attribute of a polyline through the non-`nil` points, broken where a point is
/// `nil`; an isolated point becomes a zero-length segment (drawn as a dot by round caps).
func polylinePath(_ points: [(x: Double, y: Double)?]) -> String {
    var d = ""
    var run: [(x: Double, y: Double)] = []
    func close() {
        guard let first = run.first else { return }
        if !d.isEmpty { d += " " }
        d += "M\(HTML.coordinate(first.x)) \(HTML.coordinate(first.y))"
        if run.count == 1 {
            d += "h0"
        } else {
            for p in run.dropFirst() { d += "L\(HTML.coordinate(p.x)) \(HTML.coordinate(p.y))" }
        }
        run.removeAll(keepingCapacity: true)
    }
    for p in points {
        if let p { run.append(p) } else { close() }
    }
    close()
    return d
}
