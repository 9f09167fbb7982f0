// SPDX-License-Identifier: MIT

/// What the session around one muscle looks like when it decides: context from heart rate and
/// cadence, and what the other muscles are doing. Made by `CrampDetector` per event.
struct MuscleContext: Sendable {
    /// Session time of the decision.
    var now: Double
    /// How much the context lowers the warning threshold: the threshold's excess over 1 is
    /// divided by this (≥ 1; 1 = no context).
    var modifier: Double
    /// The newest stride of any channel ended at this time (`-∞` if none).
    var lastStrideSeconds: Double
    /// Another head of the same calf is cramping (or just did): its synergist picks up that
    /// activity, so this muscle does not start a cramp of its own.
    var synergistCramping: Bool
}

/// A level change of one muscle, with what supported it.
struct MuscleTransition: Sendable {
    var level: AlertLevel
    var sessionSeconds: Double
    var risk: Double
    var evidence: [Evidence]
}

/// The detector's view of one EMG channel on a crampd muscle site: its signal faults, its
/// fatigue, its prodrome (inter-stride baseline and twitches), sustained involuntary activity
/// (the cramp), and the alert state machine with hysteresis and minimum dwell
/// (docs/DETECTION.md).
///
/// It is fed the pipeline's records of its channel in order: windows (every hop) and strides.
/// Everything it keeps is in fixed-size rings allocated in `init`; only a level change builds
/// evidence.
struct MuscleTracker: Sendable {
    /// The state machine's states. `recovering` follows a cramp: `clear` was said, and warnings
    /// wait until the inter-stride baseline has come back down.
    enum State: Sendable { case normal, watch, warning, cramp, recovering }

    let channel: Int
    let site: MuscleSite
    let side: BodySide
    /// Whether this muscle raises alerts (else only sensor faults).
    let alerts: Bool
    private let config: CrampDetectorConfiguration

    private(set) var state: State = .normal
    private var stateSince = 0.0
    private(set) var peakRisk = 0.0
    private(set) var risk = 0.0

    // MARK: Quality
    private(set) var faults: SignalFaultTracker

    // MARK: Blocks (newest quarter of each window)
    private var blocks: FixedRing
    private var hopSeconds = 0.0
    private var previousWindowEnd: Int?
    private var lastBlockSeconds = 0.0

    // MARK: References from the runner's baseline
    /// Active-phase RMS (µV): the pipeline's baseline, or a provisional median of early strides.
    private var activeRMS: Float?
    private var provisionalActive: FixedRing
    /// Inter-stride baseline RMS (µV) and active-phase MNF (Hz) of the runner's baseline.
    private var baselineRMS: Float?
    private var baselineMNF: Float?

    // MARK: Gait bursts
    private var gaitBurstSeconds: FixedRing
    private var lastStrideEnd = -Double.infinity

    // MARK: Prodrome
    private var baselineRatios: FixedRing
    private var confirm = 0
    private var extraBursts: FixedRing
    private var strideSeconds: FixedRing
    private var twitchBaselineSum = 0.0
    private var twitchBaselineStrides = 0
    private var twitchBaselinePerStride: Double?
    private var releaseSince: Double?
    private var rearmStrides = 0
    private(set) var lastRatio: Float?
    private(set) var lastTwitchExcess: Double = 0

    // MARK: Fatigue
    private var meanFrequencyRatios: FixedRing
    private var activeRMSRatios: FixedRing
    private var watchReasonSeen = -Double.infinity
    private(set) var fatigued = false

    // MARK: Sustained level of the recent past (twitches beside gait bursts)
    /// Per whole second: the largest sustained level (lowest block of the base span) seen.
    private var sustainedMaxima: FixedRing
    private var sustainedSecond = Int.min
    private var sustainedMaximum: Float = 0

    // MARK: Cramp
    private(set) var crampOnset: Double?
    private(set) var crampClearedAt: Double?
    private var crampThreshold: Float = 0
    private var quietSince: Double?

