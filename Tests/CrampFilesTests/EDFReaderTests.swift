// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
import SystemPackage
import Testing

@Suite struct EDFRoundTripTests {
    @Test func multiRateSamplesRoundTripWithinOneDigitalStep() throws {
        let dir = TestDirectory()
        let p = dir.file("rt.edf")
        let header = multiRateHeader()
        let w = try EDFWriter(path: p, header: header)
        for r in 0..<4 { try w.writeRecord(multiRateRecord(r), annotations: []) }
        try w.close()

        let reader = try EDFReader(path: p)
        #expect(reader.header.format == .edfPlusC)
        #expect(reader.header.recordCount == 4)
        #expect(reader.header.recordDurationSeconds == 1)
        #expect(reader.header.start == testStart)
        #expect(reader.header.signals == header.signals)
        #expect(reader.header.annotationSignalCount == 1)
        #expect(reader.header.sampleRate(of: 0) == Hertz(2000))
        #expect(reader.header.sampleRate(of: 1) == Hertz(4))
        var r = 0
        while try reader.nextRecord() {
            #expect(reader.recordOnsetSeconds == Double(r))
            let expected = multiRateRecord(r)
            for (i, s) in header.signals.enumerated() {
                let step = Float((s.physicalMaximum - s.physicalMinimum) / Double(Int(s.digitalMaximum) - Int(s.digitalMinimum)))
                let got = reader.samples(of: i)
                #expect(got.count == s.samplesPerRecord)
                let worst = zip(got, expected[i]).map { abs($0 - $1) }.max() ?? 0
                #expect(worst <= step, "signal \(s.label) record \(r): error \(worst) > step \(step)")
            }
            r += 1
        }
        #expect(r == 4)
        #expect(try reader.nextRecord() == false)
    }

    @Test func annotationsRoundTripWithDurationsUTF8AndOverflow() throws {
        let dir = TestDirectory()
        let p = dir.file("ann.edf")
        // 64 bytes per record: the time-keeping TAL and one or two short TALs at most.
        let w = try EDFWriter(path: p, header: multiRateHeader(annotationBytes: 64))
        let written = [
            Annotation(onsetSeconds: 0.25, durationSeconds: 12.5, text: "cramp onset gastroc L"),
            Annotation(onsetSeconds: 0.5, text: "Wadenkrampf – ß ✓"),
            Annotation(onsetSeconds: 0.75, durationSeconds: 0, text: "tightness gastroc L"),
            Annotation(onsetSeconds: 1.000001, text: "x"),
            Annotation(onsetSeconds: 2.123456789, durationSeconds: 0.001, text: "cramp end gastroc L"),
        ]
        try w.writeRecord(multiRateRecord(0), annotations: Array(written[0..<4]))
        #expect(w.pendingAnnotationCount > 0)
        try w.writeRecord(multiRateRecord(1), annotations: [written[4]])
        for r in 2..<6 { try w.writeRecord(multiRateRecord(r), annotations: []) }
        #expect(w.pendingAnnotationCount == 0)
        try w.close()

        let reader = try EDFReader(path: p)
        var perRecord: [Int] = []
        var read: [Annotation] = []
        while try reader.nextRecord() {
            perRecord.append(reader.recordAnnotations.count)
            read += reader.recordAnnotations
        }
        #expect(read == written)
        #expect(perRecord.count == 6)
        #expect(perRecord[0] < 4, "the first record cannot hold all four")
        #expect(try EDFReader.readAllAnnotations(path: p) == written)
    }

