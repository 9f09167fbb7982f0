// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
import SystemPackage
import Testing

@Suite struct EDFWriterTests {
    @Test func writesHeaderWithUnknownCountUntilClosed() throws {
        let dir = TestDirectory()
        let p = dir.file("a.edf")
        let w = try EDFWriter(path: p, header: multiRateHeader())
        try w.writeRecord(multiRateRecord(0), annotations: [])
        var bytes = try dir.read(p)
        #expect(field(bytes, 236, 8) == "-1")
        try w.writeRecord(multiRateRecord(1), annotations: [])
        try w.close()
        bytes = try dir.read(p)
        #expect(field(bytes, 0, 8) == "0")
        #expect(field(bytes, 8, 80) == "X X X X")
        #expect(field(bytes, 88, 80) == "Startdate X X X X")
        #expect(field(bytes, 168, 8) == "01.05.24")
        #expect(field(bytes, 176, 8) == "07.30.00")
        #expect(field(bytes, 184, 8) == "1280")
        #expect(field(bytes, 192, 44) == "EDF+C")
        #expect(field(bytes, 236, 8) == "2")
        #expect(field(bytes, 244, 8) == "1")
        #expect(field(bytes, 252, 4) == "4")
        #expect(field(bytes, 256 + 3 * 16, 16) == "EDF Annotations")
        let recordBytes = (2000 + 4 + 4) * 2 + 512
        #expect(bytes.count == 1280 + 2 * recordBytes)
        #expect(w.recordsWritten == 2)
        // Second record's time-keeping TAL.
        let tal = 1280 + recordBytes + (2000 + 4 + 4) * 2
        #expect(Array(bytes[tal..<(tal + 5)]) == Array("+1".utf8) + [0x14, 0x14, 0])
    }

    @Test func clampsAndCountsOutOfRangeSamples() throws {
        let dir = TestDirectory()
        let p = dir.file("clip.edf")
        let header = EDFWriterHeader(
            signals: [EDFSignalSpec(label: "HR", physicalDimension: "bpm", physicalMinimum: 0, physicalMaximum: 250, samplesPerRecord: 4)],
            start: testStart)
        let w = try EDFWriter(path: p, header: header)
        try w.writeRecord([[-1, 0, 250, 300]], annotations: [])
        try w.close()
        #expect(w.clippedSamples == 2)
        let bytes = try dir.read(p)
        let d = (0..<4).map { Int16(bitPattern: UInt16(bytes[768 + 2 * $0]) | UInt16(bytes[769 + 2 * $0]) << 8) }
        #expect(d == [-32768, -32768, 32767, 32767])
    }

    @Test func outputIsDeterministic() throws {
        let dir = TestDirectory()
        func make(_ name: String) throws -> [UInt8] {
            let p = dir.file(name)
            let w = try EDFWriter(path: p, header: multiRateHeader())
            for r in 0..<3 {
                try w.writeRecord(multiRateRecord(r), annotations: [Annotation(onsetSeconds: Double(r) + 0.1, durationSeconds: 0.5, text: "tightness gastroc L")])
            }
            try w.close()
            return try dir.read(p)
        }
        #expect(try make("1.edf") == make("2.edf"))
    }

    @Test func rejectsInvalidHeaders() {
        let dir = TestDirectory()
        func kind(_ s: EDFSignalSpec, duration: Double = 1) -> EDFError.Kind? {
            do {
                _ = try EDFWriter(path: dir.file("bad.edf"), header: EDFWriterHeader(signals: [s], start: testStart, recordDurationSeconds: duration))
                return nil
            } catch { return error.kind }
        }
        let ok = EDFSignalSpec(label: "HR", physicalDimension: "bpm", physicalMinimum: 0, physicalMaximum: 250, samplesPerRecord: 4)
        #expect(kind(ok) == nil)
        var s = ok; s.label = "a label that is far too long"
        #expect(kind(s) == .invalidField)
        s = ok; s.label = "Härz"
        #expect(kind(s) == .invalidField)
        s = ok; s.samplesPerRecord = 0
        #expect(kind(s) == .invalidSamplesPerRecord)
        s = ok; s.digitalMinimum = 5; s.digitalMaximum = 5
        #expect(kind(s) == .invalidDigitalRange)
        s = ok; s.physicalMaximum = 0
        #expect(kind(s) == .invalidPhysicalRange)
        s = ok; s.physicalMaximum = 1e12
        #expect(kind(s) == .invalidField)
        #expect(kind(ok, duration: 0) == .invalidRecordDuration)
    }

