// SPDX-License-Identifier: MIT
import CrampCore
import Foundation
import Testing

/// The pipeline on the third-party recordings in `<repo>/../shared/data` (see its README and
/// PROVENANCE.tsv): present on the development machines, absent in a user's clone, where each
/// test is skipped with a message naming the missing file. The bundled excerpts under
/// Recordings/ cover the same checks in every clone (RealEMGTests).
@Suite struct SharedDataTests {
    /// The numeric columns of a comma-separated file with a header line.
    static func columns(_ relative: String) throws -> [String: [Double]] {
        let text = try String(contentsOfFile: TestData.sharedFile(relative), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst().split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        var out = [String: [Double]](uniqueKeysWithValues: header.map { ($0, []) })
        for line in lines {
            for (name, cell) in zip(header, line.split(separator: ",", omittingEmptySubsequences: false)) {
                out[name]!.append(Double(cell.trimmingCharacters(in: .whitespaces)) ?? .nan)
            }
        }
        return out
    }

    static func emg(_ label: String, _ rate: Double) -> SessionChannel {
        SessionChannel(label: label, kind: .emg, sampleRate: Hertz(rate))
    }

    // MARK: - PLUX biceps

    @Test(.enabled(if: TestData.hasShared("emg/plux-biceps/emg_bursts.derived.csv"), TestData.missing("emg/plux-biceps/emg_bursts.derived.csv")))
    func pluxBurstsWithoutFatigueShowNoTrend() throws {
        let mV = try Self.columns("emg/plux-biceps/emg_bursts.derived.csv")["emg_mV"]!
        let x = mV.map { Float($0 * 1000) }
        let out = try runPipeline(MemorySession(channels: [Self.emg("EMG biceps R", 1000)], signals: [x]))
        let duration = Double(x.count) / 1000
        let trend = try #require(RealEMGTests.fatigueTrend(out.windows(0), duration: duration))
        // Cyclic contractions without fatigue: MDF within ±10 % early to late (the fatigue
        // recording falls by 12–28 %, RealEMGTests).
        #expect(abs(trend.mdf) <= 0.10, "MDF change \(trend.mdf)")
        #expect(abs(trend.mnf) <= 0.10, "MNF change \(trend.mnf)")
        // The contractions are found as bursts, with spectra.
        #expect(out.bursts(0).count >= 5)
        #expect(out.bursts(0).allSatisfy { $0.spectral != nil })
    }

    @Test(.enabled(if: TestData.hasShared("emg/plux-biceps/emg_fatigue.derived.csv"), TestData.missing("emg/plux-biceps/emg_fatigue.derived.csv")))
    func pluxFatigueFromTheSourceCSV() throws {
        let mV = try Self.columns("emg/plux-biceps/emg_fatigue.derived.csv")["emg_mV"]!
        let x = mV.map { Float($0 * 1000) }
        let out = try runPipeline(MemorySession(channels: [Self.emg("EMG biceps R", 1000)], signals: [x]))
        let trend = try #require(RealEMGTests.fatigueTrend(out.windows(0), duration: Double(x.count) / 1000))
        #expect(trend.mdf <= -0.12 && trend.mdf >= -0.28, "MDF change \(trend.mdf)")
        #expect(trend.rms >= 0.10, "RMS change \(trend.rms)")
    }

    // MARK: - Myo armband, 200 Hz

    @Test(.enabled(if: TestData.hasShared("emg/myo-forearm"), TestData.missing("emg/myo-forearm")),
          arguments: ["emg/myo-forearm/12345-1_fist_6.txt", "emg/myo-forearm/12345-1_rest_0.txt"])
    func myoAt200HzHasNoSpectralFeatures(file: String) throws {
        let text = try String(contentsOfFile: TestData.sharedFile(file), encoding: .utf8)
        var signals = [[Float]](repeating: [], count: 8)
        for line in text.split(separator: "\n") {
            let cells = line.split(separator: ",")
            for k in 0..<8 { signals[k].append(Float(cells[k])!) }
        }
        let channels = (1...8).map { Self.emg("EMG forearm\($0) R", 200) }
        let out = try runPipeline(MemorySession(channels: channels, signals: signals))
        #expect(out.statuses.count == 8)
        for c in 0..<8 {
            guard case .spectralFeaturesUnavailable(.rateTooLowForBand) = out.statuses[c]!.design.status else {
                Issue.record("channel \(c): \(out.statuses[c]!.design.status)")
                continue
            }
            #expect(out.windows(c).count == (signals[c].count - 52) / 13 + 1)
            #expect(out.windows(c).allSatisfy { $0.features.spectral == nil })
            #expect(out.bursts(c).allSatisfy { $0.spectral == nil })
        }
    }

    // MARK: - PhysioNet, 4 kHz

    static func physioNet(_ name: String) throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestData.sharedFile("emg/physionet-emgdb/\(name).dat")))
        // WFDB format 16: little-endian int16; 10000 adu per mV, so µV = adu / 10.
        return data.withUnsafeBytes { raw in
            (0..<(raw.count / 2)).map { Float(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: Int16.self))) / 10 }
        }
    }

    @Test(.enabled(if: TestData.hasShared("emg/physionet-emgdb"), TestData.missing("emg/physionet-emgdb")),
          arguments: ["emg_healthy", "emg_myopathy", "emg_neuropathy"])
    func physioNetRecordsRunThroughTheSamePath(name: String) throws {
        let x = try Self.physioNet(name)
        let out = try runPipeline(MemorySession(channels: [Self.emg("EMG tibialis R", 4000)], signals: [x]))
        let w = out.windows(0)
        #expect(w.count == (x.count - 1000) / 250 + 1)
        #expect(w.allSatisfy { $0.features.spectral != nil })
        #expect(!w.contains { $0.quality.flags.contains(.deadElectrode) })
        if name == "emg_neuropathy" {
            // Large abnormal motor-unit potentials at 11.5–18.5 s and 30–36.5 s.
            func inside(_ r: EMGWindowRecord) -> Bool {
                let a = Double(r.features.sampleRange.lowerBound) / 4000, b = Double(r.features.sampleRange.upperBound) / 4000
                return (a >= 11.5 && b <= 18.5) || (a >= 30 && b <= 36.5)
            }
            let during = try #require(median(w.filter(inside).map { Double($0.features.rms) }))
            let otherwise = try #require(median(w.filter { !inside($0) }.map { Double($0.features.rms) }))
            #expect(during >= 1.5 * otherwise, "RMS \(during) µV during the episodes vs \(otherwise) µV")
        }
    }

    // MARK: - Elderly lower limb: the dead LG electrode in every task

    @Test(.enabled(if: TestData.hasShared("emg/elderly-lowerlimb"), TestData.missing("emg/elderly-lowerlimb")),
          arguments: [("BF", "EMG hamstring R"), ("LG", "EMG gastroc R"), ("TA", "EMG tibialis R"), ("VL", "EMG quad R")])
    func elderlyLateralGastrocnemiusIsDeadInEveryTask(task: String, heldMuscle: String) throws {
        let file = "emg/elderly-lowerlimb/ID1_EMG_\(task).derived.csv"
        let cols = try Self.columns(file)
        let names = [("VL", "EMG quad R"), ("BF", "EMG hamstring R"), ("TA", "EMG tibialis R"), ("LG", "EMG gastroc R")]
        let session = MemorySession(
            channels: names.map { Self.emg($0.1, 2000) }, signals: names.map { n in cols[n.0]!.map(Float.init) })
        let out = try runPipeline(session)
        let lg = out.windows(3)
        let dead = Double(lg.filter { $0.quality.flags.contains(.deadElectrode) }.count) / Double(lg.count)
        #expect(dead >= 0.85, "LG in the \(task) task: \(dead) of windows dead")
        // The muscle the task holds is active: never flagged dead.
        let held = try #require(session.index(of: heldMuscle))
        if heldMuscle != "EMG gastroc R" {
            #expect(!out.windows(held).contains { $0.quality.flags.contains(.deadElectrode) }, "\(heldMuscle) in its own hold")
        }
    }
}
