// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
import SystemPackage
import Testing

private func importError(_ path: FilePath, to out: FilePath) -> ActivityError? {
    do throws(ActivityError) {
        _ = try ActivityImport.importToEDF(from: path, to: out)
        return nil
    } catch {
        return error
    }
}

@Suite struct ActivityImportTests {
    /// A 20 s FIT run with a 30 s timer pause after 10 s: EDF+D with records only where there
    /// is data, a `pause` annotation over the hole, values as the FIT file holds them.
    @Test func fitRunWithAPauseBecomesEDFPlusDWithTheHoleAnnotated() throws {
        let dir = TestDirectory()
        let fit = try dir.write(smallRunFIT(seconds: 20, pauseAfter: 10, pauseSeconds: 30), to: "run.fit")
        let out = dir.file("run.edf")
        let report = try ActivityImport.importToEDF(from: fit, to: out)
        #expect(report.format == .fit)
        #expect(report.secondsWritten == 20 && report.spanSeconds == 50)
        #expect(report.pauses == 1 && report.gaps == 0 && report.segments == 1 && report.laps == 1)
        #expect(report.localTimeOffsetSeconds == 7200)
        #expect(report.start.description == "2024-05-01T07:30:00Z")

        let edf = try ImportedEDF(out)
        #expect(edf.header.format == .edfPlusD)
        #expect(edf.header.start == EDFDateTime(year: 2024, month: 5, day: 1, hour: 7, minute: 30, second: 0))
        #expect(edf.header.recordingIdentification == "Startdate 01-MAY-2024 X X crampd_import_FIT")
        #expect(edf.header.signals.map(\.label) == ["HR", "Cadence", "Speed", "Distance"])
        #expect(edf.header.signals.map(\.channel) == [.heartRate, .cadence, .speed, nil])
        #expect(edf.header.recordDurationSeconds == 1 && edf.header.signals.allSatisfy { $0.samplesPerRecord == 1 })
        #expect(edf.onsets == (0..<10).map(Double.init) + (40..<50).map(Double.init))
        #expect(edf.signal("HR") == (0..<20).map { Float(120 + $0) })
        #expect(edf.signal("Cadence") == Array(repeating: 171, count: 20))  // 2 × (85 + 64/128)
        #expect(edf.signal("Speed")!.enumerated().allSatisfy { abs(Double($0.element) - (3.0 + 0.01 * Double($0.offset))) < 1e-4 })
        let pause = try #require(edf.annotations.first { $0.text == "pause" })
        #expect(pause.onsetSeconds == 10 && pause.durationSeconds == 30)
        #expect(edf.annotations.contains(Annotation(onsetSeconds: 0, durationSeconds: 49, text: "segment running")))
        #expect(edf.annotations.contains(Annotation(onsetSeconds: 0, durationSeconds: 49, text: "lap 1")))
    }

    /// `continuous`: EDF+C for EDFlib/pyedflib, the pause filled (0; distance held).
    @Test func continuousImportFillsTheHole() throws {
        let dir = TestDirectory()
        let fit = try dir.write(smallRunFIT(seconds: 20, pauseAfter: 10, pauseSeconds: 30), to: "run.fit")
        let out = dir.file("run-c.edf")
        let report = try ActivityImport.importToEDF(from: fit, to: out, options: ActivityImportOptions(continuous: true))
        #expect(report.secondsWritten == 20 && report.secondsFilled == 30 && report.continuous)
        let edf = try ImportedEDF(out)
        #expect(edf.header.format == .edfPlusC)
        #expect(edf.onsets == (0..<50).map(Double.init))
        let hr = try #require(edf.signal("HR")), distance = try #require(edf.signal("Distance"))
        #expect(hr[9] == 129 && hr[10...39].allSatisfy { $0 == 0 } && hr[40] == 130)
        #expect(distance[10...39].allSatisfy { abs($0 - distance[9]) < 1e-3 })
        #expect(edf.annotations.contains { $0.text == "pause" && $0.onsetSeconds == 10 && $0.durationSeconds == 30 })
    }

