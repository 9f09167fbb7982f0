// SPDX-License-Identifier: MIT

/// The cramp detector of one session: the EMG feature pipeline, the heart-rate and gait
/// tracker, one `MuscleTracker` per EMG channel on a crampd muscle, and the alert policy —
/// fed sample blocks as they arrive, reporting `DetectorEvent`s (`ALERT`, `SENSOR`, and a
/// `SUMMARY` at the end) as they are decided.
///
/// ```swift
/// var detector = try CrampDetector(channels: channels)
/// // for each EDF data record, for each signal:
/// detector.process(samples: record[signal], channel: signal) { event in … }
/// // irregular channels (a foot pod's cadence, RR intervals), as the sensor sends them:
/// detector.process(value: 172, timeSeconds: 81.25, channel: cadence) { event in … }
/// detector.finish { event in … }                 // the summary
/// ```
///
/// ## What it decides (docs/DETECTION.md)
///
/// Per muscle and side: `watch` (fatigue: active-phase MNF down against the runner's own start,
/// or the inter-stride baseline starting to rise), `warning` (the prodrome: the inter-stride
/// baseline well above the runner's own, or rising with twitches), `cramp` (sustained
/// involuntary activity not locked to the gait, decided within about a second of its onset),
/// `clear` (back to normal, or the cramp has subsided). Each alert carries a risk (0…1), its
/// evidence and the advice of the playbook. Heart rate and cadence modify the warning
/// threshold (heat strain, surges, cadence sag, a long run) but never raise a warning alone;
/// a session without EMG gets at most a session-level `watch` from them.
///
/// A channel whose signal-quality flags persist raises a `SENSOR` event (on, then off) and its
/// muscle abstains meanwhile: no evidence is taken from flagged windows or strides, and no
/// cramp is decided over them (sustained clipping is never a cramp).
///
/// ## Determinism and cost
///
/// Time comes from the samples only, so replaying a session at any speed gives the same
/// events, bit for bit. The detector adds work per window, burst and stride of the pipeline,
/// not per sample; nothing is allocated per sample or per window (only alerts, with their
/// evidence and advice text, allocate).
public struct CrampDetector {
    /// The session's channels, as given.
    public let channels: [SessionChannel]
    /// The configuration.
    public let configuration: CrampDetectorConfiguration
    /// The relief playbook the advice comes from.
    public let playbook: AdvicePlaybook

    private var pipeline: SessionFeaturePipeline?
    private var cardio: CardioGaitTracker?
    private var context: SessionContext
    private var trackers: [MuscleTracker]
    /// Per channel: its tracker's index.
    private let trackerOfChannel: [Int?]
    /// Per tracker: the tracker of the other head of the same calf on the same side, if any.
    private let synergistOfTracker: [Int?]
    /// Per channel: samples of regularly sampled HR, cadence and speed channels taken so far.
    private var scalarCounts: [Int]
    /// Per channel: the end time of its newest window (EMG), the decisions' "now".
    private var channelNow: [Double]
    private var lastStrideSeconds = -Double.infinity
    private var sessionEnd = 0.0
    private var finished = false

    // Session counts for escalation and the summary.
    private var crampsSoFar = 0
    private var crampedMuscles: [(MuscleSite, BodySide)] = []
    private var cramps: [SessionSummary.Cramp] = []
    private var warnings = 0
    private var watches = 0
    private var sensorFaults = 0

    // Session-level watch when no muscle can be seen (heart rate and cadence alone).
    private let contextOnly: Bool
    private var contextWatch = false
    private var contextWatchSince = 0.0
    private var contextReasonSince: Double?
    private var contextCalmSince: Double?

