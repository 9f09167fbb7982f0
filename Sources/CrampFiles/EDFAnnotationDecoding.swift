// SPDX-License-Identifier: MIT
import CrampCore

/// Decodes the TALs of one annotation signal in one data record (EDF+ spec 2.2.2–2.2.4).
///
/// A TAL is `±onset[\x15duration]\x14[text\x14]…\0`; unused bytes after the last TAL are `\0`.
/// The first TAL of a record's first annotation signal is the time-keeping TAL, whose first
/// text is empty: its onset is the record's onset.
enum EDFAnnotationDecoding {
    /// A malformed TAL: where (offset within the signal's bytes), what, expected, found.
    struct Problem: Error {
        var offset: Int
        var what: String
        var expected: String
        var found: String
    }

    /// Appends the annotations of `bytes` to `annotations`; returns the time-keeping onset if
    /// `timeKeeping` asks for one (it is then required).
    static func decode(
        _ bytes: UnsafeRawBufferPointer, timeKeeping: Bool, into annotations: inout [Annotation]
    ) throws(Problem) -> Double? {
        let n = bytes.count
        var p = 0
        var recordOnset: Double?
        var isFirst = true
        while p < n {
            if bytes[p] == 0 {
                p += 1
                continue
            }
            let sign = bytes[p]
            guard sign == 0x2B || sign == 0x2D else {
                throw Problem(offset: p, what: "TAL onset must start with + or -", expected: "\"+\" or \"-\"",
                              found: EDFField.quoted(ArraySlice([sign])))
            }
            let onsetStart = p
            p += 1
            while p < n, bytes[p] != EDFAnnotationEncoding.onsetEnd, bytes[p] != EDFAnnotationEncoding.durationMark, bytes[p] != 0 { p += 1 }
            guard let magnitude = number(bytes, (onsetStart + 1)..<p) else {
                throw Problem(offset: onsetStart, what: "TAL onset is not a number", expected: "±digits[.digits]",
                              found: EDFField.quoted(ArraySlice(bytes[onsetStart..<p])))
            }
            let onset = sign == 0x2D ? -magnitude : magnitude
            var duration: Double?
            if p < n, bytes[p] == EDFAnnotationEncoding.durationMark {
                let durationStart = p + 1
                p += 1
                while p < n, bytes[p] != EDFAnnotationEncoding.onsetEnd, bytes[p] != 0 { p += 1 }
                guard let d = number(bytes, durationStart..<p) else {
                    throw Problem(offset: durationStart, what: "TAL duration is not a number", expected: "digits[.digits]",
                                  found: EDFField.quoted(ArraySlice(bytes[durationStart..<p])))
                }
                duration = d
            }
            guard p < n, bytes[p] == EDFAnnotationEncoding.onsetEnd else {
                throw Problem(offset: p, what: "TAL onset is not terminated by 0x14", expected: "\"\\x14\"",
                              found: p < n ? EDFField.quoted(ArraySlice([bytes[p]])) : "the end of the annotation signal")
            }
            p += 1
            var textIndex = 0
            while true {
                guard p < n else {
                    throw Problem(offset: n, what: "TAL is not terminated by 0x00", expected: "\"\\x00\"", found: "the end of the annotation signal")
                }
                if bytes[p] == 0 { p += 1; break }
                let textStart = p
                while p < n, bytes[p] != EDFAnnotationEncoding.onsetEnd, bytes[p] != 0 { p += 1 }
                guard p < n, bytes[p] == EDFAnnotationEncoding.onsetEnd else {
                    throw Problem(offset: textStart, what: "TAL annotation text is not terminated by 0x14", expected: "text then \"\\x14\"",
                                  found: EDFField.quoted(ArraySlice(bytes[textStart..<p])) + (p < n ? " then \\x00" : " then the end of the signal"))
                }
                let raw = UnsafeRawBufferPointer(rebasing: bytes[textStart..<p])
                p += 1
                if timeKeeping && isFirst && textIndex == 0 {
                    guard raw.isEmpty else {
                        throw Problem(offset: onsetStart, what: "data record does not start with a time-keeping TAL",
                                      expected: "\"+onset\\x14\\x14\\x00\"", found: "an annotation TAL")
                    }
                    recordOnset = onset
                } else if !raw.isEmpty {
                    guard let text = String(validating: raw, as: UTF8.self) else {
                        throw Problem(offset: textStart, what: "TAL annotation text is not UTF-8", expected: "UTF-8 text",
                                      found: EDFField.quoted(ArraySlice(raw)))
                    }
                    annotations.append(Annotation(onsetSeconds: onset, durationSeconds: duration, text: text))
                }
                textIndex += 1
            }
            if timeKeeping && isFirst && recordOnset == nil {
                throw Problem(offset: onsetStart, what: "data record does not start with a time-keeping TAL",
                              expected: "\"+onset\\x14\\x14\\x00\"", found: "a TAL without texts")
            }
            isFirst = false
        }
        if timeKeeping && recordOnset == nil {
            throw Problem(offset: 0, what: "data record has no time-keeping TAL", expected: "\"+onset\\x14\\x14\\x00\"",
                          found: "an empty annotation signal")
        }
        return recordOnset
    }

    /// `digits[.digits]` as a number, or `nil`.
    private static func number(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Double? {
        var digits = 0
        var points = 0
        for i in range {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 {
                digits += 1
            } else if b == 0x2E {
                points += 1
            } else {
                return nil
            }
        }
        guard digits > 0, points <= 1 else { return nil }
        return Double(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self))
    }
}
