// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scratch files for one test, in a fresh directory under /tmp.
struct TestDirectory {
    let path: FilePath

    init() {
        let base = "/tmp"
        var template = Array("\(base)/crampd-files-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = FilePath(String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
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