    /// A detector for a session with `channels`.
    ///
    /// - Parameters:
    ///   - channels: Every signal of the session (`SessionChannel(label:sampleRate:)`): EMG on a
    ///     crampd site (`EMG gastroc L`) gets a tracker; other EMG is conditioned and ignored;
    ///     `HR`, `Cadence`, `Speed` (regular or irregular) and `RR` (irregular) feed the context.
    ///   - configuration: Thresholds and stages; the defaults are documented.
    ///   - playbook: The relief advice (`AdvicePlaybook.standard`, or with overrides).
    /// - Throws: `CrampDetectorError` wrapping the feature pipeline's or the heart-rate
    ///   tracker's configuration error.
    public init(
        channels: [SessionChannel], configuration: CrampDetectorConfiguration = .init(),
        playbook: AdvicePlaybook = .standard
    ) throws(CrampDetectorError) {
        do {
            pipeline = try SessionFeaturePipeline(channels: channels, configuration: configuration.features)
        } catch {
            throw .features(error)
        }
        do {
            cardio = try CardioGaitTracker(configuration: configuration.cardioGait)
        } catch {
            throw .cardioGait(error)
        }
        self.channels = channels
        self.configuration = configuration
        self.playbook = playbook
        context = SessionContext(configuration: configuration)
        var trackers: [MuscleTracker] = []
        var index: [Int?] = Array(repeating: nil, count: channels.count)
        for (i, c) in channels.enumerated() where c.kind == .emg {
            guard let d = c.descriptor, d.kind == .emg, let site = d.site, let side = d.side else { continue }
            index[i] = trackers.count
            trackers.append(MuscleTracker(
                channel: i, site: site, side: side, alerts: configuration.alertSites.contains(site),
                configuration: configuration))
        }
        self.trackers = trackers
        trackerOfChannel = index
        synergistOfTracker = trackers.indices.map { k in
            trackers.indices.first { j in
                j != k && trackers[j].site.isCalf && trackers[k].site.isCalf && trackers[j].site != trackers[k].site
                    && trackers[j].side == trackers[k].side
            }
        }
        scalarCounts = Array(repeating: 0, count: channels.count)
        channelNow = Array(repeating: 0, count: channels.count)
        contextOnly = !trackers.contains { $0.alerts }
        cramps.reserveCapacity(8)
        crampedMuscles.reserveCapacity(8)
    }

    // MARK: - Input

    /// Takes the next samples of channel `channel` (an index into `channels`): a block of a
    /// regularly sampled signal (EMG; or HR, cadence, speed at a few Hz, whose sample times are
    /// index / rate). Samples of channels nobody analyses are ignored.
    ///
    /// - Parameters:
    ///   - samples: Physical values (µV for EMG, bpm, steps per minute, m/s).
    ///   - emit: Called with every event decided, in order.
    public mutating func process(
        samples: UnsafeBufferPointer<Float>, channel: Int, emit: (DetectorEvent) -> Void
    ) {
        guard !finished, channels.indices.contains(channel) else { return }
        let c = channels[channel]
        if c.kind == .emg || c.kind == .cadence {
            var p = pipeline!
            pipeline = nil
            p.process(samples: samples, channel: channel) { handle($0, emit: emit) }
            pipeline = p
        }
        guard c.kind != .emg, let rate = c.sampleRate, rate.value > 0 else { return }
        for i in 0..<samples.count {
            let t = Double(scalarCounts[channel]) / rate.value
            scalarCounts[channel] += 1
            scalar(Double(samples[i]), kind: c.kind, timeSeconds: t, emit: emit)
        }
    }

    /// Takes one value of an irregularly sampled channel (HR, RR in ms, cadence, speed) at
    /// `timeSeconds` of session time, as the sensor sent it.
    public mutating func process(value: Float, timeSeconds: Double, channel: Int, emit: (DetectorEvent) -> Void) {
        guard !finished, channels.indices.contains(channel), channels[channel].kind != .emg else { return }
        let kind = channels[channel].kind
        if kind == .cadence {
            var p = pipeline!
            pipeline = nil
            p.process(value: value, timeSeconds: timeSeconds, channel: channel) { handle($0, emit: emit) }
            pipeline = p
        }
        scalar(Double(value), kind: kind, timeSeconds: timeSeconds, emit: emit)
    }

