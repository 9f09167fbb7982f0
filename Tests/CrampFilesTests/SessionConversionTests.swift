// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
import SystemPackage
import Testing

@Suite struct SessionConversionTests {
    /// EDF+ → CSV → EDF+ keeps every sample within one digital step and every annotation text.
    @Test func edfToCSVToEDFRoundTrip() throws {
        let dir = TestDirectory()
        let annotations = [
            Annotation(onsetSeconds: 0.5, text: "tightness gastroc L"),
            Annotation(onsetSeconds: 1.25, durationSeconds: 30, text: "cramp onset gastroc L"),
            Annotation(onsetSeconds: 1.25, text: "second, \"quoted\" note"),
            Annotation(onsetSeconds: 1.0001, text: "between samples"),
        ]
        let source = dir.file("good-3.edf")
        _ = try goodEDF(dir, records: 3, annotations: annotations)
        let csv = dir.file("s.csv")
        let report = try SessionConversion.edfToCSV(from: source, to: csv)
        #expect(report.droppedDurations == 1)
        #expect(report.joinedAnnotations == 1)
        #expect(report.unitsWritten == 3 * 2000 + 1)  // one row per EMG sample, one annotation-only row

        let reader = try CSVSessionReader(path: csv)
        #expect(reader.columns.map(\.label) == ["EMG gastroc L", "HR", "Cadence"])
        #expect(reader.columns.map(\.unit) == ["uV", "bpm", "spm"])
        var hrCount = 0, texts: [String] = []
        while try reader.nextRow() {
            if reader.values[1] != nil { hrCount += 1 }
            if let a = reader.rowAnnotation { texts.append(a.text) }
        }
        #expect(hrCount == 12)
        #expect(texts == ["tightness gastroc L", "between samples", "cramp onset gastroc L; second, \"quoted\" note"])

        let back = dir.file("back.edf")
        let report2 = try SessionConversion.csvToEDF(from: csv, to: back)
        #expect(report2.unitsWritten == 3 && report2.droppedSamples == 0)
        let original = try EDFReader(path: source), copy = try EDFReader(path: back)
        #expect(copy.header.signals.map(\.samplesPerRecord) == [2000, 4, 4])
        while try original.nextRecord() {
            #expect(try copy.nextRecord())
            for s in 0..<3 {
                let spec = copy.header.signals[s]
                let step = (spec.physicalMaximum - spec.physicalMinimum) / 65535
                let a = original.samples(of: s), b = copy.samples(of: s)
                let worst = zip(a, b).map { abs(Double($0) - Double($1)) }.max() ?? 0
                #expect(worst <= step, "signal \(s): \(worst) > \(step)")
            }
        }
        #expect(try copy.nextRecord() == false)
    }

    @Test func irregularCSVIsRefusedWithItsLine() throws {
        let dir = TestDirectory()
        var text = "time_s,HR [bpm]\n"
        for i in 0..<8 where i != 5 { text += "\(Double(i) * 0.25),\(140 + i)\n" }
        let p = try dir.write(text, to: "gap.csv")
        #expect {
            _ = try SessionConversion.csvToEDF(from: p, to: dir.file("gap.edf"))
        } throws: { error in
            guard case let .unsuitable(_, line, column, what) = error as? ConversionError else { return false }
            return line == 7 && column == "HR" && what.contains("irregular sampling")
        }
    }

    @Test func rateThatIsNotWholePerRecordIsRefused() throws {
        let dir = TestDirectory()
        var text = "time_s,Cadence\n"
        for i in 0..<10 { text += "\(Double(i) / 3),170\n" }  // 3 Hz in 0.5 s records = 1.5 samples
        let p = try dir.write(text, to: "third.csv")
        #expect(throws: ConversionError.self) {
            _ = try SessionConversion.csvToEDF(from: p, to: dir.file("third.edf"), recordDurationSeconds: 0.5)
        }
        // The same file converts with 1 s records.
        let report = try SessionConversion.csvToEDF(from: p, to: dir.file("third.edf"))
        #expect(report.unitsWritten == 3 && report.droppedSamples == 1)
    }

    @Test func lateStartingColumnIsRefused() throws {
        let dir = TestDirectory()
        var text = "time_s,HR,Cadence\n"
        for i in 0..<12 { text += "\(Double(i) * 0.25),140,\(i >= 4 ? "170" : "")\n" }
        let p = try dir.write(text, to: "late.csv")
        #expect {
            _ = try SessionConversion.csvToEDF(from: p, to: dir.file("late.edf"))
        } throws: { error in
            guard case let .unsuitable(_, line, column, _) = error as? ConversionError else { return false }
            return line == 6 && column == "Cadence"
        }
    }

    @Test func readingErrorsPassThrough() throws {
        let dir = TestDirectory()
        let p = try dir.write("not an edf file at all", to: "x.edf")
        #expect {
            _ = try SessionConversion.edfToCSV(from: p, to: dir.file("x.csv"))
        } throws: { error in
            guard case let .edf(e) = error as? ConversionError else { return false }
            return e.kind == .notEDF || e.kind == .truncatedHeader
        }
    }
}