    init(channel: Int, site: MuscleSite, side: BodySide, alerts: Bool, configuration: CrampDetectorConfiguration) {
        self.channel = channel
        self.site = site
        self.side = side
        self.alerts = alerts
        config = configuration
        faults = SignalFaultTracker(
            windowCount: configuration.faultWindowCount, onWindows: configuration.faultOnWindows,
            offSeconds: configuration.faultOffSeconds, abstainAfterFlagSeconds: configuration.abstainAfterFlagSeconds)
        // Long enough for the longest sustained span (a walking gait burst × the multiple).
        blocks = FixedRing(capacity: 64)
        provisionalActive = FixedRing(capacity: 21)
        gaitBurstSeconds = FixedRing(capacity: 6)
        baselineRatios = FixedRing(capacity: max(1, configuration.baselineStrides))
        extraBursts = FixedRing(capacity: max(1, configuration.twitchStrides))
        strideSeconds = FixedRing(capacity: max(1, configuration.twitchStrides))
        sustainedMaxima = FixedRing(capacity: max(3, configuration.onsetRecentSeconds))
        meanFrequencyRatios = FixedRing(capacity: max(1, configuration.fatigueStrides))
        activeRMSRatios = FixedRing(capacity: max(1, configuration.fatigueStrides))
    }

    /// The alert level a state announces.
    static func level(of state: State) -> AlertLevel {
        switch state {
        case .watch: .watch
        case .warning: .warning
        case .cramp: .cramp
        case .normal, .recovering: .clear
        }
    }

    /// Whether the muscle is cramping now.
    var isCramping: Bool { state == .cramp }

    // MARK: - Windows

    /// One window of the channel: quality (sensor faults), and the cramp's onset and end.
    mutating func window(
        _ record: EMGWindowRecord, context: MuscleContext,
        fault: (SignalFaultTracker.Transition) -> Void, transition: (MuscleTransition) -> Void
    ) {
        let f = record.features
        let now = context.now
        if let previous = previousWindowEnd, hopSeconds == 0, f.sampleRange.upperBound > previous {
            // endTime = upperBound / rate: one hop in seconds.
            hopSeconds = f.endTime.inSeconds * Double(f.sampleRange.upperBound - previous) / Double(f.sampleRange.upperBound)
        }
        previousWindowEnd = f.sampleRange.upperBound
        faults.process(record.quality, rms: f.rms, at: now, fault)
        blocks.append(record.quality.flags.isEmpty ? f.tailRMS : -1)
        lastBlockSeconds = now
        guard alerts, hopSeconds > 0 else { return }
        trackSustainedLevel(now: now)

        if state == .cramp {
            followCramp(context: context, transition: transition)
        } else {
            detectCramp(context: context, transition: transition)
        }
    }

    /// Keeps, per second, the largest sustained level of the base span (its lowest block): in
    /// a late prodrome a twitch next to a gait burst can hold a whole span up for a moment, and
    /// the onset threshold stays above what that did in the recent past.
    private mutating func trackSustainedLevel(now: Double) {
        let second = Int(now.rounded(.down))
        if second != sustainedSecond {
            if sustainedSecond != Int.min {
                // Seconds without a window (a gap) count as quiet.
                let missing = min(second - sustainedSecond - 1, sustainedMaxima.capacity)
                sustainedMaxima.append(sustainedMaximum)
                if missing > 0 { for _ in 0..<missing { sustainedMaxima.append(0) } }
            }
            sustainedSecond = second
            sustainedMaximum = 0
        }
        guard !faults.abstains(at: now), let low = blocks.minimum(ofNewest: config.onsetBlocksInWarning) else { return }
        sustainedMaximum = max(sustainedMaximum, low)
    }

    /// The recent sustained level: the second largest of the per-second maxima, leaving out
    /// the newest `onsetRecentSkipSeconds` (a cramp's own rise).
    private func recentSustainedLevel() -> Float {
        let skip = config.onsetRecentSkipSeconds
        guard sustainedMaxima.count > skip + 1 else { return 0 }
        var first: Float = 0, second: Float = 0
        for k in skip..<sustainedMaxima.count {
            let v = sustainedMaxima[newest: k]
            if v > first {
                second = first
                first = v
            } else if v > second {
                second = v
            }
        }
        return second
    }

