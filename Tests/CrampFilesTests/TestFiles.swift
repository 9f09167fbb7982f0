// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scratch files for one test, in a fresh directory under /tmp, removed with its files when
/// the last reference goes away.
final class TestDirectory: Sendable {
    let path: FilePath

    init() {
        var template = Array("/tmp/crampd-files-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = FilePath(String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    deinit {
        // The directory is flat: unlink every entry, then the directory.
        if let d = opendir(path.string) {
            while let e = readdir(d) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { unlink(path.appending(name).string) }
            }
            closedir(d)
        }
        rmdir(path.string)
    }

    func file(_ name: String) -> FilePath { path.appending(name) }

    func write(_ bytes: [UInt8], to name: String) throws -> FilePath {
        let p = file(name)
        let fd = try FileDescriptor.open(p, .writeOnly, options: [.create, .truncate], permissions: .ownerReadWrite)
        try fd.closeAfter { _ = try fd.writeAll(bytes) }
        return p
    }

    func write(_ text: String, to name: String) throws -> FilePath {
        try write(Array(text.utf8), to: name)
    }

    func read(_ path: FilePath) throws -> [UInt8] {
        let fd = try FileDescriptor.open(path, .readOnly)
        return try fd.closeAfter {
            var out: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = try chunk.withUnsafeMutableBytes { try fd.read(into: $0) }
                if n == 0 { return out }
                out += chunk[0..<n]
            }
        }
    }
}

/// Reads the header field at `offset`, `width` bytes, with trailing spaces removed.
func field(_ bytes: [UInt8], _ offset: Int, _ width: Int) -> String {
    var s = String(decoding: bytes[offset..<(offset + width)], as: UTF8.self)
    while s.hasSuffix(" ") { s.removeLast() }
    return s
}

/// Overwrites the header field at `offset` with `text`, space-padded to `width`.
func patch(_ bytes: inout [UInt8], _ offset: Int, _ width: Int, _ text: String) {
    var f = Array(text.utf8)
    f += [UInt8](repeating: 0x20, count: max(0, width - f.count))
    bytes.replaceSubrange(offset..<(offset + width), with: f[0..<width])
}

let testStart = EDFDateTime(year: 2024, month: 5, day: 1, hour: 7, minute: 30, second: 0)

/// The multi-rate session layout of the tests: EMG 2000 Hz, HR 4 Hz, cadence 4 Hz, 1 s records.
func multiRateHeader(annotationBytes: Int = 512) -> EDFWriterHeader {
    EDFWriterHeader(
        signals: [
            EDFSignalSpec(label: "EMG gastroc L", transducer: "AgAgCl electrode", physicalDimension: "uV",
                          physicalMinimum: -5000, physicalMaximum: 5000, prefiltering: "HP:20Hz LP:450Hz", samplesPerRecord: 2000),
            EDFSignalSpec(label: "HR", physicalDimension: "bpm", physicalMinimum: 0, physicalMaximum: 250, samplesPerRecord: 4),
            EDFSignalSpec(label: "Cadence", physicalDimension: "spm", physicalMinimum: 0, physicalMaximum: 250, samplesPerRecord: 4),
        ],
        start: testStart, annotationBytesPerRecord: annotationBytes)
}

/// Deterministic physical samples for record `r` of the multi-rate layout.
func multiRateRecord(_ r: Int) -> [[Float]] {
    let emg = (0..<2000).map { i -> Float in
        let t = Float(r * 2000 + i)
        return 3000 * sinf(t * 0.0123) + 700 * cosf(t * 0.37)
    }
    let hr = (0..<4).map { Float(120 + r) + Float($0) * 0.25 }
    let cadence = (0..<4).map { Float(170) + Float(($0 + r) % 3) }
    return [emg, hr, cadence]
}

/// Layout of the files `goodEDF` makes: multi-rate signals plus annotations, 1 s records.
enum Good {
    static let headerBytes = 1280
    static let dataSignalBytes = (2000 + 4 + 4) * 2
    static let recordBytes = dataSignalBytes + 512
    /// Byte offset of record `r`'s annotation signal.
    static func annotationOffset(record r: Int) -> Int { headerBytes + r * recordBytes + dataSignalBytes }
}

/// A valid EDF+C file of `records` multi-rate records, as bytes.
func goodEDF(_ dir: TestDirectory, records: Int = 3, annotations: [Annotation] = []) throws -> [UInt8] {
    let p = dir.file("good-\(records).edf")
    let w = try EDFWriter(path: p, header: multiRateHeader())
    for r in 0..<records { try w.writeRecord(multiRateRecord(r), annotations: r == 0 ? annotations : []) }
    try w.close()
    return try dir.read(p)
}

/// Builds an EDF or BDF file byte by byte, for formats and defects the writer never produces.
struct RawEDF {
    struct Signal {
        var label: String
        var physicalMinimum = "-100"
        var physicalMaximum = "100"
        var digitalMinimum = "-32768"
        var digitalMaximum = "32767"
        var samples: Int
        var dimension = "uV"
    }

    var version: [UInt8] = Array("0       ".utf8)
    var reserved = ""
    var recordCount = "1"
    var duration = "1"
    var signals: [Signal]
    var start = ("01.05.24", "07.30.00")

    func header() -> [UInt8] {
        func text(_ s: String, _ w: Int) -> [UInt8] {
            var b = Array(s.utf8).prefix(w)
            b += [UInt8](repeating: 0x20, count: w - b.count)
            return Array(b)
        }
        let ns = signals.count
        var h = version
        h += text("X X X X", 80) + text("Startdate X X X X", 80) + text(start.0, 8) + text(start.1, 8)
        h += text(String(256 * (ns + 1)), 8) + text(reserved, 44) + text(recordCount, 8) + text(duration, 8) + text(String(ns), 4)
        for s in signals { h += text(s.label, 16) }
        for _ in signals { h += text("", 80) }
        for s in signals { h += text(s.dimension, 8) }
        for s in signals { h += text(s.physicalMinimum, 8) }
        for s in signals { h += text(s.physicalMaximum, 8) }
        for s in signals { h += text(s.digitalMinimum, 8) }
        for s in signals { h += text(s.digitalMaximum, 8) }
        for _ in signals { h += text("", 80) }
        for s in signals { h += text(String(s.samples), 8) }
        for _ in signals { h += text("", 32) }
        return h
    }
}

/// `count` bytes of annotation signal holding `tals`, zero-padded.
func annotationBytes(_ tals: [String], count: Int) -> [UInt8] {
    var b: [UInt8] = []
    for t in tals { b += Array(t.utf8) }
    return b + [UInt8](repeating: 0, count: count - b.count)
}

/// 16-bit little-endian samples.
func int16LE(_ values: [Int16]) -> [UInt8] {
    values.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
}

/// 24-bit little-endian samples.
func int24LE(_ values: [Int32]) -> [UInt8] {
    values.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8), UInt8(truncatingIfNeeded: $0 >> 16)] }
}

/// The kind of `EDFError` that `body` throws, or `nil`.
func edfErrorKind(_ body: () throws(EDFError) -> Void) -> EDFError.Kind? {
    do {
        try body()
        return nil
    } catch {
        return error.kind
    }
}

/// The `EDFError` that opening and reading every record of `path` throws, or `nil`.
func readError(_ path: FilePath) -> EDFError? {
    do throws(EDFError) {
        let r = try EDFReader(path: path)
        while try r.nextRecord() {}
        return nil
    } catch {
        return error
    }
}
