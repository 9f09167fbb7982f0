// SPDX-License-Identifier: MIT
import CrampCore
import RealModule

// MARK: - Gait-locked activation
//
// Each muscle's activation over one stride is a sum of smooth bumps (a rising and a falling
// half-cosine) on the gait phase, 0 at the ipsilateral foot contact and 1 at the next. The
// timings follow the running EMG patterns of Cappellini et al. (2006) and the review of
// Novacheck (1998), and for walking Perry (1992); the exact bump edges are a modelling choice
// (docs/SIMULATOR.md, "Gait-locked activation").

/// One bump of activation: rises from `start` to `peak`, falls to `end` (phases; may extend
/// below 0 or above 1, it wraps), scaled by `amplitude`.
struct ActivationBump: Sendable {
    var start: Double
    var peak: Double
    var end: Double
    var amplitude: Double

    func value(at phase: Double) -> Double {
        for x in [phase - 1, phase, phase + 1] where x > start && x < end {
            if x <= peak { return amplitude * (0.5 - 0.5 * Double.cos(.pi * (x - start) / (peak - start))) }
            return amplitude * (0.5 + 0.5 * Double.cos(.pi * (x - peak) / (end - peak)))
        }
        return 0
    }
}

/// Activation envelopes (0…1) of one muscle over the stride, as lookup tables, for running
/// and walking, and the muscle's longest silent window when running (where twitches go).
struct GaitPattern: Sendable {
    /// Table size; one extra entry repeats the first so interpolation needs no wrap test.
    static let size = 512
    var running: [Double]
    var walking: [Double]
    /// Phase at which the silent window between two running bursts starts, and its length.
    var gapStart: Double
    var gapLength: Double

    init(site: MuscleSite) {
        let (run, walk) = Self.bumps(site)
        func table(_ bumps: [ActivationBump]) -> [Double] {
            (0...Self.size).map { i in
                let phase = Double(i % Self.size) / Double(Self.size)
                return min(1, bumps.reduce(0) { $0 + $1.value(at: phase) })
            }
        }
        running = table(run)
        walking = table(walk)
        // Longest circular run of silent entries in the running table.
        var bestStart = 0, bestLength = 0, runStart = 0, runLength = 0
        for i in 0..<(2 * Self.size) {
            if running[i % Self.size] < 1e-9 {
                if runLength == 0 { runStart = i }
                runLength += 1
                if runLength > bestLength && runLength <= Self.size { bestLength = runLength; bestStart = runStart }
            } else {
                runLength = 0
            }
        }
        gapStart = Double(bestStart % Self.size) / Double(Self.size)
        gapLength = Double(bestLength) / Double(Self.size)
    }

    /// Bump timings per site (phase from ipsilateral foot contact; stance ends near 0.38 when
    /// running and 0.62 when walking). Walking amplitudes are relative to running bursts.
    static func bumps(_ site: MuscleSite) -> (running: [ActivationBump], walking: [ActivationBump]) {
        switch site {
        case .gastroc:
            // Late swing through mid stance (pre-activation before contact, off before toe-off).
            ([ActivationBump(start: -0.12, peak: 0.08, end: 0.32, amplitude: 1)],
             [ActivationBump(start: 0.10, peak: 0.42, end: 0.58, amplitude: 0.35)])
        case .soleus:
            ([ActivationBump(start: -0.08, peak: 0.12, end: 0.36, amplitude: 1)],
             [ActivationBump(start: 0.05, peak: 0.40, end: 0.58, amplitude: 0.40)])
        case .tibialis:
            // Around foot contact (late swing, loading) and a smaller burst in early swing.
            ([ActivationBump(start: -0.20, peak: -0.02, end: 0.10, amplitude: 1),
              ActivationBump(start: 0.40, peak: 0.50, end: 0.62, amplitude: 0.5)],
             [ActivationBump(start: -0.08, peak: 0.02, end: 0.12, amplitude: 0.45),
              ActivationBump(start: 0.60, peak: 0.70, end: 0.85, amplitude: 0.30)])
        case .hamstring:
            // Late swing (decelerating the shank) into early stance.
            ([ActivationBump(start: 0.65, peak: 0.88, end: 1.08, amplitude: 1)],
             [ActivationBump(start: 0.75, peak: 0.93, end: 1.08, amplitude: 0.30)])
        case .quad:
            // Late swing into the loading phase.
            ([ActivationBump(start: -0.15, peak: 0.05, end: 0.22, amplitude: 1)],
             [ActivationBump(start: -0.05, peak: 0.05, end: 0.18, amplitude: 0.30)])
        }
    }

    /// Typical peak burst RMS when running at the planned pace, µV (modelling choice).
    static func burstRMS(_ site: MuscleSite) -> Double {
        switch site {
        case .gastroc: 300
        case .soleus: 250
        case .tibialis: 220
        case .hamstring: 180
        case .quad: 200
        }
    }

    /// How strongly the site fatigues relative to the most fatigued muscle (modelling choice:
    /// the calf and hamstring carry the propulsive load; DESIGN.md).
    static func fatigueWeight(_ site: MuscleSite) -> Double {
        switch site {
        case .gastroc: 1.0
        case .soleus, .hamstring: 0.9
        case .quad: 0.8
        case .tibialis: 0.6
        }
    }
}

/// The muscle whose electrode picks up a spreading cramp of `site` (the other calf head).
func synergist(of site: MuscleSite) -> MuscleSite? {
    switch site {
    case .gastroc: .soleus
    case .soleus: .gastroc
    default: nil
    }
}
