// SPDX-License-Identifier: MIT
import CrampCore
import RealModule

// MARK: - Drawing a plan from scenario, seed and duration

extension SessionPlan {
    /// Draws the plan of a session. Every random choice comes from the plan's own stream in a
    /// fixed order, so the plan depends only on scenario, seed and duration (not on the EMG
    /// rate or the sites).
    init(scenario: Scenario, seed: UInt64, durationSeconds: Int) {
        var rng = SplitMix64.stream(seed: seed, id: 1)
        let total = Double(durationSeconds)
        let family = scenario.family

        var runner = RunnerProfile(
            pace: rng.uniform(2.7...3.4),
            cadence: rng.uniform(165...180),
            walkSpeed: rng.uniform(1.3...1.6),
            walkCadence: rng.uniform(110...120),
            hrStart: rng.uniform(75...95),
            hrStand: rng.uniform(85...100),
            hrPace: rng.uniform(140...155),
            hrMax: rng.uniform(185...198),
            heatOffset: 0,
            driftPerMinute: rng.uniform(0.10...0.20),
            hrTauUp: rng.uniform(25...40),
            hrTauDown: rng.uniform(45...70),
            cadenceSag: rng.uniform(0.02...0.04),
            speedSag: rng.uniform(0.03...0.06),
            warmUpSeconds: clamp(0.08 * total, 45...600),
            conductionDrop: 0,
            rmsRise: 0
        )
        switch family {
        case .longFatigue:
            runner.conductionDrop = rng.uniform(0.20...0.26)
            runner.rmsRise = rng.uniform(0.32...0.40)
            runner.cadenceSag = rng.uniform(0.03...0.05)
            runner.speedSag = rng.uniform(0.05...0.08)
        case .hotRun:
            runner.conductionDrop = rng.uniform(0.15...0.20)
            runner.rmsRise = rng.uniform(0.22...0.32)
            runner.heatOffset = rng.uniform(4...8)
            runner.driftPerMinute = rng.uniform(0.35...0.50)
            runner.speedSag = rng.uniform(0.06...0.10)
            runner.pace *= 0.95
        case .intervals:
            runner.conductionDrop = rng.uniform(0.15...0.20)
            runner.rmsRise = rng.uniform(0.22...0.32)
        case .calfCramp, .hamstringCramp, .surgeCramp, .twoCramps, .bilateralCramp:
            runner.conductionDrop = rng.uniform(0.17...0.24)
            runner.rmsRise = rng.uniform(0.25...0.35)
        case .mainsArtifact, .motionArtifact, .deadElectrode, .saturation, .dropout:
            runner.conductionDrop = rng.uniform(0.14...0.18)
            runner.rmsRise = rng.uniform(0.20...0.26)
        }
        self.init(durationSeconds: durationSeconds, runner: runner)

        var notes = AnnotationList()
        let warmUpEnd = runner.warmUpSeconds

        switch family {
        case .calfCramp, .hamstringCramp:
            let site: MuscleSite = family == .calfCramp ? .gastroc : .hamstring
            let side: BodySide = rng.chance(0.5) ? .left : .right
            let onset = min(total * rng.uniform(0.80...0.90), total - 40)
            let cramp = drawCramp(&rng, site, side, onset: onset, earliest: warmUpEnd + 10, latestEnd: total - 10)
            addCramps([cramp], resumeForced: false, &rng, &notes)

        case .surgeCramp:
            let length = clamp(total * rng.uniform(0.03...0.05), 60...240)
            // Early enough that the cramp (≥ 40 s after the surge) still falls by 88 %.
            let start = min(total * rng.uniform(0.62...0.70), 0.88 * total - 40 - length)
            let surge = PaceModifier(start: start, end: start + length, speed: rng.uniform(1.15...1.25), cadence: rng.uniform(1.04...1.08))
            modifiers.append(surge)
            notes.add(surge.start, surge.end - surge.start, "surge")
            let side: BodySide = rng.chance(0.5) ? .left : .right
            let drawn = total * rng.uniform(0.80...0.88)
            let onset = min(max(drawn, surge.end + 40), total - 40)
            let cramp = drawCramp(&rng, .gastroc, side, onset: onset, earliest: warmUpEnd + 10, latestEnd: total - 10)
            addCramps([cramp], resumeForced: false, &rng, &notes)

        case .twoCramps:
            let firstSide: BodySide = rng.chance(0.5) ? .left : .right
            let secondSide: BodySide = rng.chance(0.5) ? firstSide : firstSide.opposite
            let onset1 = total * rng.uniform(0.50...0.60)
            let onset2 = min(total * rng.uniform(0.84...0.90), total - 40)
            var stretch = rng.uniform(20...60)
            var walk = rng.uniform(30...90)
            // Room between the first onset and the second prodrome (≥ 30 s) plus 20 s running.
            let room = onset2 - 50 - onset1
            if room - stretch - walk < 30 {
                let scale = max(0, room - 30 - 35) / max(1, stretch + walk - 35)
                stretch = 15 + (stretch - 15) * min(1, scale)
                walk = 20 + (walk - 20) * min(1, scale)
            }
            let first = drawCramp(&rng, .gastroc, firstSide, onset: onset1, earliest: warmUpEnd + 10, latestEnd: onset1 + room - stretch - walk)
            let runAgain = addCramps([first], resumeForced: true, stretch: stretch, walk: walk, &rng, &notes)
            let second = drawCramp(&rng, .gastroc, secondSide, onset: onset2, earliest: runAgain + 10, latestEnd: total - 10)
            addCramps([second], resumeForced: false, &rng, &notes)

        case .bilateralCramp:
            let firstSide: BodySide = rng.chance(0.5) ? .left : .right
            let onset1 = min(total * rng.uniform(0.80...0.88), total - 55)
            let onset2 = onset1 + rng.uniform(2...15)
            let a = drawCramp(&rng, .gastroc, firstSide, onset: onset1, earliest: warmUpEnd + 10, latestEnd: total - 10)
            let b = drawCramp(&rng, .gastroc, firstSide.opposite, onset: onset2, earliest: warmUpEnd + 10, latestEnd: total - 10)
            addCramps([a, b], resumeForced: false, &rng, &notes)

        case .longFatigue:
            let fractions: [ClosedRange<Double>] = total >= 600 ? [0.72...0.78, 0.84...0.88] : [0.80...0.86]
            for f in fractions {
                let start = total * rng.uniform(f)
                let length = clamp(rng.uniform(60...120), 20...max(20, 0.04 * total))
                walks.append(TimeSpan(start: start, end: start + length))
                notes.add(start, length, "walk break")
            }

        case .hotRun:
            let start = total * rng.uniform(0.80...0.86)
            let length = clamp(rng.uniform(60...120), 20...max(20, 0.05 * total))
            walks.append(TimeSpan(start: start, end: start + length))
            notes.add(start, length, "walk break")

        case .intervals:
            let blockStart = 0.15 * total
            let block = 0.70 * total
            let reps = Int(clamp((block / 300).rounded(), 2...10))
            let period = block / Double(reps)
            let work = period * rng.uniform(0.50...0.60)
            let workSpeed = rng.uniform(1.22...1.32)
            let workCadence = rng.uniform(1.05...1.09)
            let restSpeed = rng.uniform(0.70...0.80)
            for i in 0..<reps {
                let start = blockStart + Double(i) * period
                modifiers.append(PaceModifier(start: start, end: start + work, speed: workSpeed, cadence: workCadence))
                modifiers.append(PaceModifier(start: start + work, end: start + period, speed: restSpeed, cadence: 0.96))
                notes.add(start, work, "interval")
            }
            modifiers.append(PaceModifier(start: blockStart + block, end: total + 1, speed: 0.85, cadence: 0.98))

        case .mainsArtifact, .motionArtifact, .deadElectrode, .saturation, .dropout:
            let sites: [MuscleSite] = [.gastroc, .soleus, .tibialis, .hamstring]
            let channel = ChannelDescriptor.emg(sites[rng.index(sites.count)], rng.chance(0.5) ? .left : .right)
            switch family {
            case .mainsArtifact:
                let frequency = (rng.chance(0.5) ? 50.0 : 60.0) + rng.uniform(-0.05...0.05)
                let amplitude = rng.uniform(30...100)
                let start = total * rng.uniform(0.2...0.4)
                let length = total * rng.uniform(0.2...0.4)
                artifacts.append(ArtifactPlan(kind: .mains, channel: nil, start: start, duration: length, amplitude: amplitude, frequency: frequency, timeConstant: 0))
            case .motionArtifact:
                let amplitude = rng.uniform(500...2000)
                let start = total * rng.uniform(0.2...0.5)
                let length = clamp(total * rng.uniform(0.1...0.2), 10...300)
                artifacts.append(ArtifactPlan(kind: .motion, channel: channel, start: start, duration: length, amplitude: amplitude, timeConstant: rng.uniform(0.008...0.020)))
            case .deadElectrode:
                let start = total * rng.uniform(0.3...0.6)
                let length = total * rng.uniform(0.1...0.3)
                artifacts.append(ArtifactPlan(kind: .dead, channel: channel, start: start, duration: length, amplitude: 0, frequency: 0, timeConstant: 0))
            case .saturation:
                let start = total * rng.uniform(0.3...0.6)
                let length = rng.uniform(3...20)
                let sign = rng.chance(0.5) ? 1.0 : -1.0
                artifacts.append(ArtifactPlan(kind: .saturation, channel: channel, start: start, duration: length, amplitude: sign * rng.uniform(5500...7500), frequency: 0, timeConstant: 0))
            default:
                let count = 4
                let slot = 0.8 * total / Double(count)
                for i in 0..<count {
                    let start = 0.1 * total + slot * (Double(i) + rng.uniform(0.1...0.7))
                    let length = rng.uniform(0.2...3.0)
                    let all = rng.chance(0.3)
                    artifacts.append(ArtifactPlan(kind: .dropout, channel: all ? nil : channel, start: start, duration: length, amplitude: 0, frequency: 0, timeConstant: 0))
                }
            }
            for i in artifacts.indices {
                artifacts[i].start = roundMillis(artifacts[i].start)
                artifacts[i].duration = roundMillis(artifacts[i].duration)
                let a = artifacts[i]
                var text = "artifact \(a.kind.rawValue)"
                if let c = a.channel, let site = c.site, let side = c.side { text += " \(site.rawValue) \(side.rawValue)" }
                notes.add(a.start, a.duration, text)
            }
        }
        annotations = notes.sorted()
    }

