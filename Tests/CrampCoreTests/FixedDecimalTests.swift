// SPDX-License-Identifier: MIT
import CrampCore
import Testing

@Suite struct FixedDecimalTests {
    /// The straightforward string-building formulation, as a reference for the byte writer.
    private func reference(_ value: Double, _ decimals: Int) -> String {
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        let units = UInt64(scaled), factor = UInt64(scale)
        var out = value < 0 && units != 0 ? "-" : ""
        out += String(units / factor)
        if decimals > 0 {
            let frac = String(units % factor)
            out += "." + String(repeating: "0", count: decimals - frac.count) + frac
        }
        return out
    }

    @Test func byteWriterAgreesWithTheReference() {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let magnitude = Double.random(in: -8...8, using: &g)
            let value = (Bool.random(using: &g) ? 1 : -1) * Double.random(in: 0..<1, using: &g) * pow10(magnitude)
            let decimals = Int.random(in: 0...6, using: &g)
            #expect(FixedDecimal.format(value, decimals: decimals) == reference(value, decimals), "\(value) \(decimals)")
        }
    }

    @Test func edgeCases() {
        #expect(FixedDecimal.format(0, decimals: 3) == "0.000")
        #expect(FixedDecimal.format(-0.0004, decimals: 3) == "0.000")
        #expect(FixedDecimal.format(0.0005, decimals: 3) == "0.001")
        #expect(FixedDecimal.format(123456789.5, decimals: 0) == "123456790")
        #expect(FixedDecimal.format(.infinity, decimals: 2) == nil)
        var bytes: [UInt8] = [0x41]
        #expect(FixedDecimal.append(.nan, decimals: 2, to: &bytes) == false)
        #expect(bytes == [0x41])
        #expect(FixedDecimal.appendScientific(2.5e-13, significantDigits: 3, to: &bytes))
        #expect(String(decoding: bytes, as: UTF8.self) == "A2.50e-13")
    }

    private func pow10(_ x: Double) -> Double {
        var r = 1.0
        let n = Int(x.rounded(.down))
        if n >= 0 { for _ in 0..<n { r *= 10 } } else { for _ in 0..<(-n) { r /= 10 } }
        return r * (1 + (x - x.rounded(.down)) * 9)
    }
}
