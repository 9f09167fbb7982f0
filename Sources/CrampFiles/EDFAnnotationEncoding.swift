// SPDX-License-Identifier: MIT
import CrampCore

/// Time-stamped annotation lists (TALs), the EDF+ encoding of annotations (EDF+ spec 2.2.2).
///
/// A TAL is `+onset[\x15duration]\x14text\x14…\x14\0`: a signed onset in seconds from the file
/// start, an optional unsigned duration, then texts each closed by `\x14`, and a closing `\0`.
/// The first TAL of each data record is the time-keeping TAL `+onset\x14\x14\0` that gives the
/// record's own onset.
enum EDFAnnotationEncoding {
    static let onsetEnd: UInt8 = 0x14
    static let durationMark: UInt8 = 0x15
    static let talEnd: UInt8 = 0

    /// Decimal digits written after the point at most: nanoseconds.
    static let maximumDecimals = 9

    /// An onset text: sign, then the value with as few decimals as represent it to the
    /// nanosecond (`+0`, `+12.5`, `-0.001`).
    static func onsetText(_ seconds: Double) -> String {
        let body = EDFField.fixed(abs(seconds), decimals: maximumDecimals)
        return (seconds < 0 && body != "0" ? "-" : "+") + body
    }

    /// A duration text (no sign).
    static func durationText(_ seconds: Double) -> String {
        EDFField.fixed(seconds, decimals: maximumDecimals)
    }

    /// The time-keeping TAL of a record with onset `seconds`.
    static func timeKeepingTAL(onsetSeconds seconds: Double) -> [UInt8] {
        Array(onsetText(seconds).utf8) + [onsetEnd, onsetEnd, talEnd]
    }

    /// The TAL of one annotation.
    static func tal(_ annotation: Annotation) -> [UInt8] {
        var bytes = Array(onsetText(annotation.onsetSeconds).utf8)
        if let d = annotation.durationSeconds {
            bytes.append(durationMark)
            bytes += durationText(d).utf8
        }
        bytes.append(onsetEnd)
        bytes += annotation.text.utf8
        bytes += [onsetEnd, talEnd]
        return bytes
    }

    /// Why `annotation` cannot be written as a TAL, or `nil` if it can.
    static func problem(with annotation: Annotation) -> (expected: String, found: String)? {
        guard annotation.onsetSeconds.isFinite, abs(annotation.onsetSeconds) < 1e9 else {
            return ("a finite onset below 10⁹ s", "\(annotation.onsetSeconds)")
        }
        if let d = annotation.durationSeconds, !(d.isFinite && d >= 0 && d < 1e9) {
            return ("a duration ≥ 0 and finite", "\(d)")
        }
        if annotation.text.utf8.contains(where: { $0 == onsetEnd || $0 == durationMark || $0 == talEnd }) {
            return ("text without the bytes 0x00, 0x14, 0x15", "\"\(annotation.text)\"")
        }
        return nil
    }
}