    @Test func readsBDFWith24BitSamples() throws {
        let dir = TestDirectory()
        var raw = RawEDF(signals: [
            .init(label: "EMG soleus R", physicalMinimum: "-8388608", physicalMaximum: "8388607",
                  digitalMinimum: "-8388608", digitalMaximum: "8388607", samples: 4),
            .init(label: "BDF Annotations", digitalMinimum: "-8388608", digitalMaximum: "8388607", samples: 10),
        ])
        raw.version = [0xFF] + Array("BIOSEMI".utf8)
        raw.reserved = "BDF+C"
        raw.recordCount = "2"
        raw.duration = "0.5"
        var bytes = raw.header()
        bytes += int24LE([-8_388_608, -1, 0, 8_388_607]) + annotationBytes(["+0\u{14}\u{14}\0", "+0.1\u{14}tightness soleus R\u{14}\0"], count: 30)
        bytes += int24LE([1, 2, 3, 0x123456]) + annotationBytes(["+0.5\u{14}\u{14}\0"], count: 30)
        let p = try dir.write(bytes, to: "small.bdf")

        let reader = try EDFReader(path: p)
        #expect(reader.header.format == .bdfPlusC)
        #expect(reader.header.signals.count == 1)
        #expect(reader.header.signals[0].channel == .emg(.soleus, .right))
        #expect(reader.header.sampleRate(of: 0) == Hertz(8))
        #expect(try reader.nextRecord())
        #expect(reader.samples(of: 0) == [-8_388_608, -1, 0, 8_388_607])
        #expect(reader.recordAnnotations == [Annotation(onsetSeconds: 0.1, text: "tightness soleus R")])
        #expect(try reader.nextRecord())
        #expect(reader.samples(of: 0) == [1, 2, 3, Float(0x123456)])
        #expect(reader.recordOnsetSeconds == 0.5)
        #expect(try !reader.nextRecord())
    }

    @Test func readsPlainEDFWithoutAnnotations() throws {
        let dir = TestDirectory()
        var raw = RawEDF(signals: [.init(label: "HR", physicalMinimum: "0", physicalMaximum: "255", digitalMinimum: "0", digitalMaximum: "255", samples: 2)])
        raw.recordCount = "3"
        raw.duration = "2"
        let bytes = raw.header() + int16LE([60, 61, 62, 63, 64, 65])
        let reader = try EDFReader(path: try dir.write(bytes, to: "plain.edf"))
        #expect(reader.header.format == .edf)
        var onsets: [Double] = []
        var hr: [Float] = []
        while try reader.nextRecord() {
            onsets.append(reader.recordOnsetSeconds)
            hr += reader.samples(of: 0)
        }
        #expect(onsets == [0, 2, 4])
        #expect(hr == [60, 61, 62, 63, 64, 65])
    }

    @Test func readsEDFPlusDRecordOnsets() throws {
        let dir = TestDirectory()
        var bytes = try goodEDF(dir, records: 3)
        patch(&bytes, 192, 44, "EDF+D")
        bytes.replaceSubrange(Good.annotationOffset(record: 1)..<(Good.annotationOffset(record: 1) + 2), with: Array("+5".utf8))
        bytes.replaceSubrange(Good.annotationOffset(record: 2)..<(Good.annotationOffset(record: 2) + 2), with: Array("+9".utf8))
        let reader = try EDFReader(path: try dir.write(bytes, to: "d.edf"))
        #expect(reader.header.format == .edfPlusD)
        var onsets: [Double] = []
        while try reader.nextRecord() { onsets.append(reader.recordOnsetSeconds) }
        #expect(onsets == [0, 5, 9])
    }
}

@Suite struct EDFAnnotationOnlyTests {
    @Test func readsAnnotationOnlyFileWithZeroDuration() throws {
        let dir = TestDirectory()
        var raw = RawEDF(signals: [.init(label: "EDF Annotations", physicalMinimum: "-1", physicalMaximum: "1", samples: 32)])
        raw.reserved = "EDF+C"
        raw.recordCount = "2"
        raw.duration = "0"
        let bytes = raw.header()
            + annotationBytes(["+0\u{14}\u{14}\0", "+3\u{15}2\u{14}cramp onset gastroc L\u{14}\0"], count: 64)
            + annotationBytes(["+10\u{14}\u{14}\0", "+10\u{14}cramp end\u{14}\0"], count: 64)
        let annotations = try EDFReader.readAllAnnotations(path: try dir.write(bytes, to: "only.edf"))
        #expect(annotations == [Annotation(onsetSeconds: 3, durationSeconds: 2, text: "cramp onset gastroc L"),
                                Annotation(onsetSeconds: 10, text: "cramp end")])
    }
}
