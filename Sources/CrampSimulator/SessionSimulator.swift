// SPDX-License-Identifier: MIT
import CrampCore
import RealModule

/// Generates a simulated running session, one 1-s data record at a time.
///
/// The session is planned once from the scenario, the seed and the duration (see
/// docs/SIMULATOR.md); then ``nextRecord(into:)`` produces each record's samples for every
/// signal, in physical units, and the ground-truth annotations whose onset falls in that
/// record. Memory does not grow with the session's length, and the same scenario, seed,
/// duration, rate and sites give the same samples, bit for bit, on the same platform.
///
/// ```swift
/// var sim = try SessionSimulator(scenario: Scenario.named("calf-cramp"), seed: 1)
/// var buffers: [[Float]] = []
/// while let notes = sim.nextRecord(into: &buffers) { write(buffers, notes) }
/// ```
public struct SessionSimulator: Sendable {
    /// The EMG sites used when none are given.
    public static let defaultSites: [MuscleSite] = [.gastroc, .soleus, .tibialis, .hamstring]
    /// Accepted EMG sample rates, Hz.
    public static let emgRateRange = 1000...4000
    /// Longest session, s (24 h).
    public static let maximumDurationSeconds = 86_400

    public let scenario: Scenario
    public let seed: UInt64
    public let durationSeconds: Int
    public let emgRate: Hertz
    /// The signals in record order: EMG (site order gastroc, soleus, tibialis, hamstring, quad;
    /// left then right), then `HR`, `Cadence`, `Speed`.
    public let signals: [SimulatedSignal]
    /// Every annotation of the session, sorted by onset (ground truth and context).
    public var annotations: [Annotation] { plan.annotations }
    /// Number of 1-s data records (the duration in seconds).
    public var recordCount: Int { durationSeconds }
    /// Records produced so far.
    public private(set) var recordsGenerated = 0

    /// A token naming the scenario and seed, with no spaces, for the EDF+ recording field:
    /// `crampd-simulate_calf-cramp_seed1`.
    public var recordingTag: String { "crampd-simulate_\(scenario.name)_seed\(seed)" }

    private let plan: SessionPlan
    private var body: BodyModel
    private var channels: [EMGChannel]
    private let sampleRate: Int
    private var nextAnnotation = 0
    // Per-record scratch, allocated once.
    private var phases: [Double]
    private var leftContacts: [Int] = []
    private var rightContacts: [Int] = []
    private var quarters: [QuarterState]

    /// Plans a session.
    ///
    /// - Parameters:
    ///   - scenario: What happens in the session (``Scenario/all``).
    ///   - seed: Any value; the same seed gives the same session.
    ///   - durationSeconds: Session length in whole seconds; the scenario's default if `nil`.
    ///     Event times scale with it; physiological durations (prodrome, cramp) do not.
    ///   - emgRate: EMG sample rate, a whole number of hertz in 1000…4000.
    ///   - sites: EMG sites, each recorded left and right; ``defaultSites`` if `nil`. The
    ///     cramping muscle and any artifact electrode of the scenario are always included.
    /// - Throws: ``SimulationError`` for a duration too short for the scenario or too long, a
    ///   rate out of range or an empty site list.
    public init(
        scenario: Scenario, seed: UInt64, durationSeconds: Int? = nil,
        emgRate: Hertz = Hertz(2000), sites: [MuscleSite]? = nil
    ) throws(SimulationError) {
        let duration = durationSeconds ?? scenario.defaultDurationSeconds
        guard duration >= scenario.minimumDurationSeconds else {
            throw .durationTooShort(scenario: scenario.name, seconds: duration, minimumSeconds: scenario.minimumDurationSeconds)
        }
        guard duration <= Self.maximumDurationSeconds else {
            throw .durationTooLong(seconds: duration, maximumSeconds: Self.maximumDurationSeconds)
        }
        guard emgRate.value == emgRate.value.rounded(), emgRate.value >= Double(Self.emgRateRange.lowerBound),
              emgRate.value <= Double(Self.emgRateRange.upperBound) else {
            throw .sampleRateOutOfRange(emgRate)
        }
        if let sites, sites.isEmpty { throw .noSites }

        self.scenario = scenario
        self.seed = seed
        self.durationSeconds = duration
        self.emgRate = emgRate
        sampleRate = Int(emgRate.value)
        plan = SessionPlan(scenario: scenario, seed: seed, durationSeconds: duration)
        body = BodyModel(runner: plan.runner, seed: seed)

        let wanted = Set((sites ?? Self.defaultSites) + plan.requiredChannels.compactMap(\.site))
        var channels: [EMGChannel] = []
        for site in MuscleSite.allCases where wanted.contains(site) {
            for side in [BodySide.left, .right] {
                channels.append(EMGChannel(site: site, side: side, plan: plan, seed: seed, sampleRate: sampleRate))
            }
        }
        self.channels = channels

        let emgSignals = channels.map {
            SimulatedSignal(
                descriptor: $0.descriptor, unit: ChannelKind.emg.canonicalUnit, sampleRate: emgRate,
                physicalMinimum: -5000, physicalMaximum: 5000,
                transducer: "simulated bipolar surface EMG (AgAgCl)", prefiltering: "none (simulated)")
        }
        let slow = Hertz(Double(BodyModel.controlRate))
        signals = emgSignals + [
            SimulatedSignal(
                descriptor: .heartRate, unit: ChannelKind.hr.canonicalUnit, sampleRate: slow,
                physicalMinimum: 0, physicalMaximum: 250,
                transducer: "simulated chest strap", prefiltering: "none (simulated)"),
            SimulatedSignal(
                descriptor: .cadence, unit: ChannelKind.cadence.canonicalUnit, sampleRate: slow,
                physicalMinimum: 0, physicalMaximum: 250,
                transducer: "simulated foot pod", prefiltering: "none (simulated)"),
            SimulatedSignal(
                descriptor: .speed, unit: ChannelKind.speed.canonicalUnit, sampleRate: slow,
                physicalMinimum: 0, physicalMaximum: 10,
                transducer: "simulated foot pod", prefiltering: "none (simulated)"),
        ]
        phases = [Double](repeating: 0, count: sampleRate)
        leftContacts.reserveCapacity(16)
        rightContacts.reserveCapacity(16)
        quarters = [QuarterState](repeating: QuarterState(), count: BodyModel.controlRate)
    }

