// SPDX-License-Identifier: MIT
import RealModule

/// The few complex-number operations the pole–zero filter designs need, in `Double`.
///
/// Design-time only (never on a sample path). Operations follow NumPy's `complex128` so that
/// designs agree with SciPy to the last few bits: Smith's division, and a square root on the
/// principal branch whose imaginary part takes the sign of the argument's (C99 `csqrt`).
struct DesignComplex: Hashable {
    var re: Double
    var im: Double

    init(_ re: Double, _ im: Double = 0) {
        self.re = re
        self.im = im
    }

    var conjugate: DesignComplex { DesignComplex(re, -im) }
    var magnitude: Double { Double.hypot(re, im) }
    var isReal: Bool { im == 0 }

    static func + (l: DesignComplex, r: DesignComplex) -> DesignComplex { DesignComplex(l.re + r.re, l.im + r.im) }
    static func - (l: DesignComplex, r: DesignComplex) -> DesignComplex { DesignComplex(l.re - r.re, l.im - r.im) }
    static func * (l: DesignComplex, r: DesignComplex) -> DesignComplex {
        DesignComplex(l.re * r.re - l.im * r.im, l.re * r.im + l.im * r.re)
    }
    static func * (l: DesignComplex, r: Double) -> DesignComplex { DesignComplex(l.re * r, l.im * r) }

    /// Smith's algorithm, as NumPy uses for `complex128` division.
    static func / (l: DesignComplex, r: DesignComplex) -> DesignComplex {
        if abs(r.re) >= abs(r.im) {
            if r.re == 0 && r.im == 0 { return DesignComplex(l.re / abs(r.re), l.im / abs(r.im)) }
            let rat = r.im / r.re
            let scl = 1.0 / (r.re + r.im * rat)
            return DesignComplex((l.re + l.im * rat) * scl, (l.im - l.re * rat) * scl)
        } else {
            let rat = r.re / r.im
            let scl = 1.0 / (r.im + r.re * rat)
            return DesignComplex((l.re * rat + l.im) * scl, (l.im * rat - l.re) * scl)
        }
    }

    /// The principal square root (C99 `csqrt` branch cuts).
    var squareRoot: DesignComplex {
        if re == 0 && im == 0 { return DesignComplex(0, im) }
        let t = ((abs(re) + magnitude) / 2).squareRoot()
        if re >= 0 {
            return DesignComplex(t, im / (2 * t))
        } else {
            return DesignComplex(abs(im) / (2 * t), im.sign == .minus ? -t : t)
        }
    }

    /// `exp(i·θ)`.
    static func unit(angle theta: Double) -> DesignComplex {
        DesignComplex(Double.cos(theta), Double.sin(theta))
    }
}
