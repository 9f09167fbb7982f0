// SPDX-License-Identifier: MIT

/// Locale-free formatting of a real number with a fixed number of decimals.
///
/// Machine output (JSON lines, CSV) is compared byte for byte, so its number format must not
/// depend on the platform's `printf` or locale. The `append` forms write ASCII straight into a
/// byte buffer without building strings (a feature dump formats millions of numbers); the
/// `String` forms are defined through them, so both give the same text.
public enum FixedDecimal {
    /// 10^n for n in 0…9 (a switch, not a global array: no lazy-initialisation check per call).
    @inline(__always)
    private static func powerOfTen(_ n: Int) -> Double {
        switch n {
        case 0: 1
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        default: 1e9
        }
    }

    /// `value` with exactly `decimals` digits after the point (0…9), rounding half away from
    /// zero; `nil` for NaN and infinities. Magnitudes beyond 9·10¹⁵ units fall back to Swift's
    /// shortest representation.
    public static func format(_ value: Double, decimals: Int) -> String? {
        var bytes: [UInt8] = []
        guard append(value, decimals: decimals, to: &bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` with exactly `decimals` digits after the point to `out`; returns false
    /// (and appends nothing) for NaN and infinities.
    @discardableResult
    public static func append(_ value: Double, decimals: Int, to out: inout [UInt8]) -> Bool {
        guard value.isFinite else { return false }
        precondition(decimals >= 0 && decimals <= 9, "decimals must be 0...9")
        let scale = powerOfTen(decimals)
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e15 else {
            out.append(contentsOf: String(value).utf8)
            return true
        }
        let units = UInt64(scaled)
        if value < 0 && units != 0 { out.append(UInt8(ascii: "-")) }
        let factor = UInt64(scale)
        appendDigits(units / factor, minimumCount: 1, to: &out)
        if decimals > 0 {
            out.append(UInt8(ascii: "."))
            appendDigits(units % factor, minimumCount: decimals, to: &out)
        }
        return true
    }

    /// Appends the decimal digits of `n`, zero-padded on the left to `minimumCount` (≤ 20).
    @inline(__always)
    static func appendDigits(_ n: UInt64, minimumCount: Int, to out: inout [UInt8]) {
        // Digits are written right to left into a 24-byte scratch tuple, then appended at once.
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { raw in
            var i = raw.count
            var rest = n
            repeat {
                i -= 1
                raw[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            while raw.count - i < minimumCount && i > 0 {
                i -= 1
                raw[i] = UInt8(ascii: "0")
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[i...]))
        }
    }

    /// `value` in scientific notation with `significantDigits` digits (1…9), e.g. `1.2346e-13`,
    /// rounding half away from zero; `0e+00` for zero, `nil` for NaN and infinities. For
    /// quantities whose magnitude varies over decades (Dimitrov's FInsm5, ≈ 1e-13).
    public static func scientific(_ value: Double, significantDigits: Int) -> String? {
        var bytes: [UInt8] = []
        guard appendScientific(value, significantDigits: significantDigits, to: &bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` in scientific notation (see ``scientific(_:significantDigits:)``);
    /// returns false (and appends nothing) for NaN and infinities.
    @discardableResult
    public static func appendScientific(_ value: Double, significantDigits: Int, to out: inout [UInt8]) -> Bool {
        guard value.isFinite else { return false }
        precondition(significantDigits >= 1 && significantDigits <= 9, "significantDigits must be 1...9")
        guard value != 0 else {
            out.append(contentsOf: "0e+00".utf8)
            return true
        }
        let magnitude = abs(value)
        var exponent = 0
        var mantissa = magnitude
        while mantissa >= 10 { mantissa /= 10; exponent += 1 }
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        let decimals = significantDigits - 1
        // Rounding may carry into a new digit: 9.9996 → 10.000 → 1.0000e+1.
        if (mantissa * powerOfTen(decimals)).rounded(.toNearestOrAwayFromZero) >= 10 * powerOfTen(decimals) {
            exponent += 1
            mantissa /= 10
        }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        append(mantissa, decimals: decimals, to: &out)
        out.append(UInt8(ascii: "e"))
        out.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        appendDigits(UInt64(abs(exponent)), minimumCount: 2, to: &out)
        return true
    }
}