    /// Produces the next 1-s data record.
    ///
    /// - Parameter buffers: One array per signal (``signals`` order), filled with
    ///   ``SimulatedSignal/samplesPerRecord`` samples in physical units. Pass the same arrays
    ///   on every call: they are (re)allocated only when their shape is wrong, so after the
    ///   first call nothing is allocated.
    /// - Returns: The annotations whose onset lies in this record, or `nil` when the session
    ///   is complete (the buffers are then left untouched).
    public mutating func nextRecord(into buffers: inout [[Float]]) -> [Annotation]? {
        guard recordsGenerated < recordCount else { return nil }
        if buffers.count != signals.count || zip(buffers, signals).contains(where: { $0.count != $1.samplesPerRecord }) {
            buffers = signals.map { [Float](repeating: 0, count: $0.samplesPerRecord) }
        }
        let record = recordsGenerated
        let plan = self.plan
        let fs = sampleRate
        let emgCount = channels.count
        let (hrIndex, cadenceIndex, speedIndex) = (emgCount, emgCount + 1, emgCount + 2)

        // Body and gait, a quarter of a second at a time.
        leftContacts.removeAll(keepingCapacity: true)
        rightContacts.removeAll(keepingCapacity: true)
        var phases: [Double] = []
        swap(&phases, &self.phases)
        phases.withUnsafeMutableBufferPointer { phasePointer in
            for q in 0..<BodyModel.controlRate {
                let t = Double(record) + Double(q) * BodyModel.controlStep
                let reading = body.tick(at: t, plan: plan)
                buffers[hrIndex][q] = Float(reading.hr)
                buffers[cadenceIndex][q] = Float(reading.cadence)
                buffers[speedIndex][q] = Float(reading.speed)
                quarters[q] = reading.quarter
                let range = (q * fs / BodyModel.controlRate)..<((q + 1) * fs / BodyModel.controlRate)
                body.advanceGait(range, sampleRate: Double(fs), phases: phasePointer,
                                 leftContacts: &leftContacts, rightContacts: &rightContacts)
            }
        }

        // EMG.
        let quarterStates = self.quarters
        phases.withUnsafeBufferPointer { phasePointer in
            for c in 0..<emgCount {
                let contacts = channels[c].side == .left ? leftContacts : rightContacts
                buffers[c].withUnsafeMutableBufferPointer { out in
                    channels[c].render(record: record, sampleRate: fs, plan: plan, quarters: quarterStates,
                                       phases: phasePointer, contacts: contacts, out: out)
                }
            }
            addMains(record: record, buffers: &buffers)
            for c in 0..<emgCount {
                buffers[c].withUnsafeMutableBufferPointer { out in
                    channels[c].applyArtifacts(record: record, sampleRate: fs, phases: phasePointer, out: out)
                }
            }
        }
        swap(&phases, &self.phases)

        // Annotations starting in this record.
        var notes: [Annotation] = []
        let end = Double(record + 1)
        while nextAnnotation < plan.annotations.count, plan.annotations[nextAnnotation].onsetSeconds < end {
            notes.append(plan.annotations[nextAnnotation])
            nextAnnotation += 1
        }
        recordsGenerated += 1
        return notes
    }

    /// Adds mains interference (fundamental, 3rd and 5th harmonics) to every EMG channel,
    /// each with its own coupling (electrode impedance mismatch).
    private func addMains(record: Int, buffers: inout [[Float]]) {
        let recordStart = Double(record)
        let fs = sampleRate
        for a in plan.artifacts where a.kind == .mains && a.start < recordStart + 1 && a.end > recordStart {
            let range = sampleRange(a, recordStart: recordStart, sampleRate: fs)
            guard !range.isEmpty else { continue }
            // A rotating phasor from the absolute phase at the range start: no libm per sample.
            let theta0 = 2 * .pi * a.frequency * (recordStart + Double(range.lowerBound) / Double(fs))
            let step = 2 * .pi * a.frequency / Double(fs)
            let (cs, sn) = (Double.cos(step), Double.sin(step))
            for c in channels.indices {
                let gain = a.amplitude * channels[c].mainsCoupling
                var (x, y) = (Double.cos(theta0), Double.sin(theta0))
                buffers[c].withUnsafeMutableBufferPointer { out in
                    for i in range {
                        let x2 = x * x
                        let third = x * (4 * x2 - 3)
                        let fifth = x * (16 * x2 * x2 - 20 * x2 + 5)
                        out[i] += Float(gain * (x + 0.3 * third + 0.1 * fifth))
                        (x, y) = (x * cs - y * sn, y * cs + x * sn)
                    }
                }
            }
        }
    }
}
