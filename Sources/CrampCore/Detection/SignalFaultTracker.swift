// SPDX-License-Identifier: MIT

/// Turns one channel's per-window quality flags into faults that persist (`SENSOR` on, later
/// off) and into the detector's abstention.
///
/// A fault is on when at least `onWindows` of the newest `windowCount` windows carry its flag
/// (a single flagged window raises nothing), and off after `offSeconds` without it. The muscle
/// abstains while any fault is on and for `abstainAfterFlagSeconds` after any flagged window,
/// whether or not a fault was raised: a 0.2 s dropout or one clipped window leaves the filters
/// ringing for a moment.
struct SignalFaultTracker: Sendable {
    /// One fault turning on or off.
    struct Transition: Sendable {
        var fault: SignalFault
        var active: Bool
        var detail: String
    }

    private static let faults: [(SignalFault, SignalQualityFlags)] = [
        (.dead, .deadElectrode), (.saturation, .saturation), (.mains, .mainsDominance),
        (.motion, .motionArtifact), (.dropout, .dropout),
    ]

    private let windowCount: Int
    private let onWindows: Int
    private let offSeconds: Double
    private let abstainAfterFlagSeconds: Double
    private var ring: [UInt8]
    private var next = 0
    private var held = 0
    private var counts = [Int](repeating: 0, count: 5)
    private var lastSeen = [Double](repeating: -.infinity, count: 5)
    private(set) var active = [Bool](repeating: false, count: 5)
    /// The newest time a window carried any flag.
    private(set) var lastFlagSeconds = -Double.infinity

    init(windowCount: Int, onWindows: Int, offSeconds: Double, abstainAfterFlagSeconds: Double) {
        self.windowCount = max(1, windowCount)
        self.onWindows = max(1, min(onWindows, self.windowCount))
        self.offSeconds = offSeconds
        self.abstainAfterFlagSeconds = abstainAfterFlagSeconds
        ring = [UInt8](repeating: 0, count: self.windowCount)
    }

    /// Whether any fault is on.
    var anyActive: Bool {
        // An index loop: `contains` iterates generically, which allocates in debug builds.
        for i in 0..<active.count where active[i] { return true }
        return false
    }

    /// Whether the muscle abstains at `now`: a fault is on, or a window was flagged within
    /// `abstainAfterFlagSeconds` (plus `span`, the stretch a decision looks back over).
    func abstains(at now: Double, span: Double = 0) -> Bool {
        anyActive || now - lastFlagSeconds < abstainAfterFlagSeconds + span
    }

    /// Takes one window's verdict at session time `now`; calls `transition` for each fault
    /// that turns on or off.
    mutating func process(
        _ quality: SignalQuality, rms: Float, at now: Double, _ transition: (Transition) -> Void
    ) {
        let flags = quality.flags.rawValue
        if held == windowCount {
            let evicted = ring[next]
            for i in 0..<5 where evicted & Self.faults[i].1.rawValue != 0 { counts[i] -= 1 }
        } else {
            held += 1
        }
        ring[next] = flags
        next = next + 1 == windowCount ? 0 : next + 1
        if flags != 0 { lastFlagSeconds = now }
        for i in 0..<5 {
            let (fault, flag) = Self.faults[i]
            let set = flags & flag.rawValue != 0
            if set {
                counts[i] += 1
                lastSeen[i] = now
            }
            if !active[i], counts[i] >= onWindows {
                active[i] = true
                transition(Transition(fault: fault, active: true, detail: Self.detail(fault, quality, rms: rms)))
            } else if active[i], now - lastSeen[i] >= offSeconds {
                active[i] = false
                transition(Transition(
                    fault: fault, active: false,
                    detail: "no \(fault.rawValue) window for \(FixedDecimal.format(now - lastSeen[i], decimals: 1) ?? "?") s"))
            }
        }
    }

    /// What was measured, for the log and the `SENSOR` line.
    private static func detail(_ fault: SignalFault, _ q: SignalQuality, rms: Float) -> String {
        func f(_ x: Double, _ d: Int) -> String { FixedDecimal.format(x, decimals: d) ?? "?" }
        switch fault {
        case .dead:
            return "window RMS \(f(Double(rms), 2)) uV after band-pass, \(f(Double(q.quantisationLevels), 1)) quantisation levels"
        case .saturation:
            return "\(f(Double(q.railFraction ?? 0) * 100, 1)) % of a window at the converter's limits"
        case .mains:
            return "mains hum carries \(f(Double(q.mainsFraction) * 100, 0)) % of the band's power"
        case .motion:
            return "1-20 Hz movement content \(f(Double(q.lowFrequencyRMS), 1)) uV RMS"
        case .dropout:
            return "constant for \(f(q.longestConstantRun.inSeconds, 3)) s"
        }
    }
}
