// SPDX-License-Identifier: MIT

/// The context heart rate and cadence give the detector: cardiac drift (heat strain), cadence
/// sag, surges, time into the session. These modify risk and lower the warning threshold a
/// little; they never raise a warning alone (docs/DETECTION.md, "Context").
///
/// Fed `CardioGaitTracker`'s outputs; keeps its newest snapshots (at most 8) so that an EMG
/// decision at time t uses the context as it was at t, whatever order the channels were
/// interleaved in.
struct SessionContext: Sendable {
    /// The few values of a snapshot the detector uses.
    struct Point: Sendable {
        var time: Double
        var driftBeatsPerMinute: Double?
        var baselineBeatsPerMinute: Double?
        var sagPercent: Double?
        var baselineCadence: Double?
        var surging: Bool
        var gait: GaitState
    }

    private let config: CrampDetectorConfiguration
    private var points: [Point]
    private var next = 0
    private var held = 0
    /// When the newest surge ended (`-∞`: none yet).
    private(set) var lastSurgeEnd = -Double.infinity
    /// Whether any heart-rate or gait sample was seen.
    private(set) var hasData = false
    /// The newest snapshot's time.
    private(set) var newestTime = -Double.infinity

    init(configuration: CrampDetectorConfiguration) {
        config = configuration
        points = Array(repeating: Point(time: -.infinity, surging: false, gait: .unknown), count: 8)
    }

    /// Takes one output of the heart-rate and gait tracker.
    mutating func process(_ output: CardioGaitOutput) {
        switch output {
        case .snapshot(let s):
            hasData = hasData || s.heartRateBeatsPerMinute != nil || s.gait != .unknown
            points[next] = Point(
                time: s.timeSeconds, driftBeatsPerMinute: s.cardiacDrift?.driftBeatsPerMinute,
                baselineBeatsPerMinute: s.cardiacDrift?.baselineBeatsPerMinute, sagPercent: s.cadenceSag?.sagPercent,
                baselineCadence: s.cadenceSag?.baselineStepsPerMinute, surging: s.isSurging, gait: s.gait)
            next = (next + 1) % points.count
            held = min(held + 1, points.count)
            newestTime = s.timeSeconds
        case .event(let e, _):
            if case let .surgeEnded(at, _, _, _) = e { lastSurgeEnd = max(lastSurgeEnd, at) }
        }
    }

    /// The newest snapshot at or before `t` (the oldest held if all are later), if any.
    func point(at t: Double) -> Point? {
        guard held > 0 else { return nil }
        var best: Point?
        var oldest: Point?
        for k in 0..<held {
            var i = next - 1 - k
            if i < 0 { i += points.count }
            let p = points[i]
            oldest = p
            if p.time <= t { best = p; break }
        }
        return best ?? oldest
    }

    /// Whether heat strain shows at `t`: cardiac drift both large and fast since the baseline.
    func isHot(at t: Double) -> Bool {
        guard let p = point(at: t), let drift = p.driftBeatsPerMinute else { return false }
        let minutes = (p.time - config.cardioGait.baselineWindow.endSeconds) / 60
        guard minutes > 5 else { return false }
        return drift >= config.hotDriftBeatsPerMinute && drift / minutes >= config.hotDriftRatePerMinute
    }

    /// Which contexts are active at `t`.
    func factors(at t: Double) -> (hot: Bool, surge: Bool, sag: Bool, long: Bool) {
        let p = point(at: t)
        let surge = (p?.surging ?? false) || t - lastSurgeEnd <= config.surgeRecentSeconds
        let sag = (p?.sagPercent ?? 0) >= config.contextSagPercent
        return (isHot(at: t), surge, sag, t >= config.longRunSeconds)
    }

    /// The warning-threshold modifier at `t` (≥ 1), counting `fatigued` (the muscle's own EMG
    /// fatigue) as one more context.
    func modifier(at t: Double, fatigued: Bool) -> Double {
        let f = factors(at: t)
        var n = 0
        if f.hot { n += 1 }
        if f.surge { n += 1 }
        if f.sag { n += 1 }
        if f.long { n += 1 }
        if fatigued { n += 1 }
        return 1 + config.contextWeight * Double(n)
    }

    /// Evidence for the contexts active at `t` (given with warnings and watches).
    func evidence(at t: Double) -> [Evidence] {
        var out: [Evidence] = []
        let f = factors(at: t)
        let p = point(at: t)
        if f.hot, let d = p?.driftBeatsPerMinute, let b = p?.baselineBeatsPerMinute {
            out.append(Evidence(feature: "cardiac_drift", value: b + d, baseline: b,
                                threshold: b + config.hotDriftBeatsPerMinute, unit: "bpm"))
        }
        if f.sag, let s = p?.sagPercent {
            out.append(Evidence(feature: "cadence_sag", value: s, baseline: 0, threshold: config.contextSagPercent,
                                unit: "percent"))
        }
        if f.surge {
            let since = (p?.surging ?? false) ? 0 : t - lastSurgeEnd
            out.append(Evidence(feature: "since_surge", value: since, baseline: nil,
                                threshold: config.surgeRecentSeconds, unit: "s"))
        }
        if f.long {
            out.append(Evidence(feature: "session_time", value: t, baseline: nil, threshold: config.longRunSeconds,
                                unit: "s"))
        }
        return out
    }
}