    /// The number of blocks the sustained span needs now, and the onset threshold (µV).
    private func onsetRule(now: Double) -> (blocks: Int, threshold: Float, fraction: Float)? {
        guard let active = activeRMS else { return nil }
        let inWarning = state == .warning
        let fraction = inWarning ? config.onsetFractionInWarning : config.onsetFractionOfActive
        var n = inWarning ? config.onsetBlocksInWarning : config.onsetBlocks
        // Longer than the muscle's own recent gait bursts (walking, slowing strides).
        // Without recent strides the next burst may be a first step after standing, which is
        // long; in `warning` the prodrome makes a cramp the likelier reading, and the muscle's
        // last known gait bursts are the measure.
        let burst: Double
        if let longest = gaitBurstSeconds.maximum(ofNewest: 6),
           now - lastStrideEnd <= config.recentGaitSeconds || inWarning {
            burst = Double(longest)
        } else {
            burst = config.onsetUnknownGaitBurstSeconds
        }
        let multiple = inWarning ? config.onsetGaitBurstMultipleInWarning : config.onsetGaitBurstMultiple
        n = max(n, Int((burst * multiple / hopSeconds).rounded(.up)))
        n = min(n, blocks.capacity)
        var threshold = max(fraction * active, config.onsetRecentMultiple * recentSustainedLevel())
        if let b = baselineRMS { threshold = max(threshold, config.onsetMultipleOfBaseline * b) }
        return (n, threshold, fraction)
    }

    private mutating func detectCramp(context: MuscleContext, transition: (MuscleTransition) -> Void) {
        let now = context.now
        guard !context.synergistCramping,
              now - context.lastStrideSeconds <= config.crampNeedsStridesWithinSeconds,
              crampClearedAt.map({ now - $0 >= config.recrampAfterSeconds }) ?? true,
              let rule = onsetRule(now: now), blocks.count >= rule.blocks
        else { return }
        let span = Double(rule.blocks) * hopSeconds
        guard !faults.abstains(at: now, span: span),
              let low = blocks.minimum(ofNewest: rule.blocks), low >= rule.threshold,
              let high = blocks.maximum(ofNewest: rule.blocks), let newest = blocks.last,
              newest >= config.onsetNotFallingFraction * high
        else { return }
        crampThreshold = rule.threshold
        crampOnset = now
        quietSince = nil
        // How long the activity has been above the threshold without a quiet block.
        var run = rule.blocks
        while run < blocks.count, blocks[newest: run] >= rule.threshold { run += 1 }
        var evidence = [
            Evidence(feature: "sustained_rms", value: Double(low), baseline: activeRMS.map(Double.init),
                     threshold: Double(rule.threshold), unit: "uV"),
            Evidence(feature: "sustained_s", value: Double(run) * hopSeconds, baseline: nil, threshold: span, unit: "s"),
        ]
        if let r = lastRatio, let b = baselineRMS {
            evidence.append(Evidence(feature: "inter_stride_rms", value: Double(r * b), baseline: Double(b),
                                     threshold: Double(config.warningBaselineRatio * b), unit: "uV"))
        }
        enter(.cramp, at: now, risk: 1, evidence: evidence, transition: transition)
    }

    private mutating func followCramp(context: MuscleContext, transition: (MuscleTransition) -> Void) {
        let now = context.now
        guard let onset = crampOnset else { return }
        let n = max(config.onsetBlocks, 1)
        guard !faults.abstains(at: now), let low = blocks.minimum(ofNewest: n) else { return }
        if low < config.clearFraction * crampThreshold {
            if quietSince == nil { quietSince = now }
        } else {
            quietSince = nil
        }
        if let q = quietSince, now - q >= config.clearQuietSeconds, now - onset >= config.crampMinimumSeconds {
            crampClearedAt = now
            rearmStrides = 0
            let evidence = [
                Evidence(feature: "sustained_rms", value: Double(low), baseline: activeRMS.map(Double.init),
                         threshold: Double(config.clearFraction * crampThreshold), unit: "uV"),
            ]
            // No longer cramping, still prone: the risk of a cramp again stays high.
            risk = min(risk, 0.95)
            enter(.recovering, at: now, risk: risk, evidence: evidence, transition: transition)
        }
    }

    // MARK: - Strides

