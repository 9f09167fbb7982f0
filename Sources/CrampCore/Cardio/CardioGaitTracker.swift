// SPDX-License-Identifier: MIT

/// Heart rate, RR intervals, cadence and speed in; cardiac drift, aerobic decoupling, DFA α1,
/// cadence sag, surges, walk breaks and stops out — one streaming component for a session.
///
/// Give it samples as they arrive, each with its session time in seconds:
///
/// ```swift
/// var tracker = try CardioGaitTracker(configuration: .init(snapshotIntervalSeconds: 5))
/// tracker.hr(timeSeconds: 12.0, beatsPerMinute: 131) { output in … }
/// tracker.rr(timeSeconds: 12.0, milliseconds: 452) { output in … }
/// tracker.cadence(timeSeconds: 12.3, perMinute: 168) { output in … }
/// tracker.speed(timeSeconds: 12.3, metresPerSecond: 3.1) { output in … }
/// ```
///
/// Every call may hand `CardioGaitOutput`s to the closure: first a `.snapshot` for every
/// snapshot time (a multiple of `snapshotIntervalSeconds`) that the sample's time has reached
/// or passed — the snapshot reflects the samples before it — then `.event`s the sample
/// revealed. Call `advance(toSeconds:_:)` to get the snapshots of a stretch without samples
/// (a silent sensor, the end of a recording).
///
/// - Important: Time comes only from the samples, so replaying a session at any speed gives
///   the same outputs, bit for bit — provided the samples are given in the same order. Give
///   them in order of time across channels (merge sources by time); within a channel, a sample
///   earlier than the previous one is rejected as `.invalidTime`. A sample earlier than the
///   last snapshot (a late channel) is still used, but that snapshot did not see it.
///
/// No sample method throws or allocates: all buffers are made in `init` (the RR rings, the
/// DFA's profile, the drift table, the decoupling checkpoints), and the closure is not
/// escaping. Configuration errors are thrown by `init`.
///
/// What each feature means, every threshold and its source: docs/CARDIO_GAIT.md.
public struct CardioGaitTracker: Sendable {
    /// The most snapshots a single sample makes up for: a clock jump of hours emits the last
    /// snapshot only (the rest are counted in `CardioGaitSampleCounts.skippedSnapshots`).
    public static let maximumCatchUpSnapshots = 3600
    /// The latest session time accepted, in seconds (10⁷ s ≈ 116 days).
    public static let maximumTimeSeconds = 1.0e7

    /// The parameters in use.
    public let configuration: CardioGaitConfiguration

    // MARK: Components

    private var heartRateSmoother: TimeConstantSmoother
    private var runningCadenceSmoother: TimeConstantSmoother
    private var episodeCadenceSmoother: TimeConstantSmoother
    private var episodeSpeedSmoother: TimeConstantSmoother
    private var runningSpeedSmoother: TimeConstantSmoother
    private var driftTracker: CardiacDriftTracker
    private var decouplingTracker: AerobicDecouplingTracker
    private var rrFilter: RRArtifactFilter
    private var dfaTracker: DFAAlpha1Tracker
    private var normalisation: CadenceNormalisation
    private var plausibility: CadencePlausibility
    private var gaitBaseline: GaitBaselineAccumulator
    private var surge: SustainedCondition
    private var walkBreak: SustainedCondition
    private var stop: SustainedCondition

    // MARK: State

    private var cadence = 0.0
    private var speed = 0.0
    private var lastHeartRateSeconds: Double?
    private var lastCadenceSeconds: Double?
    private var lastSpeedSeconds: Double?
    private var lastRRSeconds: Double?
    private var receivedHeartRateSeconds: Double?
    private var receivedCadenceSeconds: Double?
    private var receivedSpeedSeconds: Double?
    private var rejectingHeartRate = false
    private var rejectingCadence = false
    private var rejectingSpeed = false
    private var holdingBack = false
    private var heldBackRaw = 0.0
    private var reportedUnit: CadenceUnit
    private var reportedUnitDecided: Bool
    private var peakSpeedExcessPercent: Double?
    private var peakCadenceExcessPercent: Double?
    private var nextSnapshotIndex: Int?
    private var counts = CardioGaitSampleCounts()

