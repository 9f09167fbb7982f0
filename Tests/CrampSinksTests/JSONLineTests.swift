// SPDX-License-Identifier: MIT
import CrampCore
import CrampSinks
import Testing

@Suite struct JSONLineTests {
    @Test func keepsKeyOrderAndClassFirst() {
        var o = JSONLine(class: "INFO")
        o.add("z", 1)
        o.add("a", "x")
        o.add("ok", true)
        #expect(o.rendered == #"{"class":"INFO","z":1,"a":"x","ok":true}"#)
    }

    @Test(arguments: [
        (1.0, 3, "1.000"), (-0.0004, 3, "0.000"), (-0.0005, 3, "-0.001"), (2.5, 0, "3"),
        (1234.56789, 2, "1234.57"), (0.1, 1, "0.1"), (-12.25, 1, "-12.3"), (Double.nan, 2, "null"),
    ])
    func fixedDecimals(value: Double, decimals: Int, expected: String) {
        #expect(JSONLine.format(value, decimals: decimals) == expected)
    }

    @Test func escapesControlCharactersAndQuotes() {
        var o = JSONLine()
        o.add("t", "a\"b\\c\nd\u{1}")
        #expect(o.rendered == #"{"t":"a\"b\\c\nd\u0001"}"#)
    }

    @Test func nestsObjectsAndArrays() {
        var inner = JSONLine()
        inner.add("v", 0.5, decimals: 2)
        var o = JSONLine(class: "X")
        o.add("one", inner)
        o.add("many", [inner, inner])
        o.add("names", ["a", "b"])
        o.addNull("none")
        #expect(o.rendered == #"{"class":"X","one":{"v":0.50},"many":[{"v":0.50},{"v":0.50}],"names":["a","b"],"none":null}"#)
    }

    @Test func scientificNotationWithFixedSignificantDigits() {
        #expect(FixedDecimal.scientific(4.775214e-14, significantDigits: 6) == "4.77521e-14")
        #expect(FixedDecimal.scientific(-1234.5, significantDigits: 3) == "-1.23e+03")
        #expect(FixedDecimal.scientific(9.99996, significantDigits: 5) == "1.0000e+01")
        #expect(FixedDecimal.scientific(1, significantDigits: 1) == "1e+00")
        #expect(FixedDecimal.scientific(0, significantDigits: 4) == "0e+00")
        #expect(FixedDecimal.scientific(.nan, significantDigits: 4) == nil)
        var o = JSONLine(class: "X")
        o.add("f", 2.5e-13, significantDigits: 3)
        o.add("g", .infinity, significantDigits: 3)
        o.add("n", [50, 100.5], decimals: 1)
        #expect(o.rendered == #"{"class":"X","f":2.50e-13,"g":null,"n":[50.0,100.5]}"#)
    }
}
