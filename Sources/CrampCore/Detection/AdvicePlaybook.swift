// SPDX-License-Identifier: MIT

/// The relief playbook: what to tell the runner per muscle and level (DESIGN.md, "Relief steps").
///
/// The defaults follow what the sources share: ease off at the first signs (and drink and take
/// electrolytes in heat or after an hour or more); at a calf cramp stop, pull the toes to the
/// shin and tighten the shin for about 10 s (reciprocal inhibition), then stretch gently,
/// building up every 15 s (straight knee for the gastrocnemius, bent knee for the soleus) up to
/// 60 s, then massage; at a hamstring cramp tighten the thigh (quadriceps) instead; resume
/// slowly. Every text can be replaced (the daemon reads overrides from its TOML file); the
/// placeholders `{muscle}` and `{side}` are filled in (`calf`/`hamstring`…, `left`/`right`).
public struct AdvicePlaybook: Hashable, Sendable {
    /// The muscle groups the playbook distinguishes.
    public enum Group: String, CaseIterable, Hashable, Sendable {
        case calf, hamstring, shin, thigh
        /// No muscle seen: a session without EMG, alerted on heart rate and cadence alone.
        case general

        public init(_ site: MuscleSite) {
            switch site {
            case .gastroc, .soleus: self = .calf
            case .hamstring: self = .hamstring
            case .tibialis: self = .shin
            case .quad: self = .thigh
            }
        }
    }

    /// Advice per group and level.
    public var entries: [Group: [AlertLevel: Advice]]
    /// Added to `watch` and `warning` steps in heat or after `hydrationAfterSeconds`.
    public var hydration: String
    /// Running time after which `hydration` is added.
    public var hydrationAfterSeconds: Double
    /// The escalation for a repeated cramp or cramps in several muscles.
    public var stopTheRun: String
    /// Always given with a cramp: the signs that need medical help.
    public var medical: String
    /// Prevention for after the run (the session summary).
    public var prevention: [String]

    /// The advice for `level` on `site`/`side`.
    ///
    /// - Parameters:
    ///   - sessionSeconds: time into the run (for the hydration note).
    ///   - hot: whether the session shows heat strain (large cardiac drift).
    ///   - crampsSoFar: cramps already in this session, this one included; two or more, or
    ///     cramps in more than one muscle (`musclesCramped`), escalate to stopping the run.
    public func advice(level: AlertLevel, site: MuscleSite, side: BodySide, sessionSeconds: Double,
                       hot: Bool = false, crampsSoFar: Int = 0, musclesCramped: Int = 0) -> Advice {
        let group = Group(site)
        var a = entries[group]?[level] ?? Self.standard.entries[group]![level]!
        a.step = fill(a.step, site: site, side: side)
        a.why = fill(a.why, site: site, side: side)
        if level == .watch || level == .warning, hot || sessionSeconds >= hydrationAfterSeconds {
            a.step += " " + hydration
        }
        if level == .cramp {
            var parts: [String] = []
            if crampsSoFar >= 2 || musclesCramped >= 2 { parts.append(stopTheRun) }
            parts.append(medical)
            a.escalation = parts.joined(separator: " ")
        }
        return a
    }

    /// The advice for a session-level alert (no EMG: heart rate and cadence alone; only
    /// `watch` and `clear` are ever raised).
    ///
    /// - Parameters:
    ///   - sessionSeconds: time into the run (for the hydration note).
    ///   - hot: whether the session shows heat strain (large cardiac drift).
    public func generalAdvice(level: AlertLevel, sessionSeconds: Double, hot: Bool = false) -> Advice {
        var a = entries[.general]?[level] ?? Self.standard.entries[.general]![level]!
        if level == .watch || level == .warning, hot || sessionSeconds >= hydrationAfterSeconds {
            a.step += " " + hydration
        }
        return a
    }

    private func fill(_ text: String, site: MuscleSite, side: BodySide) -> String {
        let muscle: String = switch site {
        case .gastroc: "calf (gastrocnemius)"
        case .soleus: "calf (soleus)"
        case .tibialis: "shin (tibialis anterior)"
        case .hamstring: "hamstring"
        case .quad: "thigh (quadriceps)"
        }
        return text.replacing("{muscle}", with: muscle).replacing("{side}", with: side == .left ? "left" : "right")
    }