    /// A tracker for one session.
    ///
    /// - Throws: `CardioGaitConfigurationError` from `CardioGaitConfiguration.validate()`.
    public init(configuration: CardioGaitConfiguration = .init()) throws(CardioGaitConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        let stale = configuration.staleAfterSeconds
        heartRateSmoother = try TimeConstantSmoother(timeConstantSeconds: configuration.heartRateSmoothingSeconds, restartAfterSeconds: stale)
        runningCadenceSmoother = try TimeConstantSmoother(timeConstantSeconds: configuration.cadenceSmoothingSeconds, restartAfterSeconds: stale)
        episodeCadenceSmoother = try TimeConstantSmoother(timeConstantSeconds: configuration.episodeSmoothingSeconds, restartAfterSeconds: stale)
        episodeSpeedSmoother = try TimeConstantSmoother(timeConstantSeconds: configuration.episodeSmoothingSeconds, restartAfterSeconds: stale)
        runningSpeedSmoother = try TimeConstantSmoother(timeConstantSeconds: configuration.heartRateSmoothingSeconds, restartAfterSeconds: stale)
        driftTracker = try CardiacDriftTracker(baselineWindow: configuration.baselineWindow, configuration: configuration.drift)
        decouplingTracker = try AerobicDecouplingTracker(configuration: configuration.decoupling)
        rrFilter = try RRArtifactFilter(configuration: configuration.rr)
        dfaTracker = try DFAAlpha1Tracker(configuration: configuration.dfa)
        normalisation = try CadenceNormalisation(configuration: configuration.cadenceNormalisation)
        plausibility = try CadencePlausibility(configuration: configuration.cadencePlausibility)
        gaitBaseline = GaitBaselineAccumulator(
            window: configuration.baselineWindow, minimumSeconds: configuration.minimumBaselineSeconds,
            maximumSampleGapSeconds: stale)
        let release = configuration.episodeReleaseSeconds
        surge = SustainedCondition(minimumSeconds: configuration.surgeMinimumSeconds, releaseSeconds: release)
        walkBreak = SustainedCondition(minimumSeconds: configuration.walkBreakMinimumSeconds, releaseSeconds: release)
        stop = SustainedCondition(minimumSeconds: configuration.stopMinimumSeconds, releaseSeconds: release)
        reportedUnit = normalisation.unit
        reportedUnitDecided = normalisation.isDecided
    }

    // MARK: - Samples

    /// A heart-rate sample.
    ///
    /// - Parameters:
    ///   - timeSeconds: Session time of the sample.
    ///   - beatsPerMinute: Heart rate; outside `heartRateRangeBeatsPerMinute` it is rejected.
    ///   - output: Receives the snapshots due and any events.
    public mutating func hr(timeSeconds t: Double, beatsPerMinute bpm: Double, _ output: (CardioGaitOutput) -> Void) {
        guard Self.isValidTime(t), t >= (receivedHeartRateSeconds ?? -1) else {
            return reject(.hr, t, bpm, .invalidTime, output)
        }
        advance(toSeconds: t, output)
        receivedHeartRateSeconds = t
        guard bpm.isFinite else { return reject(.hr, t, bpm, .nonFinite, output) }
        guard configuration.heartRateRangeBeatsPerMinute.contains(bpm) else { return reject(.hr, t, bpm, .outOfRange, output) }
        rejectingHeartRate = false
        counts.heartRateAccepted += 1
        let smoothed = heartRateSmoother.process(timeSeconds: t, value: bpm)
        lastHeartRateSeconds = t

        let cadenceNow = isFresh(lastCadenceSeconds, at: t) ? cadence : nil
        let speedNow = isFresh(lastSpeedSeconds, at: t) ? speed : nil
        let running = configuration.gait.classify(cadenceStepsPerMinute: cadenceNow, speedMetresPerSecond: speedNow) == .running
        let runningCadence = running && cadenceNow != nil ? runningCadenceSmoother.value : nil
        let runningSpeed = running && speedNow != nil ? runningSpeedSmoother.value : nil
        driftTracker.process(
            timeSeconds: t, heartRateBeatsPerMinute: smoothed, cadenceStepsPerMinute: runningCadence, speedMetresPerSecond: runningSpeed)
        decouplingTracker.process(
            timeSeconds: t, heartRateBeatsPerMinute: bpm,
            speedMetresPerSecond: running ? speedNow : nil, cadenceStepsPerMinute: running ? cadenceNow : nil)
    }