    /// Ends the session: the pipeline's last decisions, then the `SUMMARY`. Further input is
    /// ignored.
    public mutating func finish(emit: (DetectorEvent) -> Void) {
        guard !finished else { return }
        var p = pipeline!
        pipeline = nil
        p.finish { handle($0, emit: emit) }
        pipeline = p
        finished = true
        emit(.summary(summary()))
    }

    // MARK: - Heart rate, RR, cadence, speed

    private mutating func scalar(_ value: Double, kind: ChannelKind?, timeSeconds t: Double, emit: (DetectorEvent) -> Void) {
        guard var c = cardio else { return }
        cardio = nil
        switch kind {
        case .hr: c.hr(timeSeconds: t, beatsPerMinute: value) { context.process($0) }
        case .rr: c.rr(timeSeconds: t, milliseconds: value) { context.process($0) }
        case .cadence: c.cadence(timeSeconds: t, perMinute: value) { context.process($0) }
        case .speed: c.speed(timeSeconds: t, metresPerSecond: value) { context.process($0) }
        default: break
        }
        cardio = c
        if t.isFinite { sessionEnd = max(sessionEnd, t) }
        if contextOnly { followContextWatch(emit: emit) }
    }

    // MARK: - EMG features

    private mutating func handle(_ event: SessionFeatureEvent, emit: (DetectorEvent) -> Void) {
        switch event {
        case .window(let w):
            let now = w.features.endTime.inSeconds
            channelNow[w.channel] = now
            sessionEnd = max(sessionEnd, now)
            guard let k = trackerOfChannel[w.channel] else { return }
            let ctx = MuscleContext(
                now: now, modifier: 1, lastStrideSeconds: lastStrideSeconds, synergistCramping: synergistCramping(k, now))
            // Collected, then emitted: reporting reads the other trackers. (Empty arrays do not
            // allocate; only a transition does.)
            var faults: [SignalFaultTracker.Transition] = []
            var transitions: [MuscleTransition] = []
            trackers[k].window(w, context: ctx, fault: { faults.append($0) }, transition: { transitions.append($0) })
            for i in 0..<faults.count { sensor(faults[i], tracker: k, at: now, emit: emit) }
            for i in 0..<transitions.count { alert(transitions[i], tracker: k, emit: emit) }
        case .stride(let s):
            lastStrideSeconds = max(lastStrideSeconds, s.stride.endTime.inSeconds)
            guard let k = trackerOfChannel[s.channel] else { return }
            let now = max(channelNow[s.channel], s.stride.endTime.inSeconds)
            let ctx = MuscleContext(
                now: now, modifier: context.modifier(at: now, fatigued: trackers[k].fatigued),
                lastStrideSeconds: lastStrideSeconds, synergistCramping: false)
            var transitions: [MuscleTransition] = []
            trackers[k].stride(s, context: ctx, transition: { transitions.append($0) })
            for i in 0..<transitions.count { alert(transitions[i], tracker: k, emit: emit) }
        case .mains, .channel, .burst:
            return
        }
    }

    /// Whether the other head of the same calf, same side, is cramping or started one within
    /// 30 s. (Reads the two fields in place: copying a tracker would copy all its rings.)
    private func synergistCramping(_ k: Int, _ now: Double) -> Bool {
        guard let j = synergistOfTracker[k] else { return false }
        if trackers[j].isCramping { return true }
        if let onset = trackers[j].crampOnset, now - onset <= 30 { return true }
        return false
    }

    // MARK: - Output

    private mutating func sensor(_ t: SignalFaultTracker.Transition, tracker k: Int, at now: Double, emit: (DetectorEvent) -> Void) {
        let c = channels[trackers[k].channel]
        let descriptor = c.descriptor ?? .emg(trackers[k].site, trackers[k].side)
        if t.active { sensorFaults += 1 }
        var event = SensorEvent(sessionSeconds: now, channel: descriptor, fault: t.fault, active: t.active, detail: t.detail)
        event.channel = descriptor
        emit(.sensor(event))
    }