    /// One stride of the channel: references, fatigue, prodrome, and the levels below `cramp`.
    mutating func stride(_ record: EMGStrideRecord, context: MuscleContext, transition: (MuscleTransition) -> Void) {
        let s = record.stride
        let now = context.now
        let end = s.endTime.inSeconds
        lastStrideEnd = max(lastStrideEnd, end)
        gaitBurstSeconds.append(Float(s.activeBurst.duration.inSeconds))
        let clean = s.quality.isEmpty && !faults.abstains(at: now)
        if let b = record.baseline {
            activeRMS = b.activeRMS
            baselineRMS = b.baselineRMS
            baselineMNF = b.meanFrequency
        } else if clean, s.startTime.inSeconds >= 30 {
            // Provisional reference for the onset rule until the runner's baseline is set.
            provisionalActive.append(s.activeBurst.rms)
            if provisionalActive.count >= 10 { activeRMS = provisionalActive.median(ofNewest: provisionalActive.count) }
        }
        guard clean else { return }
        guard let relative = s.relative else {
            // Still inside the baseline period: the runner's own twitch rate.
            if s.startTime.inSeconds >= 60 {
                twitchBaselineSum += Double(s.extraBursts)
                twitchBaselineStrides += 1
            }
            return
        }
        if twitchBaselinePerStride == nil {
            twitchBaselinePerStride = twitchBaselineStrides > 0 ? twitchBaselineSum / Double(twitchBaselineStrides) : 0
        }
        if let r = relative.baselineRMS { baselineRatios.append(Float(r)) }
        extraBursts.append(Float(s.extraBursts))
        strideSeconds.append(Float(s.duration.inSeconds))
        if let m = relative.meanFrequency { meanFrequencyRatios.append(Float(m)) }
        activeRMSRatios.append(Float(relative.activeRMS))
        guard alerts else { return }
        evaluate(context: context, transition: transition)
    }

    /// Twitches (extra bursts) above the runner's own rate, per minute.
    private func twitchExcessPerMinute() -> Double {
        guard extraBursts.count >= min(10, extraBursts.capacity), let base = twitchBaselinePerStride else { return 0 }
        let n = extraBursts.count
        let perStride = Double(extraBursts.sum(ofNewest: n)) / Double(n)
        let seconds = Double(strideSeconds.sum(ofNewest: n)) / Double(n)
        guard seconds > 0 else { return 0 }
        return (perStride - base) * 60 / seconds
    }

    private mutating func evaluate(context: MuscleContext, transition: (MuscleTransition) -> Void) {
        let now = context.now
        let ratio = baselineRatios.count >= min(config.baselineStrides, baselineRatios.capacity)
            ? baselineRatios.median(ofNewest: config.baselineStrides) : nil
        lastRatio = ratio
        let twitches = twitchExcessPerMinute()
        lastTwitchExcess = twitches
        let mnf = meanFrequencyRatios.count >= 16 ? meanFrequencyRatios.median(ofNewest: config.fatigueStrides) : nil
        fatigued = mnf.map { $0 <= config.watchMeanFrequencyRatio } ?? false

        // Thresholds, lowered by the context (never below 1: the EMG must still rise).
        let m = max(1, context.modifier)
        let warnAt = 1 + (config.warningBaselineRatio - 1) / Float(m)
        let warnWithTwitchesAt = 1 + (config.warningBaselineRatioWithTwitches - 1) / Float(m)
        let r = ratio ?? 1
        let twitching = twitches >= Double(config.twitchExcessPerMinute)

        // Risk 0…1: the prodrome's progress towards the warning threshold, fatigue, context.
        let prodrome = max(Double(r - 1) / Double(config.warningBaselineRatio - 1),
                           twitches / Double(config.twitchExcessPerMinute) * 0.6, 0)
        let fatigue = mnf.map { max(0, min(1, Double(1 - $0) / 0.2)) } ?? 0
        risk = min(0.95, 1 - Double.exp(-(prodrome + 0.3 * fatigue) * m))
        if state != .cramp { peakRisk = max(peakRisk, risk) }

        if state == .recovering {
            rearmStrides = r < config.warningReleaseRatio ? rearmStrides + 1 : 0
            if rearmStrides >= config.baselineStrides {
                state = .normal
                stateSince = now
            }
            return
        }
        guard state != .cramp else { return }

        let warningNow = ratio != nil && (r >= warnAt || (twitching && r >= warnWithTwitchesAt))
        confirm = warningNow ? confirm + 1 : 0
        let watchNow = fatigued || r >= config.watchBaselineRatio
        // Hysteresis: a watch holds while either sign stays past its release level.
        let stillWatch = (mnf.map { $0 < config.watchReleaseMeanFrequencyRatio } ?? false)
            || r >= config.watchReleaseBaselineRatio
        if watchNow || warningNow || (state == .watch && stillWatch) { watchReasonSeen = now }

        if state != .warning, confirm >= config.warningConfirmStrides {
            var evidence = prodromeEvidence(ratio: r, threshold: twitching ? warnWithTwitchesAt : warnAt, twitches: twitches)
            if let e = fatigueEvidence(mnf) { evidence.append(e) }
            enter(.warning, at: now, risk: risk, evidence: evidence, transition: transition)
            releaseSince = nil
            return
        }
        if state == .warning {
            let calm = r < config.warningReleaseRatio && twitches < Double(config.twitchExcessPerMinute) / 2
            if calm {
                if releaseSince == nil { releaseSince = now }
            } else {
                releaseSince = nil
            }
            // Released on strides only: a runner who stops keeps the level until running
            // again shows that the signs are gone.
            releaseIfDue(now: now, transition: transition)
            return
        }
        if state == .watch {
            releaseIfDue(now: now, transition: transition)
            return
        }
        if state == .normal, watchNow {
            var evidence: [Evidence] = []
            if let e = fatigueEvidence(mnf), fatigued { evidence.append(e) }
            if r >= config.watchBaselineRatio {
                evidence += prodromeEvidence(ratio: r, threshold: config.watchBaselineRatio, twitches: twitches)
            }
            enter(.watch, at: now, risk: risk, evidence: evidence, transition: transition)
        }
    }