    /// Compressed timestamps, big-endian records and developer fields on the import path.
    @Test func compressedTimestampsBigEndianAndDeveloperFieldsImport() throws {
        var e = FITTestEncoder()
        e.define(local: 0, global: 18, [.timestamp(), .uint32(2), .enumeration(5)])
        e.define(local: 1, global: 20, bigEndian: true, [.timestamp(), .uint8(3), .uint16(6)], developer: [(0, 2, 0)])
        e.define(local: 2, global: 20, bigEndian: true, [.uint8(3), .uint8(4), .uint16(6)], developer: [(0, 2, 0), (1, 1, 0)])
        e.data(local: 1, [UInt64(fitTestStart), 140, 2500])
        for k in 1..<40 {  // compressed: 5-bit offsets rolling over at 32 s
            e.compressed(local: 2, timeOffset: UInt8((fitTestStart + UInt32(k)) & 0x1F), [UInt64(140 + k % 7), 88, UInt64(2500 + k)])
        }
        e.data(local: 0, [UInt64(fitTestStart + 39), UInt64(fitTestStart), 1])
        let dir = TestDirectory()
        let fit = try dir.write(e.file(), to: "compressed.fit")
        let out = dir.file("compressed.edf")
        let report = try ActivityImport.importToEDF(from: fit, to: out)
        #expect(report.secondsWritten == 40 && report.gaps == 0)
        #expect(report.channels == [.heartRate, .cadence, .speed])  // no distance in the file
        let edf = try ImportedEDF(out)
        #expect(edf.onsets == (0..<40).map(Double.init))
        #expect(edf.signal("HR") == (0..<40).map { Float(140 + $0 % 7) })
        #expect(edf.signal("Speed")!.enumerated().allSatisfy { abs(Double($0.element) - (2.5 + 0.001 * Double($0.offset))) < 1e-4 })
        // Cadence starts at the second record: held back over the first second (a short edge).
        #expect(edf.signal("Cadence") == Array(repeating: 176, count: 40))
    }

    @Test func tcxRunImportsLikeFIT() throws {
        let dir = TestDirectory()
        let tcx = try dir.write(handWrittenTCX, to: "run.tcx")
        let out = dir.file("tcx.edf")
        let report = try ActivityImport.importToEDF(from: tcx, to: out)
        #expect(report.format == .tcx)
        #expect(report.secondsWritten == 6 && report.spanSeconds == 25 && report.pauses == 1 && report.laps == 2)
        let edf = try ImportedEDF(out)
        #expect(edf.header.recordingIdentification == "Startdate 01-MAY-2024 X X crampd_import_TCX")
        #expect(edf.onsets == [0, 1, 21, 22, 23, 24])
        #expect(edf.signal("HR") == [120, 121, 110, 112, 113, 114])
        #expect(edf.signal("Cadence") == [170, 172, 174, 176, 178, 180])
        #expect(edf.annotations.contains(Annotation(onsetSeconds: 2, durationSeconds: 19, text: "pause")))
        #expect(edf.annotations.contains(Annotation(onsetSeconds: 23, durationSeconds: 2, text: "lap 2")))
    }

    /// A channel that stops for good before the end: a dropout annotation that comes after the
    /// last row still reaches the file.
    @Test func dropoutsAtTheEndAreStillWritten() throws {
        var e = FITTestEncoder()
        e.define(local: 0, global: 20, [.timestamp(), .uint8(3), .uint8(4), .uint16(6), .uint32(5)])
        for k in 0..<60 {
            let late = k >= 30
            e.data(local: 0, [UInt64(fitTestStart + UInt32(k)), late ? 0xFF : 150, late ? 0xFF : 85, late ? 0xFFFF : 3000, UInt64(300 * k)])
        }
        let dir = TestDirectory()
        let out = dir.file("dropout.edf")
        let report = try ActivityImport.importToEDF(from: try dir.write(e.file(), to: "d.fit"), to: out, options: ActivityImportOptions(annotationBytesPerRecord: 32))
        #expect(report.dropouts == 3)
        let edf = try ImportedEDF(out)
        #expect(edf.signal("HR")![30...].allSatisfy { $0 == 0 })
        #expect(Set(edf.annotations.filter { $0.text.hasPrefix("dropout") }.map(\.text)) == ["dropout HR", "dropout Cadence", "dropout Speed"])
        #expect(edf.annotations.filter { $0.text.hasPrefix("dropout") }.allSatisfy { $0.onsetSeconds == 30 && $0.durationSeconds == 30 })
    }