    private mutating func alert(_ t: MuscleTransition, tracker k: Int, emit: (DetectorEvent) -> Void) {
        let site = trackers[k].site, side = trackers[k].side
        let now = t.sessionSeconds
        let hot = context.isHot(at: now)
        var evidence = t.evidence
        switch t.level {
        case .cramp:
            crampsSoFar += 1
            if !crampedMuscles.contains(where: { $0 == (site, side) }) { crampedMuscles.append((site, side)) }
            cramps.append(SessionSummary.Cramp(site: site, side: side, onsetSeconds: now, endSeconds: nil))
        case .warning:
            warnings += 1
            evidence += context.evidence(at: now)
        case .watch:
            watches += 1
            evidence += context.evidence(at: now)
        case .clear:
            if let i = cramps.lastIndex(where: { $0.site == site && $0.side == side && $0.endSeconds == nil }),
               trackers[k].state == .recovering {
                cramps[i].endSeconds = now
            }
        }
        let advice = playbook.advice(
            level: t.level, site: site, side: side, sessionSeconds: now, hot: hot, crampsSoFar: crampsSoFar,
            musclesCramped: crampedMuscles.count)
        emit(.alert(Alert(sessionSeconds: now, level: t.level, site: site, side: side, risk: t.risk,
                          evidence: evidence, advice: advice)))
    }

    /// The session-level `watch` of a session without EMG: cardiac drift or cadence sag held
    /// for a while.
    private mutating func followContextWatch(emit: (DetectorEvent) -> Void) {
        let now = context.newestTime
        guard now.isFinite, let p = context.point(at: now) else { return }
        let c = configuration
        let drift = p.driftBeatsPerMinute ?? 0, sag = p.sagPercent ?? 0
        let reason = drift >= c.contextWatchDriftBeatsPerMinute || sag >= c.contextWatchSagPercent
        let calm = drift < 0.7 * c.contextWatchDriftBeatsPerMinute && sag < 0.7 * c.contextWatchSagPercent
        if !contextWatch {
            if reason {
                if contextReasonSince == nil { contextReasonSince = now }
            } else {
                contextReasonSince = nil
            }
            guard let since = contextReasonSince, now - since >= c.contextWatchHoldSeconds else { return }
            contextWatch = true
            contextWatchSince = now
            contextCalmSince = nil
            watches += 1
            emit(.alert(Alert(
                sessionSeconds: now, level: .watch, site: nil, side: nil, risk: contextRisk(drift: drift, sag: sag),
                evidence: contextEvidence(p, crossedOnly: true),
                advice: playbook.generalAdvice(level: .watch, sessionSeconds: now, hot: context.isHot(at: now)))))
        } else {
            if calm {
                if contextCalmSince == nil { contextCalmSince = now }
            } else {
                contextCalmSince = nil
            }
            guard let since = contextCalmSince, now - since >= c.contextWatchReleaseSeconds,
                  now - contextWatchSince >= c.contextWatchMinimumSeconds else { return }
            contextWatch = false
            contextReasonSince = nil
            emit(.alert(Alert(
                sessionSeconds: now, level: .clear, site: nil, side: nil, risk: contextRisk(drift: drift, sag: sag),
                evidence: contextEvidence(p), advice: playbook.generalAdvice(level: .clear, sessionSeconds: now))))
        }
    }

    private func contextRisk(drift: Double, sag: Double) -> Double {
        let c = configuration
        let x = max(drift / c.contextWatchDriftBeatsPerMinute, sag / c.contextWatchSagPercent, 0)
        // A session-level watch is fatigue context, never more: capped well below a warning.
        return min(0.5, 0.3 * x)
    }

