// SPDX-License-Identifier: MIT

/// Locale-free formatting of a real number with a fixed number of decimals.
///
/// Machine output (JSON lines, CSV times) is compared byte for byte, so its number format
/// must not depend on the platform's `printf` or locale.
public enum FixedDecimal {
    /// `value` with exactly `decimals` digits after the point (0…9), rounding half away from
    /// zero; `nil` for NaN and infinities. Magnitudes beyond 9·10¹⁵ units fall back to Swift's
    /// shortest representation.
    public static func format(_ value: Double, decimals: Int) -> String? {
        guard value.isFinite else { return nil }
        precondition(decimals >= 0 && decimals <= 9, "decimals must be 0...9")
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e15 else { return String(value) }
        let units = UInt64(scaled)
        let factor = UInt64(scale)
        var out = value < 0 && units != 0 ? "-" : ""
        out += String(units / factor)
        if decimals > 0 {
            let frac = String(units % factor)
            out += "." + String(repeating: "0", count: decimals - frac.count) + frac
        }
        return out
    }

    /// `value` in scientific notation with `significantDigits` digits (1…9), e.g. `1.2346e-13`,
    /// rounding half away from zero; `0e+00` for zero, `nil` for NaN and infinities. For
    /// quantities whose magnitude varies over decades (Dimitrov's FInsm5, ≈ 1e-13).
    public static func scientific(_ value: Double, significantDigits: Int) -> String? {
        guard value.isFinite else { return nil }
        precondition(significantDigits >= 1 && significantDigits <= 9, "significantDigits must be 1...9")
        guard value != 0 else { return "0e+00" }
        let magnitude = abs(value)
        var exponent = 0
        var mantissa = magnitude
        while mantissa >= 10 { mantissa /= 10; exponent += 1 }
        while mantissa < 1 { mantissa *= 10; exponent -= 1 }
        var digits = format(mantissa, decimals: significantDigits - 1)!
        if digits.hasPrefix("10") {
            // Rounding carried into a new digit: 9.9996 → 10.000 → 1.0000e+1.
            exponent += 1
            digits = format(mantissa / 10, decimals: significantDigits - 1)!
        }
        let sign = value < 0 ? "-" : ""
        let exponentDigits = String(abs(exponent))
        return sign + digits + "e" + (exponent < 0 ? "-" : "+") + (exponentDigits.count < 2 ? "0" : "") + exponentDigits
    }
}
