// SPDX-License-Identifier: MIT
import CrampCore

/// Text for HTML and SVG: escaping and locale-free numbers.
enum HTML {
    /// `text` safe inside an element or a quoted attribute: `&`, `<`, `>`, `"` and `'` become
    /// character references; control characters other than tab and newline are dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case let c where c.value < 0x20 || c.value == 0x7F: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `value` with `decimals` digits after the point (no locale), `–` for NaN and infinities.
    static func number(_ value: Double, _ decimals: Int) -> String {
        FixedDecimal.format(value, decimals: decimals) ?? "–"
    }

    /// A coordinate in SVG user units: one decimal, `-0.0` written as `0.0`.
    static func coordinate(_ value: Double) -> String {
        let s = number(value, 1)
        return s == "-0.0" ? "0.0" : s
    }

    /// Session time as a clock reading: `m:ss` (`6:36`), `h:mm:ss` from an hour, with
    /// `decimals` digits of the second (`6:36.6`).
    static func clock(_ seconds: Double, decimals: Int = 0) -> String {
        guard seconds.isFinite else { return "–" }
        let negative = seconds < 0
        let scale = [1.0, 10, 100, 1000][min(max(decimals, 0), 3)]
        let total = (abs(seconds) * scale).rounded() / scale
        let whole = Int(total.rounded(.down))
        let h = whole / 3600, m = whole / 60 % 60
        let s = total - Double(whole - whole % 60)
        var secondText = number(s, decimals)
        if s < 10 { secondText = "0" + secondText }
        let body = h > 0 ? "\(h):\(m < 10 ? "0" : "")\(m):\(secondText)" : "\(m):\(secondText)"
        return negative ? "−" + body : body
    }

    /// A duration for people: `8 min 0 s`, `1 h 02 min`, `47.5 s`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        if seconds < 60 { return number(seconds, seconds < 10 ? 2 : 1) + " s" }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        let m = whole / 60 % 60
        return "\(whole / 3600) h \(m < 10 ? "0" : "")\(m) min"
    }
}
