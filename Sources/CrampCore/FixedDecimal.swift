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
}