    /// The default playbook.
    public static let standard = AdvicePlaybook(
        entries: [
            .calf: [
                .watch: Advice(
                    step: "Ease the pace a little, shorten your stride and relax your {side} {muscle}.",
                    why: "Fatigue is building in your {side} {muscle} against your own start of the run: its EMG frequency is falling, or its resting activity between strides is starting to rise."),
                .warning: Advice(
                    step: "Ease off now: slow down, shorten your stride, land softly and relax your {side} {muscle}.",
                    why: "Twitches between strides and the resting activity of your {side} {muscle} are rising: the pattern that comes before a cramp."),
                .cramp: Advice(
                    step: "Stop. Pull your toes toward your shin and tighten the shin muscle for about 10 seconds. Then stretch the calf gently, building up every 15 seconds: straight knee for the gastrocnemius, bent knee for the soleus, up to 60 seconds. Then massage it.",
                    why: "Your {side} {muscle} is cramping: sustained activity not tied to your stride. Tightening the shin relaxes the calf (reciprocal inhibition); a gentle stretch then lengthens it."),
                .clear: Advice(
                    step: "Resume slowly, at an easy pace with a short stride.",
                    why: "Your {side} {muscle} has settled; it stays prone to cramp for a while."),
            ],
            .hamstring: [
                .watch: Advice(
                    step: "Ease the pace a little, shorten your stride and relax your {side} {muscle}.",
                    why: "Fatigue is building in your {side} {muscle} against your own start of the run: its EMG frequency is falling, or its resting activity between strides is starting to rise."),
                .warning: Advice(
                    step: "Ease off now: slow down, shorten your stride and relax your {side} {muscle}.",
                    why: "Twitches between strides and the resting activity of your {side} {muscle} are rising: the pattern that comes before a cramp."),
                .cramp: Advice(
                    step: "Stop. Tighten the front of your thigh (quadriceps) for about 10 seconds. Then stretch the hamstring gently, straight leg and hinging at the hip, building up every 15 seconds, up to 60 seconds. Then massage it.",
                    why: "Your {side} {muscle} is cramping: sustained activity not tied to your stride. Tightening the quadriceps relaxes the hamstring (reciprocal inhibition); a gentle stretch then lengthens it."),
                .clear: Advice(
                    step: "Resume slowly, at an easy pace with a short stride.",
                    why: "Your {side} {muscle} has settled; it stays prone to cramp for a while."),
            ],
            .shin: [
                .watch: Advice(step: "Ease the pace a little and relax your {side} {muscle}.",
                               why: "Fatigue is building in your {side} {muscle} against your own start of the run."),
                .warning: Advice(step: "Ease off now: slow down and relax your {side} {muscle}.",
                                 why: "Twitches and resting activity of your {side} {muscle} are rising: the pattern that comes before a cramp."),
                .cramp: Advice(step: "Stop. Point your toes down and tighten the calf for about 10 seconds, then stretch the shin gently (toes pointed, ankle bent) up to 60 seconds.",
                               why: "Your {side} {muscle} is cramping. Tightening the calf relaxes the shin (reciprocal inhibition)."),
                .clear: Advice(step: "Resume slowly, at an easy pace.", why: "Your {side} {muscle} has settled; it stays prone to cramp for a while."),
            ],
            .thigh: [
                .watch: Advice(step: "Ease the pace a little and relax your {side} {muscle}.",
                               why: "Fatigue is building in your {side} {muscle} against your own start of the run."),
                .warning: Advice(step: "Ease off now: slow down, shorten your stride and relax your {side} {muscle}.",
                                 why: "Twitches and resting activity of your {side} {muscle} are rising: the pattern that comes before a cramp."),
                .cramp: Advice(step: "Stop. Bend the knee against resistance to tighten the hamstring for about 10 seconds, then stretch the thigh gently (heel to buttock) up to 60 seconds.",
                               why: "Your {side} {muscle} is cramping. Tightening the hamstring relaxes the quadriceps (reciprocal inhibition)."),
                .clear: Advice(step: "Resume slowly, at an easy pace.", why: "Your {side} {muscle} has settled; it stays prone to cramp for a while."),
            ],
            .general: [
                .watch: Advice(
                    step: "Ease the pace a little and shorten your stride.",
                    why: "Your heart rate is drifting up at the same cadence, or your cadence is sagging: fatigue is building. Without EMG sensors crampd cannot see a cramp coming."),
                .warning: Advice(
                    step: "Ease off now: slow down and shorten your stride.",
                    why: "Fatigue is building."),
                .cramp: Advice(
                    step: "Stop and stretch the cramping muscle gently.",
                    why: "A cramp."),
                .clear: Advice(
                    step: "Carry on at an easy pace.",
                    why: "Heart rate and cadence are back near your own start of the run."),
            ],
        ],
        hydration: "In the heat or after an hour or more, drink and take electrolytes.",
        hydrationAfterSeconds: 3600,
        stopTheRun: "Stop the run: repeated cramps, or cramps in more than one muscle, mean the muscles are too fatigued to go on safely. Walk back or get a ride.",
        medical: "If you feel dizzy or confused, or collapse, seek medical help.",
        prevention: [
            "Calf raises, straight knee and bent knee (gastrocnemius and soleus), a few times a week.",
            "Glute bridges and straight-leg raises: weak glutes and hip flexors make the calves and hamstrings do their work.",
            "A dynamic warm-up before runs (leg swings, skips, strides).",
            "Raise weekly mileage by no more than 10%, and add speed work gradually: cramps follow unaccustomed efforts.",
        ]
    )
}
