// SPDX-License-Identifier: MIT

/// Fixed-width ASCII header fields: the encoding rules shared by the EDF writer and reader.
///
/// EDF header fields are left-aligned printable US-ASCII (bytes 32…126), padded with spaces
/// (EDF spec, "header record"). Numbers are written in decimal, at most as wide as the field.
enum EDFField {
    /// True if every byte of `text` is printable US-ASCII.
    static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 32 && $0 <= 126 }
    }

    /// Appends `text` left-aligned and space-padded to `width` bytes. The caller has checked
    /// that `text` is printable ASCII and fits.
    static func append(_ text: String, width: Int, to bytes: inout [UInt8]) {
        var n = 0
        for b in text.utf8 where n < width {
            bytes.append(b)
            n += 1
        }
        while n < width {
            bytes.append(0x20)
            n += 1
        }
    }

    /// The shortest decimal text of at most `width` characters that rounds `value` to the most
    /// digits that fit, without trailing zeros (`-5000`, `0.25`, `3276.75`); `nil` if even the
    /// integer part does not fit or `value` is not finite.
    ///
    /// Deterministic: integer arithmetic on the scaled value, no locale, no `printf`.
    static func format(_ value: Double, width: Int) -> String? {
        guard value.isFinite, abs(value) < 1e15 else { return nil }
        var decimals = min(width, 9)
        while decimals >= 0 {
            let text = fixed(value, decimals: decimals)
            if text.utf8.count <= width { return text }
            decimals -= 1
        }
        return nil
    }

    /// `value` with at most `decimals` digits after the point, trailing zeros removed, and no
    /// `-` on a value that rounds to zero.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else { return String(value) }
        let units = UInt64(scaled)
        let factor = UInt64(scale)
        var out = value < 0 && units != 0 ? "-" : ""
        out += String(units / factor)
        var fraction = units % factor
        if fraction != 0 {
            var digits = decimals
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            let text = String(fraction)
            out += "." + String(repeating: "0", count: digits - text.utf8.count) + text
        }
        return out
    }

    /// The field's text with trailing spaces removed (bytes are ASCII-checked by the caller).
    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[end - 1] == 0x20 || bytes[end - 1] == 0 { end -= 1 }
        return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
    }

    /// The field's bytes quoted for an error message, with control and non-ASCII bytes escaped.
    static func quoted(_ bytes: ArraySlice<UInt8>) -> String {
        var s = "\""
        for b in bytes {
            if b >= 32 && b <= 126 && b != 0x22 && b != 0x5C {
                s.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let hex = String(b, radix: 16, uppercase: true)
                s += "\\x" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return s + "\""
    }

    /// A field parsed as a decimal integer (leading/trailing spaces allowed), or `nil`.
    static func integer(_ bytes: ArraySlice<UInt8>) -> Int? {
        let t = trimmed(bytes)
        guard !t.isEmpty, t.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D }) else { return nil }
        return Int(String(decoding: t, as: UTF8.self))
    }

    /// A field parsed as a finite decimal number (`-5000`, `0.25`, `1E3`), or `nil`.
    static func number(_ bytes: ArraySlice<UInt8>) -> Double? {
        let t = trimmed(bytes)
        guard !t.isEmpty, t.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 == 0x45 || $0 == 0x65 }),
              let v = Double(String(decoding: t, as: UTF8.self)), v.isFinite else { return nil }
        return v
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, bytes[start] == 0x20 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0 { end -= 1 }
        return bytes[start..<end]
    }
}