    @Test func filesWithoutARunOrOfAnotherFormatAreRejectedClearly() throws {
        let dir = TestDirectory()
        // A cycling session.
        var e = FITTestEncoder()
        e.define(local: 0, global: 20, [.timestamp(), .uint8(3)])
        for k in 0..<5 { e.data(local: 0, [UInt64(fitTestStart + UInt32(k)), 120]) }
        e.define(local: 1, global: 18, [.timestamp(), .uint32(2), .enumeration(5)])
        e.data(local: 1, [UInt64(fitTestStart + 4), UInt64(fitTestStart), 2])
        var error = try #require(importError(try dir.write(e.file(), to: "ride.fit"), to: dir.file("ride.edf")))
        #expect(error.description == "crampd: \(dir.file("ride.fit")): no running samples to import; expected a running session with records, found sessions: cycling and 5 samples")

        error = try #require(importError(try dir.write("time_s,HR\n0,1\n", to: "run.txt"), to: dir.file("x.edf")))
        guard case .unknownFormat = error else { Issue.record("\(error)"); return }
        #expect(error.description.contains("not a FIT or TCX activity"))

        var corrupt = smallRunFIT()
        corrupt[30] ^= 0xFF
        error = try #require(importError(try dir.write(corrupt, to: "bad.fit"), to: dir.file("bad.edf")))
        guard case .fit(let f) = error else { Issue.record("\(error)"); return }
        #expect(f.kind == .fileCRCMismatch && f.byteOffset == corrupt.count - 2)

        // A file with no sport information at all is taken as running, and says so.
        var bare = FITTestEncoder()
        bare.define(local: 0, global: 20, [.timestamp(), .uint8(3)])
        for k in 0..<5 { bare.data(local: 0, [UInt64(fitTestStart + UInt32(k)), 120]) }
        let report = try ActivityImport.importToEDF(from: try dir.write(bare.file(), to: "bare.fit"), to: dir.file("bare.edf"))
        #expect(report.sportAssumed && report.secondsWritten == 5)
        #expect(report.notes.contains("the file names no sport; it was imported as running"))
    }

    /// Format by content when the extension says nothing.
    @Test func formatIsSniffedFromContent() throws {
        let dir = TestDirectory()
        #expect(try ActivityFile(path: try dir.write(smallRunFIT(), to: "a.bin")).format == .fit)
        #expect(try ActivityFile(path: try dir.write(handWrittenTCX, to: "b.xml")).format == .tcx)
    }
}

/// A real FIT run written as TCX (in the test, not committed) imports to the same EDF values.
@Suite(.enabled(if: SharedFITData.available, Comment(rawValue: SharedFITData.skipMessage)))
struct FITToTCXCrossCheckTests {
    @Test(arguments: ["activity-small-fenix2-run", "garmin-fenix-5-run"])
    func theSameRunAsFITAndAsTCXImportsAlike(_ name: String) throws {
        let fit = try ActivityFile(path: SharedFITData.fit(name))
        let samples = try fit.allSamples()
        let laps = fit.structure.laps
        // One Lap per FIT lap, samples by lap start.
        var tcxLaps: [TCXTestWriter.Lap] = []
        for (i, lap) in laps.enumerated() {
            let end = i + 1 < laps.count ? laps[i + 1].start : UTCInstant(secondsSince1970: .infinity)
            let from = i == 0 ? UTCInstant(secondsSince1970: -.infinity) : lap.start
            tcxLaps.append(.init(start: lap.start, totalSeconds: lap.durationSeconds, tracks: [samples.filter { $0.time >= from && $0.time < end }]))
        }
        let text = TCXTestWriter.document([.init(sport: "Running", laps: tcxLaps)])
        let dir = TestDirectory()
        let tcxPath = try dir.write(text, to: "\(name).tcx")
        let fromFIT = try ActivityImport.importToEDF(from: SharedFITData.fit(name), to: dir.file("fit.edf"))
        let fromTCX = try ActivityImport.importToEDF(from: tcxPath, to: dir.file("tcx.edf"))
        #expect(fromTCX.secondsWritten == fromFIT.secondsWritten)
        #expect(fromTCX.start == fromFIT.start)
        #expect(fromTCX.laps == fromFIT.laps)
        let a = try ImportedEDF(dir.file("fit.edf")), b = try ImportedEDF(dir.file("tcx.edf"))
        #expect(a.onsets == b.onsets)
        for label in ["HR", "Cadence", "Speed"] {
            let x = try #require(a.signal(label)), y = try #require(b.signal(label))
            #expect(zip(x, y).allSatisfy { abs($0 - $1) <= 1e-3 }, "\(label)")
        }
    }
}