    /// Steps down from `warning` or `watch` once their reasons have been gone long enough.
    private mutating func releaseIfDue(now: Double, transition: (MuscleTransition) -> Void) {
        if state == .warning, let since = releaseSince, now - since >= config.warningReleaseSeconds,
           now - stateSince >= config.warningMinimumSeconds {
            let r = lastRatio ?? 1
            let evidence = prodromeEvidence(ratio: r, threshold: config.warningReleaseRatio, twitches: lastTwitchExcess)
            releaseSince = nil
            confirm = 0
            enter(fatigued ? .watch : .normal, at: now, risk: risk, evidence: evidence, transition: transition)
            watchReasonSeen = now
        } else if state == .watch, now - watchReasonSeen >= config.watchReleaseSeconds,
                  now - stateSince >= config.watchMinimumSeconds {
            let r = lastRatio ?? 1
            enter(.normal, at: now, risk: risk,
                  evidence: prodromeEvidence(ratio: r, threshold: config.watchBaselineRatio, twitches: lastTwitchExcess),
                  transition: transition)
        }
    }

    private func prodromeEvidence(ratio: Float, threshold: Float, twitches: Double) -> [Evidence] {
        var out: [Evidence] = []
        if let b = baselineRMS {
            out.append(Evidence(feature: "inter_stride_rms", value: Double(ratio * b), baseline: Double(b),
                                threshold: Double(threshold * b), unit: "uV"))
        }
        if twitches > 0, let base = twitchBaselinePerStride {
            let n = strideSeconds.count
            let seconds = n > 0 ? Double(strideSeconds.sum(ofNewest: n)) / Double(n) : 1
            let basePerMinute = base * 60 / seconds
            out.append(Evidence(feature: "twitch_rate", value: basePerMinute + twitches, baseline: basePerMinute,
                                threshold: basePerMinute + Double(config.twitchExcessPerMinute), unit: "per_min"))
        }
        return out
    }

    private func fatigueEvidence(_ mnf: Float?) -> Evidence? {
        guard let m = mnf, let base = baselineMNF else { return nil }
        return Evidence(feature: "active_mnf", value: Double(m * base), baseline: Double(base),
                        threshold: Double(config.watchMeanFrequencyRatio * base), unit: "Hz")
    }

    private mutating func enter(
        _ next: State, at now: Double, risk: Double, evidence: [Evidence], transition: (MuscleTransition) -> Void
    ) {
        let announce = Self.level(of: next) != Self.level(of: state)
        state = next
        stateSince = now
        if next == .cramp {
            self.risk = 1
            peakRisk = 1
        }
        if announce {
            transition(MuscleTransition(level: Self.level(of: next), sessionSeconds: now, risk: next == .cramp ? 1 : risk,
                                        evidence: evidence))
        }
    }
}