    /// Draws one cramp at `onset` with its prodrome (30–120 s, starting no earlier than
    /// `earliest`) and duration (30–150 s, ending no later than `latestEnd`).
    private func drawCramp(
        _ rng: inout SplitMix64, _ site: MuscleSite, _ side: BodySide,
        onset: Double, earliest: Double, latestEnd: Double
    ) -> CrampPlan {
        let prodrome = clamp(rng.uniform(30...120), 30...max(30, onset - earliest))
        let duration = clamp(rng.uniform(30...150), 30...max(30, latestEnd - onset))
        let felt = rng.uniform(0.5...0.8)
        let start = roundMillis(onset - prodrome)
        return CrampPlan(
            site: site, side: side,
            prodromeStart: start,
            tightness: roundMillis(min(start + felt * prodrome, onset - 5)),
            onset: roundMillis(onset),
            duration: roundMillis(duration),
            baselineGain: rng.uniform(3.0...6.0),
            twitchRate: rng.uniform(0.8...2.0),
            twitchAmplitude: rng.uniform(60...200),
            activityAmplitude: rng.uniform(150...300),
            riseSeconds: rng.uniform(1...3)
        )
    }

    /// Adds cramps that share one stop, the runner's easing off after feeling the tightness,
    /// and what follows: a stretch, then either a walk and easy running ("resumes slowly") or
    /// walking to the end. Returns when the runner runs again (or the session's end).
    @discardableResult
    private mutating func addCramps(
        _ group: [CrampPlan], resumeForced: Bool, stretch: Double? = nil, walk: Double? = nil,
        _ rng: inout SplitMix64, _ notes: inout AnnotationList
    ) -> Double {
        let total = Double(durationSeconds)
        let stretchSeconds = stretch ?? rng.uniform(20...60)
        let walkSeconds = walk ?? rng.uniform(30...90)
        let resumes = resumeForced || rng.chance(0.75)
        let easy = rng.uniform(0.80...0.90)
        for c in group {
            cramps.append(c)
            notes.add(c.prodromeStart, c.onset - c.prodromeStart, "prodrome \(c.site.rawValue) \(c.side.rawValue)")
            notes.add(c.tightness, nil, GroundTruth.tightness(c.site, c.side).text)
            notes.add(c.onset, nil, GroundTruth.crampOnset(c.site, c.side).text)
            notes.add(c.end, nil, GroundTruth.crampEnd(c.site, c.side).text)
        }
        let firstFelt = group.map(\.tightness).min()!
        let stopStart = group.map(\.onset).min()!
        let stopEnd = min(roundMillis(group.map(\.end).max()! + stretchSeconds), total)
        modifiers.append(PaceModifier(start: firstFelt, end: stopStart, speed: 0.97, cadence: 0.99))
        stops.append(TimeSpan(start: stopStart, end: stopEnd))
        notes.add(stopStart, stopEnd - stopStart, "stop")
        let left = total - stopEnd
        if resumes && left >= 90 {
            let walkEnd = roundMillis(stopEnd + min(walkSeconds, left - 30))
            walks.append(TimeSpan(start: stopEnd, end: walkEnd))
            notes.add(stopEnd, walkEnd - stopEnd, "walk break")
            modifiers.append(PaceModifier(start: walkEnd, end: total + 1, speed: easy, cadence: 0.97))
            return walkEnd
        } else if left > 10 {
            walks.append(TimeSpan(start: stopEnd, end: total + 1))
            notes.add(stopEnd, left, "walk break")
        }
        return total
    }
}

/// Rounds a time to whole milliseconds (annotation onsets are written with 1 ms resolution).
func roundMillis(_ t: Double) -> Double { (t * 1000).rounded() / 1000 }

/// Annotations collected in plan order and sorted stably by onset.
struct AnnotationList {
    private var items: [Annotation] = []

    mutating func add(_ onset: Double, _ duration: Double?, _ text: String) {
        items.append(Annotation(onsetSeconds: roundMillis(onset), durationSeconds: duration.map(roundMillis), text: text))
    }

    func sorted() -> [Annotation] {
        items.enumerated()
            .sorted { ($0.element.onsetSeconds, $0.offset) < ($1.element.onsetSeconds, $1.offset) }
            .map(\.element)
    }
}
