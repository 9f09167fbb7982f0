// SPDX-License-Identifier: MIT
// Throughput of the FIT decoder (CrampFiles.FITDecoder): CRC checks of the whole file, then
// every message decoded and the record fields crampd imports read (heart rate, cadence,
// fractional cadence, speed, enhanced speed, distance). The file is read once before timing;
// the timed part is the decoding of the bytes in memory. Prints; asserts nothing.
// Build and run in release:
//
//     swift build -c release -j 2 --product crampd-fit-throughput
//     .build/release/crampd-fit-throughput [--seconds S] FILE.fit …
//
// Default files: the python-fitparse runs in ../shared/data/running/fitparse.
import CrampFiles
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

var arguments = Array(CommandLine.arguments.dropFirst())
var minimumSeconds = 2.0
if let i = arguments.firstIndex(of: "--seconds"), i + 1 < arguments.count, let s = Double(arguments[i + 1]) {
    minimumSeconds = s
    arguments.removeSubrange(i...(i + 1))
}
if arguments.isEmpty {
    let dir = "../shared/data/running/fitparse/"
    arguments = ["garmin-fenix-5-run.fit", "activity-small-fenix2-run.fit", "developer-types-sample.fit",
                 "activity-large-fenxi2-multisport.fit"].map { dir + $0 }
}

/// One full decode of `bytes`; returns the message count and a checksum of the values read
/// (so that the optimiser cannot drop the reads).
func decode(_ bytes: [UInt8], path: FilePath) throws -> (messages: Int, checksum: Double) {
    var decoder = try FITDecoder(bytes: bytes, path: path)
    var checksum = 0.0
    while let m = try decoder.next() {
        guard m.globalNumber == FITProfile.Message.record else { continue }
        checksum += m.value(FITProfile.Record.heartRate) ?? 0
        checksum += m.value(FITProfile.Record.cadence) ?? 0
        checksum += m.value(FITProfile.Record.fractionalCadence) ?? 0
        checksum += m.value(FITProfile.Record.speed) ?? 0
        checksum += m.value(FITProfile.Record.enhancedSpeed) ?? 0
        checksum += m.value(FITProfile.Record.distance) ?? 0
        checksum += Double(m.timestamp ?? 0)
    }
    return (decoder.messageCount, checksum)
}

var totalBytes = 0.0, totalSeconds = 0.0
for name in arguments {
    let path = FilePath(name)
    let bytes: [UInt8]
    do {
        let fd = try FileDescriptor.open(path, .readOnly)
        let size = Int(try fd.seek(offset: 0, from: .end))
        _ = try fd.seek(offset: 0, from: .start)
        var buffer = [UInt8](repeating: 0, count: size)
        var done = 0
        try buffer.withUnsafeMutableBytes { raw in
            while done < size {
                let n = try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[done...]))
                if n == 0 { break }
                done += n
            }
        }
        try fd.close()
        bytes = buffer
    } catch {
        print("\(name): cannot read: \(error)")
        continue
    }
    do {
        var runs = 0
        var result = (messages: 0, checksum: 0.0)
        let start = now()
        repeat {
            result = try decode(bytes, path: path)
            runs += 1
        } while now() - start < minimumSeconds
        let elapsed = now() - start
        let mbps = Double(bytes.count) * Double(runs) / elapsed / 1e6
        totalBytes += Double(bytes.count) * Double(runs)
        totalSeconds += elapsed
        let perMessage = elapsed / Double(runs * result.messages) * 1e9
        print("\(path.lastComponent?.string ?? name): \(bytes.count) bytes, \(result.messages) messages, \(runs) runs: "
              + "\(String(Int(mbps.rounded()))) MB/s, \(String(Int(perMessage.rounded()))) ns/message (checksum \(result.checksum))")
    } catch {
        print("\(error)")
    }
}
if totalSeconds > 0 {
    print("all files: \(String(Int((totalBytes / totalSeconds / 1e6).rounded()))) MB/s (1 MB = 10^6 bytes)")
}