    /// The drift and the cadence against their thresholds; with `crossedOnly`, only those that
    /// crossed (the reasons of a watch).
    private func contextEvidence(_ p: SessionContext.Point, crossedOnly: Bool = false) -> [Evidence] {
        var out: [Evidence] = []
        let c = configuration
        if let d = p.driftBeatsPerMinute, let b = p.baselineBeatsPerMinute,
           !crossedOnly || d >= c.contextWatchDriftBeatsPerMinute {
            out.append(Evidence(feature: "cardiac_drift", value: b + d, baseline: b,
                                threshold: b + c.contextWatchDriftBeatsPerMinute, unit: "bpm"))
        }
        if let s = p.sagPercent, let b = p.baselineCadence, !crossedOnly || s >= c.contextWatchSagPercent {
            out.append(Evidence(feature: "cadence", value: b * (1 - s / 100), baseline: b,
                                threshold: b * (1 - c.contextWatchSagPercent / 100), unit: "spm"))
        }
        return out
    }

    // MARK: - Summary

    private func summary() -> SessionSummary {
        let labels = channels.map(\.label)
        var peaks: [SessionSummary.PeakRisk] = []
        for t in trackers where t.alerts {
            peaks.append(SessionSummary.PeakRisk(site: t.site, side: t.side, risk: t.peakRisk))
        }
        var parts: [String] = []
        if contextOnly {
            let context = channels.contains { $0.kind == .hr || $0.kind == .cadence || $0.kind == .speed }
            parts.append(context
                ? "No EMG of a calf or hamstring: fatigue context from heart rate and cadence only; a cramp cannot be seen."
                : "No EMG of a calf or hamstring and no heart rate or cadence: nothing to watch.")
        }
        if cramps.isEmpty {
            if !contextOnly { parts.append("No cramp.") }
        } else {
            let list = cramps.map { c -> String in
                var s = "\(c.side == .left ? "left" : "right") \(c.site.rawValue) at \(Self.clock(c.onsetSeconds))"
                if let e = c.endSeconds { s += ", eased at \(Self.clock(e))" }
                return s
            }
            parts.append("\(cramps.count) cramp\(cramps.count == 1 ? "" : "s"): \(list.joined(separator: "; ")).")
        }
        parts.append("\(warnings) warning\(warnings == 1 ? "" : "s"), \(watches) watch\(watches == 1 ? "" : "es"), \(sensorFaults) sensor fault\(sensorFaults == 1 ? "" : "s").")
        let emg = trackers.count
        var kinds: [String] = []
        if emg > 0 { kinds.append("\(emg) EMG") }
        for (kind, name) in [(ChannelKind.hr, "heart rate"), (.rr, "RR"), (.cadence, "cadence"), (.speed, "speed")]
            where channels.contains(where: { $0.kind == kind }) {
            kinds.append(name)
        }
        parts.append("Channels: \(kinds.isEmpty ? "none analysed" : kinds.joined(separator: ", ")).")
        return SessionSummary(
            durationSeconds: sessionEnd, channels: labels, cramps: cramps, warnings: warnings, watches: watches,
            sensorFaults: sensorFaults, peakRisks: peaks, message: parts.joined(separator: " "),
            prevention: playbook.prevention)
    }

    /// `m:ss` or `h:mm:ss` of session time.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.down))
        let h = s / 3600, m = s / 60 % 60, r = s % 60
        func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
        return h > 0 ? "\(h):\(two(m)):\(two(r))" : "\(m):\(two(r))"
    }
}

/// Why a `CrampDetector` could not be made.
public enum CrampDetectorError: Error, Hashable, Sendable {
    /// The EMG feature pipeline rejected the channels or its configuration.
    case features(FeatureConfigurationError)
    /// The heart-rate and gait tracker rejected its configuration.
    case cardioGait(CardioGaitConfigurationError)
    /// `CrampDetectorConfiguration.set(_:to:)`: no parameter of that name.
    case unknownParameter(String)
    /// `CrampDetectorConfiguration.set(_:to:)`: a value the parameter cannot take.
    case invalidParameter(String, Double)
}
