// SPDX-License-Identifier: MIT
import CrampCore
import Foundation

/// One input sample for `CardioGaitTracker`, for building sessions in tests.
struct CardioGaitSample: Hashable {
    enum Kind: Hashable { case hr, rr, cadence, speed }
    var kind: Kind
    var timeSeconds: Double
    var value: Double
}

/// What a tracker produced for a whole input.
struct CardioGaitRecording: Equatable {
    var outputs: [CardioGaitOutput] = []

    var snapshots: [CardioGaitSnapshot] {
        outputs.compactMap { if case let .snapshot(s) = $0 { s } else { nil } }
    }

    var events: [CardioGaitEvent] {
        outputs.compactMap { if case let .event(e, _) = $0 { e } else { nil } }
    }

    var detected: [(event: CardioGaitEvent, atSeconds: Double)] {
        outputs.compactMap { if case let .event(e, t) = $0 { (e, t) } else { nil } }
    }

    func snapshot(at t: Double) -> CardioGaitSnapshot? { snapshots.first { abs($0.timeSeconds - t) < 1e-9 } }
}

extension CardioGaitTracker {
    /// Feeds `samples` (in order) and then advances to `endSeconds`, recording every output.
    mutating func record(_ samples: [CardioGaitSample], endSeconds: Double? = nil) -> CardioGaitRecording {
        var recording = CardioGaitRecording()
        for s in samples {
            switch s.kind {
            case .hr: hr(timeSeconds: s.timeSeconds, beatsPerMinute: s.value) { recording.outputs.append($0) }
            case .rr: rr(timeSeconds: s.timeSeconds, milliseconds: s.value) { recording.outputs.append($0) }
            case .cadence: cadence(timeSeconds: s.timeSeconds, perMinute: s.value) { recording.outputs.append($0) }
            case .speed: speed(timeSeconds: s.timeSeconds, metresPerSecond: s.value) { recording.outputs.append($0) }
            }
        }
        if let endSeconds { advance(toSeconds: endSeconds) { recording.outputs.append($0) } }
        return recording
    }
}

/// A synthetic one-hour run with known episodes, sampled at 1 Hz (HR, cadence, speed) plus
/// every RR interval:
///
/// | time (s) | what | cadence (steps/min) | speed (m/s) |
/// |---|---|---|---|
/// | 0–300 | warm-up run | 165 | 2.8 |
/// | 300–1800 | steady run | 170 ± 1 | 3.0 |
/// | 1800–1860 | surge | 180 (+5.9 %) | 3.6 (+20 %) |
/// | 1860–2400 | steady run | 170 | 3.0 |
/// | 2400–2460 | walk break | 115 | 1.5 |
/// | 2460–2700 | steady run | 170 | 3.0 |
/// | 2700–2730 | stop | 0 | 0 |
/// | 2730–3000 | steady run | 170 | 3.0 |
/// | 3000–3600 | sagging run | 170 → 160 | 3.0 → 2.85 |
///
/// Heart rate: 100 + 15·speed (m/s) + 10 bpm/h of drift, following its target with a 20 s
/// lag, plus a little noise. The HR sample at second k carries the value at k.
enum SyntheticRun {
    static func cadence(_ t: Double) -> Double {
        switch t {
        case ..<300: 165
        case 1800..<1860: 180
        case 2400..<2460: 115
        case 2700..<2730: 0
        case 3000...: 170 - 10 * (t - 3000) / 600
        default: 170
        }
    }

    static func speed(_ t: Double) -> Double {
        switch t {
        case ..<300: 2.8
        case 1800..<1860: 3.6
        case 2400..<2460: 1.5
        case 2700..<2730: 0
        case 3000...: 3.0 - 0.15 * (t - 3000) / 600
        default: 3.0
        }
    }

    static func samples(seconds: Int = 3600, seed: UInt64 = 1, cadenceScale: Double = 1, withRR: Bool = true) -> [CardioGaitSample] {
        var rng = TestRandom(seed: seed)
        var out: [CardioGaitSample] = []
        var hr = 90.0
        var nextBeat = 0.0
        for k in 0..<seconds {
            let t = Double(k)
            let target = 100 + 15 * speed(t) + 10 * t / 3600
            hr += (target - hr) * (1 - exp(-1 / 20))
            // RR intervals of the beats in this second, from the current heart rate.
            if withRR {
                while nextBeat < t + 1 {
                    let rr = 60000 / hr + 4 * rng.gaussian()
                    nextBeat += rr / 1000
                    if nextBeat >= t { out.append(.init(kind: .rr, timeSeconds: nextBeat, value: rr.rounded())) }
                }
            }
            out.append(.init(kind: .hr, timeSeconds: t, value: (hr + 0.5 * rng.gaussian()).rounded()))
            let c = cadence(t)
            out.append(.init(kind: .cadence, timeSeconds: t + 0.25, value: c == 0 ? 0 : (c + rng.gaussian()) / cadenceScale))
            let v = speed(t)
            out.append(.init(kind: .speed, timeSeconds: t + 0.5, value: v == 0 ? 0 : v * (1 + 0.01 * rng.gaussian())))
        }
        return out.sorted { $0.timeSeconds < $1.timeSeconds }
    }
}