    /// An RR interval (the time between two heartbeats).
    ///
    /// - Parameters:
    ///   - timeSeconds: Session time of the beat ending the interval (or of the notification
    ///     that carried it; several intervals may share one time).
    ///   - milliseconds: The interval. Artifacts are rejected and counted
    ///     (`RRArtifactFilter`), never reported as events.
    ///   - output: Receives the snapshots due.
    public mutating func rr(timeSeconds t: Double, milliseconds: Double, _ output: (CardioGaitOutput) -> Void) {
        guard Self.isValidTime(t), t >= (lastRRSeconds ?? -1) else {
            counts.rrInvalidTime += 1
            return
        }
        advance(toSeconds: t, output)
        lastRRSeconds = t
        let verdict = rrFilter.process(milliseconds: milliseconds)
        _ = dfaTracker.process(timeSeconds: t, milliseconds: milliseconds, classification: verdict)
    }

    /// A cadence sample, as the sensor reports it.
    ///
    /// - Parameters:
    ///   - timeSeconds: Session time of the sample.
    ///   - perMinute: Steps or strides per minute, as set by
    ///     `configuration.cadenceNormalisation.setting` (`.auto` decides from the values);
    ///     normalised to steps per minute, then checked (`CadencePlausibility`).
    ///   - output: Receives the snapshots due and any events.
    public mutating func cadence(timeSeconds t: Double, perMinute raw: Double, _ output: (CardioGaitOutput) -> Void) {
        guard Self.isValidTime(t), t >= (receivedCadenceSeconds ?? -1) else {
            return reject(.cadence, t, raw, .invalidTime, output)
        }
        advance(toSeconds: t, output)
        receivedCadenceSeconds = t
        let speedNow = isFresh(lastSpeedSeconds, at: t) ? speed : nil
        let steps = normalisation.normalise(timeSeconds: t, perMinute: raw, speedMetresPerSecond: speedNow)
        if normalisation.isDecided && (!reportedUnitDecided || normalisation.unit != reportedUnit) {
            output(.event(.cadenceUnitDecided(normalisation.unit, atSeconds: t), detectedAtSeconds: t))
        }
        if normalisation.unit != reportedUnit {
            // The previous value, read in the other unit, is no reference for a jump.
            plausibility.reset()
        }
        reportedUnit = normalisation.unit
        reportedUnitDecided = normalisation.isDecided

        let verdict = plausibility.check(timeSeconds: t, stepsPerMinute: steps)
        if let jump = plausibility.rejectedJump {
            reject(.cadence, jump.timeSeconds, heldBackRaw, .impossibleJump, output, detectedAtSeconds: t)
            holdingBack = false
        }
        switch verdict {
        case .plausible: break
        case .nonFinite: return reject(.cadence, t, raw, .nonFinite, output)
        case .outOfRange: return reject(.cadence, t, raw, .outOfRange, output)
        case .heldBack:
            if holdingBack { counts.cadenceHeldBack += 1 }  // the earlier one stays unjudged
            holdingBack = true
            heldBackRaw = raw
            return
        }
        if holdingBack {
            // Confirmed by this value: a genuine fast change, used one value late.
            counts.cadenceHeldBack += 1
            holdingBack = false
        }
        rejectingCadence = false
        counts.cadenceAccepted += 1
        cadence = steps
        lastCadenceSeconds = t

        let gait = configuration.gait.classify(cadenceStepsPerMinute: steps, speedMetresPerSecond: isFresh(lastSpeedSeconds, at: t) ? speed : nil)
        if gait == .stopped {
            episodeCadenceSmoother.reset()
        } else {
            episodeCadenceSmoother.process(timeSeconds: t, value: steps)
        }
        if gait == .running { runningCadenceSmoother.process(timeSeconds: t, value: steps) }
        gaitBaseline.addCadence(timeSeconds: t, stepsPerMinute: steps, running: gait == .running)
        updateEpisodes(at: t, output)
    }

