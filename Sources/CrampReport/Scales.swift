// SPDX-License-Identifier: MIT

/// A linear map from data values to pixels, with round tick values.
struct LinearScale: Hashable, Sendable {
    /// The data range shown, widened to whole ticks.
    let lower: Double
    let upper: Double
    /// The pixel range: `pixelLower` is where `lower` is drawn (the bottom of a y axis).
    let pixelLower: Double
    let pixelUpper: Double
    /// The tick spacing, in data units.
    let step: Double

    /// A scale over `lower...upper` widened to round ticks: the finest 1-2-5 step that needs
    /// at most `maximumIntervals` intervals, so the axis ends close above the data.
    init(lower: Double, upper: Double, pixelLower: Double, pixelUpper: Double, maximumIntervals: Int = 5) {
        var lo = lower, hi = upper
        if !(lo.isFinite && hi.isFinite) { lo = 0; hi = 1 }
        if hi - lo < 1e-9 {
            let pad = max(abs(lo) * 0.1, 1)
            lo -= pad
            hi += pad
        }
        let n = Double(max(maximumIntervals, 1))
        var step = Self.niceStep((hi - lo) / n)
        while ((hi / step).rounded(.up) - (lo / step).rounded(.down)) > n {
            step = Self.niceStep(step * 1.5)
        }
        self.step = step
        self.lower = (lo / step).rounded(.down) * step
        self.upper = (hi / step).rounded(.up) * step
        self.pixelLower = pixelLower
        self.pixelUpper = pixelUpper
    }

    /// The pixel of `value`.
    func pixel(_ value: Double) -> Double {
        pixelLower + (value - lower) / (upper - lower) * (pixelUpper - pixelLower)
    }

    /// The tick values from `lower` to `upper`.
    var ticks: [Double] {
        let n = Int(((upper - lower) / step).rounded())
        return (0...max(n, 0)).map { lower + Double($0) * step }
    }

    /// Decimals that show every tick exactly (0 for steps of 1 and more).
    var decimals: Int {
        var d = 0
        var s = step
        while d < 6, abs(s - s.rounded()) > 1e-9 * max(1, abs(s)) {
            s *= 10
            d += 1
        }
        return d
    }

    /// 1, 2 or 5 × a power of ten, the smallest at or above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        while power > raw { power /= 10 }
        for m in [1.0, 2, 5, 10] where m * power >= raw * (1 - 1e-12) { return m * power }
        return 10 * power
    }
}

/// The session-time axis: seconds to pixels, with ticks at round clock times.
struct TimeScale: Hashable, Sendable {
    let durationSeconds: Double
    let pixelLeft: Double
    let pixelRight: Double
    let step: Double

    /// Tick spacings, seconds.
    static let steps: [Double] = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800]

    init(durationSeconds: Double, pixelLeft: Double, pixelRight: Double, maximumTicks: Int = 14) {
        let d = durationSeconds > 0 && durationSeconds.isFinite ? durationSeconds : 1
        self.durationSeconds = d
        self.pixelLeft = pixelLeft
        self.pixelRight = pixelRight
        step = Self.steps.first(where: { d / $0 <= Double(maximumTicks) }) ?? Self.steps.last!
    }

    /// The pixel of session time `t`, clamped to the axis.
    func pixel(_ t: Double) -> Double {
        let c = min(max(t, 0), durationSeconds)
        return pixelLeft + c / durationSeconds * (pixelRight - pixelLeft)
    }

    /// Tick times from 0 to the duration.
    var ticks: [Double] {
        let n = Int((durationSeconds / step + 1e-9).rounded(.down))
        return (0...n).map { Double($0) * step }
    }

    /// A tick's label: a clock reading, `m:ss` (`6:30`) under an hour, `h:mm` (`1:05`) for
    /// longer sessions, with tenths of a second for steps under one.
    func label(_ t: Double) -> String {
        if step < 1 { return HTML.clock(t, decimals: 1) }
        if hoursAndMinutes {
            let m = Int((t / 60).rounded())
            return "\(m / 60):\(m % 60 < 10 ? "0" : "")\(m % 60)"
        }
        return HTML.clock(t)
    }

    /// Whether ticks read `h:mm` (sessions from an hour, ticks on whole minutes).
    var hoursAndMinutes: Bool { durationSeconds >= 3600 && step.truncatingRemainder(dividingBy: 60) == 0 }

    /// The format of the tick labels, for the axis title.
    var labelUnit: String { hoursAndMinutes ? "h:mm" : step < 1 ? "m:ss.s" : "m:ss" }
}