    @Test func rejectsWrongSampleCountsAndNaN() throws {
        let dir = TestDirectory()
        let w = try EDFWriter(path: dir.file("n.edf"), header: multiRateHeader())
        var rec = multiRateRecord(0)
        rec[1].removeLast()
        #expect(throws: EDFError.self) { try w.writeRecord(rec, annotations: []) }
        rec = multiRateRecord(0)
        rec[0][7] = .nan
        #expect(throws: EDFError.self) { try w.writeRecord(rec, annotations: []) }
        #expect(w.recordsWritten == 0)
        try w.close()
        #expect { try w.writeRecord(multiRateRecord(0), annotations: []) } throws: { ($0 as? EDFError)?.kind == .closed }
    }

    @Test func throwsAtCloseWhenAnnotationsRemain() throws {
        let dir = TestDirectory()
        let w = try EDFWriter(path: dir.file("pending.edf"), header: multiRateHeader(annotationBytes: 64))
        let many = (0..<10).map { Annotation(onsetSeconds: 0.5, text: "tightness gastroc L \($0)") }
        try w.writeRecord(multiRateRecord(0), annotations: many)
        #expect(w.pendingAnnotationCount > 0)
        #expect { try w.close() } throws: { ($0 as? EDFError)?.kind == .annotationsNotWritten }
    }

    // MARK: - EDF+D

    @Test func writesDiscontinuousRecordsAtTheirOnsets() throws {
        let dir = TestDirectory()
        let p = dir.file("d.edf")
        var header = multiRateHeader()
        header.discontinuous = true
        let w = try EDFWriter(path: p, header: header)
        try w.writeRecord(multiRateRecord(0), annotations: [Annotation(onsetSeconds: 1, durationSeconds: 9, text: "pause")])
        #expect(w.nextContiguousOnsetSeconds == 1)
        try w.writeRecord(multiRateRecord(1), annotations: [], onsetSeconds: 10)
        try w.writeRecord(multiRateRecord(2), annotations: [])  // contiguous: 11
        try w.writeRecord(multiRateRecord(3), annotations: [], onsetSeconds: 12.5)
        try w.close()
        let bytes = try dir.read(p)
        #expect(field(bytes, 192, 44) == "EDF+D")

        let r = try EDFReader(path: p)
        #expect(r.header.format == .edfPlusD)
        var onsets: [Double] = []
        var annotations: [Annotation] = []
        var hr: [[Float]] = []
        while try r.nextRecord() {
            onsets.append(r.recordOnsetSeconds)
            annotations += r.recordAnnotations
            hr.append(r.samples(of: 1))
        }
        #expect(onsets == [0, 10, 11, 12.5])
        #expect(annotations == [Annotation(onsetSeconds: 1, durationSeconds: 9, text: "pause")])
        for k in 0..<4 {
            for (a, b) in zip(hr[k], multiRateRecord(k)[1]) { #expect(abs(a - b) <= 250 / 65535) }
        }
    }

    @Test func rejectsOverlappingOnsetsAndGapsInEDFPlusC() throws {
        let dir = TestDirectory()
        var header = multiRateHeader()
        header.discontinuous = true
        let d = try EDFWriter(path: dir.file("d.edf"), header: header)
        try d.writeRecord(multiRateRecord(0), annotations: [], onsetSeconds: 0)
        for bad in [0.5, -1, .nan, .infinity] {
            #expect { try d.writeRecord(multiRateRecord(1), annotations: [], onsetSeconds: bad) }
                throws: { ($0 as? EDFError)?.kind == .recordOnsetOutOfOrder }
        }
        #expect(d.recordsWritten == 1)
        try d.close()

        let c = try EDFWriter(path: dir.file("c.edf"), header: multiRateHeader())
        try c.writeRecord(multiRateRecord(0), annotations: [], onsetSeconds: 0)
        try c.writeRecord(multiRateRecord(1), annotations: [], onsetSeconds: 1)
        #expect { try c.writeRecord(multiRateRecord(2), annotations: [], onsetSeconds: 5) }
            throws: { ($0 as? EDFError)?.kind == .recordOnsetOutOfOrder }
        try c.close()
        #expect(readError(dir.file("c.edf")) == nil)
    }
}