    /// A speed sample.
    ///
    /// - Parameters:
    ///   - timeSeconds: Session time of the sample.
    ///   - metresPerSecond: Running speed; negative or above `maximumSpeedMetresPerSecond` it
    ///     is rejected.
    ///   - output: Receives the snapshots due and any events.
    public mutating func speed(timeSeconds t: Double, metresPerSecond v: Double, _ output: (CardioGaitOutput) -> Void) {
        guard Self.isValidTime(t), t >= (receivedSpeedSeconds ?? -1) else {
            return reject(.speed, t, v, .invalidTime, output)
        }
        advance(toSeconds: t, output)
        receivedSpeedSeconds = t
        guard v.isFinite else { return reject(.speed, t, v, .nonFinite, output) }
        guard v >= 0 && v <= configuration.maximumSpeedMetresPerSecond else { return reject(.speed, t, v, .outOfRange, output) }
        rejectingSpeed = false
        counts.speedAccepted += 1
        speed = v
        lastSpeedSeconds = t

        let cadenceNow = isFresh(lastCadenceSeconds, at: t) ? cadence : nil
        let gait = configuration.gait.classify(cadenceStepsPerMinute: cadenceNow, speedMetresPerSecond: v)
        if v < configuration.gait.stoppedMaximumSpeedMetresPerSecond {
            episodeSpeedSmoother.reset()
        } else {
            episodeSpeedSmoother.process(timeSeconds: t, value: v)
        }
        if gait == .running { runningSpeedSmoother.process(timeSeconds: t, value: v) }
        gaitBaseline.addSpeed(timeSeconds: t, metresPerSecond: v, running: gait == .running)
        updateEpisodes(at: t, output)
    }

    // MARK: - Time

    /// Emits the snapshots due up to `timeSeconds` without adding a sample: for a stretch
    /// without samples, or the end of a session.
    ///
    /// - Parameters:
    ///   - timeSeconds: Session time reached; every snapshot at or before it that has not been
    ///     emitted is emitted now. Earlier times, NaN and times beyond `maximumTimeSeconds` do
    ///     nothing.
    ///   - output: Receives the snapshots.
    public mutating func advance(toSeconds t: Double, _ output: (CardioGaitOutput) -> Void) {
        guard Self.isValidTime(t) else { return }
        let interval = configuration.snapshotIntervalSeconds
        guard var k = nextSnapshotIndex else {
            // The first snapshot is the first multiple of the interval after the first sample.
            nextSnapshotIndex = Int((t / interval).rounded(.down)) + 1
            return
        }
        let last = Int((t / interval).rounded(.down))
        if last - k + 1 > Self.maximumCatchUpSnapshots {
            counts.skippedSnapshots += last - k
            k = last
        }
        while k <= last {
            output(.snapshot(snapshot(atSeconds: Double(k) * interval)))
            k += 1
        }
        nextSnapshotIndex = k
    }

    // MARK: - Private

    private static func isValidTime(_ t: Double) -> Bool { t >= 0 && t <= maximumTimeSeconds }

    private func isFresh(_ last: Double?, at t: Double) -> Bool {
        guard let last else { return false }
        return t - last <= configuration.staleAfterSeconds
    }

    private mutating func reject(
        _ channel: ChannelKind, _ t: Double, _ value: Double, _ reason: SampleRejection, _ output: (CardioGaitOutput) -> Void,
        detectedAtSeconds: Double? = nil
    ) {
        let first: Bool
        switch channel {
        case .hr:
            counts.heartRateRejected += 1
            first = !rejectingHeartRate
            rejectingHeartRate = true
        case .cadence:
            counts.cadenceRejected += 1
            first = !rejectingCadence
            rejectingCadence = true
        default:
            counts.speedRejected += 1
            first = !rejectingSpeed
            rejectingSpeed = true
        }
        if first {
            // An invalid time is reported at the tracker's own clock, the last time it trusted.
            let at = Self.isValidTime(t) ? t : 0
            output(.event(.implausibleSample(channel: channel, atSeconds: at, value: value, reason: reason), detectedAtSeconds: detectedAtSeconds ?? at))
        }
    }

