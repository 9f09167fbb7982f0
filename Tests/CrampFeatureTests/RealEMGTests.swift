// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
import Foundation
import SystemPackage
import Testing

/// The pipeline on real third-party EMG bundled under Recordings/ (provenance and licences in
/// Recordings/README.md). Each test states what the recording shows and measures it.
@Suite struct RealEMGTests {
    // MARK: - Santuz walking: gait-locked calf bursts

    static let calfMuscles = ["EMG gastroc R", "EMG GL R", "EMG soleus R"]  // GM, GL, SO

    /// The annotated gait cycles: touchdown to the next touchdown (the last to the end), with
    /// lift-off.
    static func cycles(_ s: MemorySession, duration: Double) -> [(touchdown: Double, liftOff: Double, end: Double)] {
        let touchdowns = s.annotations.filter { $0.text == "touchdown R" }.map(\.onsetSeconds).sorted()
        let liftOffs = s.annotations.filter { $0.text == "lift-off R" }.map(\.onsetSeconds).sorted()
        return touchdowns.enumerated().map { i, t in
            (t, liftOffs.first { $0 > t }!, i + 1 < touchdowns.count ? touchdowns[i + 1] : duration)
        }
    }

    @Test func walkingOneCalfGaitBurstPerCycleInsideStance() throws {
        let session = try MemorySession(edf: TestData.recording("real-santuz-walking.edf"))
        let duration = Double(session.signals[0].count) / 1000
        let cycles = Self.cycles(session, duration: duration)
        #expect(cycles.count == 6)
        let out = try runPipeline(session)
        for label in Self.calfMuscles {
            let c = try #require(session.index(of: label))
            let strides = out.strides(c)
            // The gait bursts: each stride's active phase, and the next stride's (the last one's
            // next burst is a burst like the others).
            var gait = strides.map(\.activeBurst)
            if let last = strides.last {
                gait.append(try #require(out.bursts(c).first { $0.sampleRange.lowerBound == last.sampleRange.upperBound }))
            }
            for (k, cycle) in cycles.enumerated() {
                let inCycle = gait.filter { (cycle.touchdown..<cycle.end).contains(seconds($0.onsetTime)) }
                #expect(inCycle.count == 1, "\(label), cycle \(k + 1): \(inCycle.count) gait bursts")
                guard let b = inCycle.first else { continue }
                // Inside stance: onset after touchdown, offset before lift-off (5 ms frames).
                #expect(seconds(b.onsetTime) >= cycle.touchdown && seconds(b.offsetTime) <= cycle.liftOff + 0.005,
                        "\(label), cycle \(k + 1): burst \(b.onsetTime)–\(b.offsetTime), stance \(cycle.touchdown)–\(cycle.liftOff)")
            }
            // GL and SO fire once per cycle and nothing else; GM also fires briefly in late swing
            // (before touchdown, outside stance), which the segmenter counts as an extra burst.
            let all = out.bursts(c)
            for (k, cycle) in cycles.enumerated() {
                let raw = all.filter { (cycle.touchdown..<cycle.end).contains(seconds($0.onsetTime)) }
                if label == "EMG gastroc R" {
                    #expect(raw.count <= 2, "GM cycle \(k + 1): \(raw.count) bursts")
                    for extra in raw where !gait.contains(extra) {
                        #expect(seconds(extra.onsetTime) > cycle.liftOff, "GM's other burst is in swing")
                    }
                } else {
                    #expect(raw.count == 1, "\(label) cycle \(k + 1): \(raw.count) bursts")
                }
            }
        }
    }

    @Test func walkingStrideRateFromTheEMGAlone() throws {
        let session = try MemorySession(edf: TestData.recording("real-santuz-walking.edf"))
        let touchdowns = session.annotations.filter { $0.text == "touchdown R" }.map(\.onsetSeconds).sorted()
        let annotated = (touchdowns.last! - touchdowns.first!) / Double(touchdowns.count - 1)  // s per stride
        let out = try runPipeline(session)
        for label in Self.calfMuscles {
            let strides = out.strides(try #require(session.index(of: label)))
            #expect(strides.count >= 5)
            #expect(strides.allSatisfy { $0.periodSource == .emg })
            let measured = try #require(mean(strides.map { seconds($0.duration) }))
            // Stride rate in strides per minute, from burst onsets, against the touchdowns.
            #expect(abs(60 / measured - 60 / annotated) <= 0.02 * 60 / annotated,
                    "\(label): \(60 / measured) strides/min from EMG vs \(60 / annotated) annotated")
            let estimated = try #require(mean(strides.map { seconds($0.expectedPeriod) }))
            #expect(abs(estimated - annotated) <= 0.03 * annotated, "\(label): autocorrelation period \(estimated) s")
        }
    }

    // MARK: - Elderly lower limb: a dead electrode

    @Test func elderlyDeadLateralGastrocnemiusIsFlaggedAndTheOthersAreNot() throws {
        let session = try MemorySession(edf: TestData.recording("real-elderly-lg-hold.edf"))
        let out = try runPipeline(session)
        for (i, channel) in session.channels.enumerated() {
            let w = out.windows(i)
            let dead = Double(w.filter { $0.quality.flags.contains(.deadElectrode) }.count) / Double(w.count)
            if channel.label == "EMG gastroc R" {
                #expect(dead >= 0.85, "LG: \(dead) of windows flagged dead")
                #expect(try #require(median(w.map { Double($0.features.rms) })) < 2)
            } else {
                #expect(dead == 0, "\(channel.label): \(dead) of windows flagged dead")
                #expect(w.allSatisfy { $0.quality.flags.isEmpty }, "\(channel.label) during an isometric hold")
            }
        }
    }

