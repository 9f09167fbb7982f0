// SPDX-License-Identifier: MIT

/// The kind of session a scenario simulates; it decides which events the plan contains.
public enum ScenarioFamily: String, CaseIterable, Hashable, Sendable {
    /// Steady long run; a gastrocnemius cramp late in the run after fatigue has built up.
    case calfCramp
    /// Steady long run; a hamstring cramp late in the run.
    case hamstringCramp
    /// A surge of pace, then a calf cramp a few minutes later.
    case surgeCramp
    /// Two calf cramps: one past half-way, the runner resumes, a second one late.
    case twoCramps
    /// Both gastrocnemii cramp within seconds of each other.
    case bilateralCramp
    /// Long run without a cramp, with strong fatigue, cadence sag and walk breaks.
    case longFatigue
    /// Run in the heat: large cardiac drift, more pace sag, a walk break; no cramp.
    case hotRun
    /// Warm-up, repeated hard intervals with jogging recoveries, cool-down; no cramp.
    case intervals
    /// Mains interference (50 or 60 Hz and harmonics) on all EMG channels for a stretch.
    case mainsArtifact
    /// Motion spikes at every heel strike on one electrode for a stretch.
    case motionArtifact
    /// One electrode goes dead (flat, quantisation-level noise) for a stretch.
    case deadElectrode
    /// One electrode saturates (clipped at ±5000 µV) for a few seconds.
    case saturation
    /// Short dropouts (flat zero, 0.2–3 s) on one electrode or all of them.
    case dropout

    /// True for the families whose plan contains at least one cramp.
    public var hasCramp: Bool {
        switch self {
        case .calfCramp, .hamstringCramp, .surgeCramp, .twoCramps, .bilateralCramp: true
        default: false
        }
    }
}

/// A named, documented kind of simulated session.
///
/// Event times are fractions of the session's duration (a cramp at 80–90 % of the run), drawn
/// from the seed within physiological bounds; durations of physiological events (prodrome,
/// cramp, stop) are in seconds and do not scale.
public struct Scenario: Hashable, Sendable, Identifiable {
    /// The name used on the command line (`calf-cramp`).
    public let name: String
    public let family: ScenarioFamily
    /// One line for `crampd simulate --list`.
    public let summary: String
    /// The duration used when none is given, in seconds.
    public let defaultDurationSeconds: Int
    /// The shortest duration that holds the scenario's events, in seconds.
    public let minimumDurationSeconds: Int

    public var id: String { name }

    public init(
        name: String, family: ScenarioFamily, summary: String,
        defaultDurationSeconds: Int, minimumDurationSeconds: Int
    ) {
        self.name = name
        self.family = family
        self.summary = summary
        self.defaultDurationSeconds = defaultDurationSeconds
        self.minimumDurationSeconds = minimumDurationSeconds
    }

    /// Every scenario, in the order `--list` shows them.
    public static let all: [Scenario] = [
        Scenario(
            name: "calf-cramp", family: .calfCramp,
            summary: "steady long run, gastrocnemius cramp at 80-90% after fatigue, 30-120 s prodrome",
            defaultDurationSeconds: 3600, minimumDurationSeconds: 360),
        Scenario(
            name: "hamstring-cramp", family: .hamstringCramp,
            summary: "steady long run, hamstring cramp at 80-90% with prodrome",
            defaultDurationSeconds: 3000, minimumDurationSeconds: 360),
        Scenario(
            name: "surge-cramp", family: .surgeCramp,
            summary: "1-4 min surge at 62-70% of the run, calf cramp a few minutes later",
            defaultDurationSeconds: 2700, minimumDurationSeconds: 480),
        Scenario(
            name: "two-cramps", family: .twoCramps,
            summary: "calf cramp past half-way, runner resumes, second calf cramp at 84-90%",
            defaultDurationSeconds: 4500, minimumDurationSeconds: 720),
        Scenario(
            name: "bilateral-calf-cramp", family: .bilateralCramp,
            summary: "both gastrocnemii cramp within seconds of each other at 80-90%",
            defaultDurationSeconds: 4200, minimumDurationSeconds: 360),
        Scenario(
            name: "long-fatigue", family: .longFatigue,
            summary: "long cramp-free run: strong EMG fatigue, cadence sag, late walk breaks",
            defaultDurationSeconds: 5400, minimumDurationSeconds: 300),
        Scenario(
            name: "hot-run", family: .hotRun,
            summary: "run in the heat: large cardiac drift, pace sag, one walk break, no cramp",
            defaultDurationSeconds: 3600, minimumDurationSeconds: 300),
        Scenario(
            name: "intervals", family: .intervals,
            summary: "warm-up, 2-10 hard intervals with jog recoveries, cool-down, no cramp",
            defaultDurationSeconds: 3000, minimumDurationSeconds: 720),
        Scenario(
            name: "artifact-mains", family: .mainsArtifact,
            summary: "easy run, 50 or 60 Hz mains with harmonics on all EMG for a stretch",
            defaultDurationSeconds: 900, minimumDurationSeconds: 120),
        Scenario(
            name: "artifact-motion", family: .motionArtifact,
            summary: "easy run, motion spikes at heel strike on one electrode for a stretch",
            defaultDurationSeconds: 900, minimumDurationSeconds: 120),
        Scenario(
            name: "artifact-dead", family: .deadElectrode,
            summary: "easy run, one electrode dead (flat, quantisation-level noise) for a stretch",
            defaultDurationSeconds: 900, minimumDurationSeconds: 120),
        Scenario(
            name: "artifact-saturation", family: .saturation,
            summary: "easy run, one electrode saturated (clipped at +/-5000 uV) for 3-20 s",
            defaultDurationSeconds: 900, minimumDurationSeconds: 120),
        Scenario(
            name: "artifact-dropout", family: .dropout,
            summary: "easy run, 4 dropouts (flat zero, 0.2-3 s) on one electrode or all",
            defaultDurationSeconds: 900, minimumDurationSeconds: 120),
    ]

    /// The scenario called `name`.
    /// - Throws: ``SimulationError/unknownScenario(_:)``.
    public static func named(_ name: String) throws(SimulationError) -> Scenario {
        guard let scenario = all.first(where: { $0.name == name }) else {
            throw .unknownScenario(name)
        }
        return scenario
    }
}