    /// Feeds the stop, walk-break and surge conditions after a cadence or speed sample.
    private mutating func updateEpisodes(at t: Double, _ output: (CardioGaitOutput) -> Void) {
        let cadenceNow = isFresh(lastCadenceSeconds, at: t) ? cadence : nil
        let speedNow = isFresh(lastSpeedSeconds, at: t) ? speed : nil
        let gait = configuration.gait.classify(cadenceStepsPerMinute: cadenceNow, speedMetresPerSecond: speedNow)
        guard gait != .unknown else { return }
        let stopped = gait == .stopped
        // Walk and surge use the briefly smoothed signals, standing the raw ones.
        let smoothCadence = cadenceNow.flatMap { stopped ? $0 : episodeCadenceSmoother.value }
        let smoothSpeed = speedNow.flatMap { stopped ? $0 : episodeSpeedSmoother.value }
        let smoothGait = configuration.gait.classify(cadenceStepsPerMinute: smoothCadence, speedMetresPerSecond: smoothSpeed)

        var speedExcess: Double?
        var cadenceExcess: Double?
        if smoothGait == .running, !stopped, let base = gaitBaseline.baseline(atSeconds: t) {
            if let s = smoothSpeed, let b = base.speedMetresPerSecond { speedExcess = 100 * (s - b) / b }
            if let c = smoothCadence, let b = base.cadenceStepsPerMinute { cadenceExcess = 100 * (c - b) / b }
        }
        let surging = (speedExcess.map { $0 >= configuration.surgeSpeedExcessPercent } ?? false)
            || (cadenceExcess.map { $0 >= configuration.surgeCadenceExcessPercent } ?? false)

        if let change = stop.update(timeSeconds: t, holds: stopped) {
            switch change {
            case let .started(s): output(.event(.stopStarted(atSeconds: s), detectedAtSeconds: t))
            case let .ended(e, s): output(.event(.stopEnded(atSeconds: e, startSeconds: s), detectedAtSeconds: t))
            }
        }
        if let change = walkBreak.update(timeSeconds: t, holds: !stopped && smoothGait == .walking) {
            switch change {
            case let .started(s): output(.event(.walkBreakStarted(atSeconds: s), detectedAtSeconds: t))
            case let .ended(e, s): output(.event(.walkBreakEnded(atSeconds: e, startSeconds: s), detectedAtSeconds: t))
            }
        }
        if !surge.isPendingOrActive {
            peakSpeedExcessPercent = nil
            peakCadenceExcessPercent = nil
        }
        if surging {
            if let x = speedExcess { peakSpeedExcessPercent = max(peakSpeedExcessPercent ?? x, x) }
            if let x = cadenceExcess { peakCadenceExcessPercent = max(peakCadenceExcessPercent ?? x, x) }
        }
        if let change = surge.update(timeSeconds: t, holds: surging) {
            switch change {
            case let .started(s): output(.event(.surgeStarted(atSeconds: s), detectedAtSeconds: t))
            case let .ended(e, s):
                output(.event(.surgeEnded(
                    atSeconds: e, startSeconds: s, peakSpeedExcessPercent: peakSpeedExcessPercent,
                    peakCadenceExcessPercent: peakCadenceExcessPercent), detectedAtSeconds: t))
            }
        }
    }

    /// The snapshot at `t`, from the samples so far.
    private func snapshot(atSeconds t: Double) -> CardioGaitSnapshot {
        let heartRate = isFresh(lastHeartRateSeconds, at: t) ? heartRateSmoother.value : nil
        let cadenceNow = isFresh(lastCadenceSeconds, at: t) ? cadence : nil
        let speedNow = isFresh(lastSpeedSeconds, at: t) ? speed : nil
        let gait = configuration.gait.classify(cadenceStepsPerMinute: cadenceNow, speedMetresPerSecond: speedNow)
        let runningCadence = gait == .running && cadenceNow != nil ? runningCadenceSmoother.value : nil
        let runningSpeed = gait == .running && speedNow != nil ? runningSpeedSmoother.value : nil
        let baseline = gaitBaseline.baseline(atSeconds: t)

        var drift: CardiacDrift?
        if let heartRate, let runningCadence {
            drift = driftTracker.drift(
                atSeconds: t, heartRateBeatsPerMinute: heartRate, cadenceStepsPerMinute: runningCadence, speedMetresPerSecond: runningSpeed)
        }
        var sag: CadenceSag?
        if let runningCadence, let b = baseline?.cadenceStepsPerMinute {
            sag = CadenceSag(currentStepsPerMinute: runningCadence, baselineStepsPerMinute: b)
        }
        var alpha = dfaTracker.latest
        if alpha?.isReliable != true || !isFresh(lastRRSeconds, at: t) { alpha = nil }

        return CardioGaitSnapshot(
            timeSeconds: t,
            heartRateBeatsPerMinute: heartRate,
            cardiacDrift: drift,
            aerobicDecoupling: decouplingTracker.decoupling(),
            dfaAlpha1: alpha,
            rrIntervals: rrFilter.counts,
            gait: gait,
            cadenceStepsPerMinute: cadenceNow,
            runningCadenceStepsPerMinute: runningCadence,
            speedMetresPerSecond: speedNow,
            cadenceUnit: normalisation.unit,
            isCadenceUnitDecided: normalisation.isDecided,
            baseline: baseline,
            cadenceSag: sag,
            isSurging: surge.isActive,
            isWalkBreak: walkBreak.isActive,
            isStopped: stop.isActive,
            samples: counts)
    }
}
