// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
import SystemPackage
import Testing

/// Every malformed file gets a typed error naming the file, the byte, what was expected and
/// what was found: never a crash, never a partial result.
@Suite struct EDFBadInputTests {
    let dir = TestDirectory()

    /// Writes `bytes` and returns the error reading the whole file gives.
    func error(_ bytes: [UInt8], _ name: String = "bad.edf") throws -> EDFError? {
        readError(try dir.write(bytes, to: name))
    }

    func good() throws -> [UInt8] { try goodEDF(dir) }

    @Test func notAnEDFFile() throws {
        let e = try error(Array(String(repeating: "hello, world; ", count: 40).utf8))
        #expect(e?.kind == .notEDF)
        #expect(e?.byteOffset == 0)
        #expect(try error(Array("1,2,3\n".utf8))?.kind == .notEDF)
    }

    @Test func emptyFile() throws {
        let e = try error([])
        #expect(e?.kind == .emptyFile)
        #expect(e?.description.hasSuffix("the file is empty; expected an EDF or BDF header of at least 256 bytes, found 0 bytes") == true)
    }

    @Test func truncatedHeader() throws {
        let bytes = try good()
        #expect(try error(Array(bytes[0..<100]))?.kind == .truncatedHeader)
        let e = try error(Array(bytes[0..<700]))
        #expect(e?.kind == .truncatedHeader)
        #expect(e?.byteOffset == 700)
    }

    @Test func truncatedData() throws {
        let bytes = try good()
        let e = try error(Array(bytes.dropLast(10)))
        #expect(e?.kind == .truncatedData)
        #expect(e?.byteOffset == Good.headerBytes + 2 * Good.recordBytes)
        #expect(e?.expected.contains("\(bytes.count) bytes") == true)
        #expect(e?.found == "\(bytes.count - 10) bytes")
    }

    @Test func recordCountMinusOne() throws {
        let p = dir.file("unclosed.edf")
        do {
            let w = try EDFWriter(path: p, header: multiRateHeader())
            try w.writeRecord(multiRateRecord(0), annotations: [])
            try w.writeRecord(multiRateRecord(1), annotations: [])
        }
        let e = readError(p)
        #expect(e?.kind == .unfinishedRecording)
        #expect(e?.byteOffset == 236)
        #expect(e?.description.hasPrefix("crampd: \(p.string): byte 236: record count is -1 (the file was never closed)") == true)
        #expect(e?.found.contains("2 whole data records") == true)
    }

    @Test func recordCountDisagreesWithFileSize() throws {
        var bytes = try good()
        patch(&bytes, 236, 8, "4")
        let e = try error(bytes)
        #expect(e?.kind == .recordCountMismatch)
        #expect(e?.byteOffset == 236)
        patch(&bytes, 236, 8, "2")
        #expect(try error(bytes)?.kind == .recordCountMismatch)
    }

    @Test func headerBytesFieldDisagreesWithSignalCount() throws {
        var bytes = try good()
        patch(&bytes, 184, 8, "1024")
        let e = try error(bytes)
        #expect(e?.kind == .headerSizeMismatch)
        #expect(e?.byteOffset == 184)
        #expect(e?.expected == "256 × (4 + 1) = 1280 bytes")
    }

    @Test(arguments: [
        (244, 8, "1 s", "duration of a data record"),
        (236, 8, "three", "number of data records"),
        (252, 4, "4x", "number of signals"),
        (184, 8, "", "number of bytes in header record"),
        (256 + 4 * (16 + 80 + 8 + 8 + 8 + 8 + 8 + 80) + 8, 8, "4.5", "number of samples in each data record of signal 1 (HR)"),
        (256 + 4 * (16 + 80 + 8), 8, "-5e", "physical minimum of signal 0 (EMG gastroc L)"),
        (256 + 4 * (16 + 80 + 8 + 8 + 8) + 16, 8, "abc", "digital minimum of signal 2 (Cadence)"),
    ])
    func nonNumericFieldIsNamedWithItsOffset(offset: Int, width: Int, text: String, name: String) throws {
        var bytes = try good()
        patch(&bytes, offset, width, text)
        let e = try error(bytes)
        #expect(e?.kind == .invalidNumber)
        #expect(e?.byteOffset == offset)
        #expect(e?.what.hasPrefix(name) == true, "\(e?.what ?? "no error")")
    }

    @Test func signalCountZeroOrNegative() throws {
        var bytes = try good()
        patch(&bytes, 252, 4, "0")
        #expect(try error(bytes)?.kind == .invalidSignalCount)
        patch(&bytes, 252, 4, "-2")
        #expect(try error(bytes)?.kind == .invalidSignalCount)
    }

    @Test func signalWithZeroSamplesPerRecord() throws {
        var bytes = try good()
        let offset = 256 + 4 * (16 + 80 + 8 + 8 + 8 + 8 + 8 + 80) + 8
        patch(&bytes, offset, 8, "0")
        let e = try error(bytes)
        #expect(e?.kind == .invalidSamplesPerRecord)
        #expect(e?.byteOffset == offset)
    }