    // MARK: - PLUX biceps: myoelectric fatigue

    /// Early and late active windows: windows whose RMS is above the recording's median, in the
    /// first and last quarter of the recording.
    static func fatigueTrend(_ windows: [EMGWindowRecord], duration: Double) -> (mdf: Double, mnf: Double, rms: Double)? {
        let threshold = median(windows.map { Double($0.features.rms) }) ?? 0
        let rate = Double(windows[0].features.sampleRange.upperBound) / seconds(windows[0].features.endTime)
        let active = windows.filter { Double($0.features.rms) > threshold && $0.features.spectral != nil }
        let early = active.filter { Double($0.features.sampleRange.upperBound) / rate <= duration / 4 }
        let late = active.filter { Double($0.features.sampleRange.lowerBound) / rate >= 3 * duration / 4 }
        guard let mdf0 = mean(early.map { $0.features.spectral!.medianFrequency.value }),
              let mdf1 = mean(late.map { $0.features.spectral!.medianFrequency.value }),
              let mnf0 = mean(early.map { $0.features.spectral!.meanFrequency.value }),
              let mnf1 = mean(late.map { $0.features.spectral!.meanFrequency.value }),
              let rms0 = mean(early.map { Double($0.features.rms) }), let rms1 = mean(late.map { Double($0.features.rms) })
        else { return nil }
        return (mdf1 / mdf0 - 1, mnf1 / mnf0 - 1, rms1 / rms0 - 1)
    }

    @Test func pluxBicepsFatigueMDFFallsWhileRMSRises() throws {
        let session = try MemorySession(edf: TestData.recording("real-plux-biceps-fatigue.edf"))
        let out = try runPipeline(session)
        let trend = try #require(Self.fatigueTrend(out.windows(0), duration: 127))
        // The data's README: active-window MDF about 72 → 58 Hz (−19 %), RMS about +27 %.
        #expect(trend.mdf <= -0.12 && trend.mdf >= -0.28, "MDF change \(trend.mdf)")
        #expect(trend.mnf <= -0.10, "MNF change \(trend.mnf)")
        #expect(trend.rms >= 0.10, "RMS change \(trend.rms)")
        // The same trend in the bursts' own spectra (contractions detected as bursts).
        let bursts = out.bursts(0).filter { $0.spectral != nil && seconds($0.duration) >= 0.2 }
        #expect(bursts.count >= 12)
        let quarter = max(1, bursts.count / 4)
        let early = try #require(mean(bursts.prefix(quarter).map { $0.spectral!.medianFrequency.value }))
        let late = try #require(mean(bursts.suffix(quarter).map { $0.spectral!.medianFrequency.value }))
        #expect(late / early - 1 <= -0.10, "burst MDF \(early) → \(late) Hz")
    }

    // MARK: - PhysioNet: 4 kHz needle EMG through the same path

    @Test func physioNet4kHzRunsThroughTheSamePath() throws {
        let session = try MemorySession(edf: TestData.recording("real-physionet-healthy-ta.edf"))
        let out = try runPipeline(session)
        let status = try #require(out.statuses[0])
        #expect(status.design.sampleRate == Hertz(4000))
        #expect(status.window.length == 1000 && status.window.hop == 250)
        guard case .fullBand = status.design.status else { Issue.record("4 kHz is full band"); return }
        let w = out.windows(0)
        #expect(w.count == (48_000 - 1000) / 250 + 1)
        #expect(w.allSatisfy { $0.features.spectral != nil })
        #expect(!w.contains { $0.quality.flags.contains(.deadElectrode) || $0.quality.flags.contains(.saturation) })
        let mdf = try #require(median(w.map { $0.features.spectral!.medianFrequency.value }))
        #expect(mdf > 80 && mdf < 400, "needle EMG MDF \(mdf) Hz")
        // The patient dorsiflexed, then relaxed: activity as bursts with spectra.
        #expect(!out.bursts(0).isEmpty && out.bursts(0).allSatisfy { $0.spectral != nil })
    }

    // MARK: - Myo armband: 200 Hz, spectral features unavailable

    @Test func myoForearmAt200HzReportsSpectralFeaturesUnavailable() throws {
        // The bundled CSV excerpt (first 20 s; fist from 5 s to 10 s and from 15 s).
        let path = TestData.recording("real-myo-forearm-fist.csv")
        let reader = try CSVSessionReader(path: FilePath(path))
        var signals = [[Float]](repeating: [], count: reader.columns.count)
        while try reader.nextRow() {
            for (i, v) in reader.values.enumerated() { if let v { signals[i].append(v) } }
        }
        let channels = reader.columns.map { SessionChannel(label: $0.label, sampleRate: Hertz(200)) }
        #expect(channels.count == 8 && channels.allSatisfy { $0.kind == .emg })
        let out = try runPipeline(MemorySession(channels: channels, signals: signals))
        for c in channels.indices {
            let status = try #require(out.statuses[c])
            guard case .spectralFeaturesUnavailable(.rateTooLowForBand(let rate, _)) = status.design.status else {
                Issue.record("\(channels[c].label): \(status.design.status)")
                continue
            }
            #expect(rate == Hertz(200))
            #expect(out.windows(c).allSatisfy { $0.features.spectral == nil && $0.features.rms.isFinite })
            let bursts = out.bursts(c)
            #expect(bursts.allSatisfy { $0.spectral == nil })
            // Time-domain analysis still works: the fists are found.
            #expect(bursts.contains { (5.0...5.6).contains(seconds($0.onsetTime)) }, "\(channels[c].label): no burst at the first fist")
            #expect(bursts.contains { (15.0...16.7).contains(seconds($0.onsetTime)) }, "\(channels[c].label): no burst at the second fist")
        }
    }
}
