// SPDX-License-Identifier: MIT
import CrampCore

/// One JSON object built field by field, in the order the fields are added.
///
/// crampd's machine output (alerts, `info --json`) is compared byte for byte in tests and by
/// consumers, so key order and number formatting are fixed by construction: keys appear in
/// the order they are added, and every real number is written with an explicit number of
/// decimals. No Foundation encoder is involved (its key order and float printing are not
/// part of its contract).
public struct JSONLine: Sendable {
    private var text: String
    private var isEmpty = true

    /// Starts an object whose first key is `"class"` (the gpsd convention).
    public init(class className: String) {
        text = "{"
        add("class", className)
    }

    /// Starts an object with no fields.
    public init() { text = "{" }

    private mutating func key(_ name: String) {
        if !isEmpty { text += "," }
        isEmpty = false
        Self.appendQuoted(name, to: &text)
        text += ":"
    }

    /// Adds a string field.
    public mutating func add(_ name: String, _ value: String) {
        key(name)
        Self.appendQuoted(value, to: &text)
    }

    /// Adds an integer field.
    public mutating func add(_ name: String, _ value: Int) {
        key(name)
        text += String(value)
    }

    /// Adds a Boolean field.
    public mutating func add(_ name: String, _ value: Bool) {
        key(name)
        text += value ? "true" : "false"
    }

    /// Adds a real number with exactly `decimals` digits after the point; NaN and infinities,
    /// which JSON cannot carry, become `null`.
    public mutating func add(_ name: String, _ value: Double, decimals: Int) {
        key(name)
        text += Self.format(value, decimals: decimals)
    }

    /// Adds a real number in scientific notation with `significantDigits` significant digits
    /// (`1.2346e-13`); NaN and infinities become `null`.
    public mutating func add(_ name: String, _ value: Double, significantDigits: Int) {
        key(name)
        text += FixedDecimal.scientific(value, significantDigits: significantDigits) ?? "null"
    }

    /// Adds `null`.
    public mutating func addNull(_ name: String) {
        key(name)
        text += "null"
    }

    /// Adds a nested object.
    public mutating func add(_ name: String, _ object: JSONLine) {
        key(name)
        text += object.rendered
    }

    /// Adds an array of nested objects.
    public mutating func add(_ name: String, _ objects: [JSONLine]) {
        key(name)
        text += "[" + objects.map(\.rendered).joined(separator: ",") + "]"
    }

    /// Adds an array of real numbers, each with exactly `decimals` digits after the point (NaN
    /// and infinities as `null`).
    public mutating func add(_ name: String, _ numbers: [Double], decimals: Int) {
        key(name)
        text += "[" + numbers.map { Self.format($0, decimals: decimals) }.joined(separator: ",") + "]"
    }

    /// Adds an array of strings.
    public mutating func add(_ name: String, _ strings: [String]) {
        key(name)
        text += "["
        for (i, s) in strings.enumerated() {
            if i > 0 { text += "," }
            Self.appendQuoted(s, to: &text)
        }
        text += "]"
    }

    /// The object as one line of JSON, without a trailing newline.
    public var rendered: String { text + "}" }

    // MARK: - Formatting

    /// Formats `value` with exactly `decimals` digits after the point ("null" for NaN and
    /// infinities), independent of locale.
    public static func format(_ value: Double, decimals: Int) -> String {
        FixedDecimal.format(value, decimals: decimals) ?? "null"
    }

    static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