    @Test(arguments: ["-32768", "-40000"])
    func digitalMaximumNotAboveMinimum(dmax: String) throws {
        var bytes = try good()
        let offset = 256 + 4 * (16 + 80 + 8 + 8 + 8 + 8)
        patch(&bytes, offset, 8, dmax)
        let e = try error(bytes)
        #expect(e?.kind == .invalidDigitalRange)
        #expect(e?.byteOffset == 256 + 4 * (16 + 80 + 8 + 8 + 8))
    }

    @Test func physicalMinimumEqualsMaximum() throws {
        var bytes = try good()
        patch(&bytes, 256 + 4 * (16 + 80 + 8 + 8) + 8, 8, "0")
        let e = try error(bytes)
        #expect(e?.kind == .invalidPhysicalRange)
        #expect(e?.what.contains("HR") == true)
    }

    @Test(arguments: ["0", "-1"])
    func recordDurationNotPositive(duration: String) throws {
        var bytes = try good()
        patch(&bytes, 244, 8, duration)
        let e = try error(bytes)
        #expect(e?.kind == .invalidRecordDuration)
        #expect(e?.byteOffset == 244)
    }

    @Test func invalidStartDate() throws {
        var bytes = try good()
        patch(&bytes, 168, 8, "31.02.24")
        #expect(try error(bytes)?.kind == .invalidField)
    }

    /// Replaces the annotation bytes of record `r` of a good file and returns the read error.
    func talError(record r: Int = 0, _ tal: [UInt8]) throws -> EDFError? {
        var bytes = try good()
        let at = Good.annotationOffset(record: r)
        bytes.replaceSubrange(at..<(at + 512), with: tal + [UInt8](repeating: 0, count: 512 - tal.count))
        return try error(bytes)
    }

    @Test(arguments: [
        ("missing time-keeping TAL", Array("+0.5\u{14}tightness gastroc L\u{14}\0".utf8), 0),
        ("empty annotation signal", [], 0),
        ("bad onset sign", Array("*0\u{14}\u{14}\0".utf8), 0),
        ("bad onset number", Array("+1a\u{14}\u{14}\0".utf8), 0),
        ("empty onset", Array("+\u{14}\u{14}\0".utf8), 0),
        ("bad duration", Array("+0\u{14}\u{14}\0+0.5\u{15}-1\u{14}x\u{14}\0".utf8), 10),
        ("missing 0x14 after onset", Array("+0".utf8), 2),
        ("missing 0x14 after text", Array("+0\u{14}\u{14}\0+0.5\u{14}tightness".utf8), 10),
        ("missing 0x00 at end", Array("+0\u{14}\u{14}".utf8) + [UInt8](repeating: 0x14, count: 508), 512),
        ("non-UTF-8 text", Array("+0\u{14}\u{14}\0+0.5\u{14}".utf8) + [0x57, 0xE4, 0x64] + [0x14, 0], 10),
    ])
    func malformedTALs(name: String, tal: [UInt8], offsetInSignal: Int) throws {
        let e = try talError(tal)
        #expect(e?.kind == .malformedAnnotation, "\(name): \(e?.description ?? "no error")")
        #expect(e?.byteOffset == Good.annotationOffset(record: 0) + offsetInSignal, "\(name): \(e?.description ?? "no error")")
    }

    @Test func edfPlusWithoutAnnotationSignal() throws {
        var raw = RawEDF(signals: [.init(label: "HR", samples: 2)])
        raw.reserved = "EDF+C"
        #expect(try error(raw.header() + int16LE([1, 2]))?.kind == .malformedAnnotation)
    }

    @Test func recordOnsetsGoingBackwardsInEDFPlusC() throws {
        var bytes = try good()
        let at = Good.annotationOffset(record: 2)
        bytes.replaceSubrange(at..<(at + 2), with: Array("+0".utf8))
        let e = try error(bytes)
        #expect(e?.kind == .recordOnsetOutOfOrder)
        #expect(e?.byteOffset == at)
        // A forward jump is a gap, which EDF+C does not allow either.
        bytes.replaceSubrange(at..<(at + 2), with: Array("+7".utf8))
        #expect(try error(bytes)?.kind == .recordOnsetOutOfOrder)
        // EDF+D allows the gap but not going backwards.
        patch(&bytes, 192, 44, "EDF+D")
        #expect(try error(bytes) == nil)
        bytes.replaceSubrange(at..<(at + 2), with: Array("+1".utf8))
        #expect(try error(bytes)?.kind == .recordOnsetOutOfOrder)
    }

    @Test func errorIsOneLineWithFileByteExpectedAndFound() throws {
        var bytes = try good()
        patch(&bytes, 244, 8, "x")
        let p = try dir.write(bytes, to: "dur.edf")
        let e = try #require(readError(p))
        #expect(e.description == "crampd: \(p.string): byte 244: duration of a data record is not a number; expected a decimal number in 8 ASCII characters, found \"x       \"")
        #expect(!e.description.contains("\n"))
    }

    @Test func missingFileIsAnIOError() {
        #expect(readError(dir.file("does-not-exist.edf"))?.kind == .io)
    }
}
