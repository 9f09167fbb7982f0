// SPDX-License-Identifier: MIT
import SystemPackage

/// Reads a file line by line through one reusable buffer (64 KiB, grown only for longer lines).
struct LineReader {
    private let fd: FileDescriptor
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEOF = false

    init(fd: FileDescriptor, chunkBytes: Int = 65536) {
        self.fd = fd
        buffer = [UInt8](repeating: 0, count: chunkBytes)
    }

    /// The next line without its `\n` (and without a `\r` before it), or `nil` at the end.
    /// The slice is valid until the next call.
    mutating func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            if let nl = buffer[start..<end].firstIndex(of: 0x0A) {
                let lineEnd = nl > start && buffer[nl - 1] == 0x0D ? nl - 1 : nl
                defer { start = nl + 1 }
                return buffer[start..<lineEnd]
            }
            if atEOF {
                guard start < end else { return nil }
                let lineEnd = buffer[end - 1] == 0x0D ? end - 1 : end
                defer { start = end }
                return buffer[start..<lineEnd]
            }
            try refill()
        }
    }

    private mutating func refill() throws {
        if start > 0 {
            // Move the partial line to the front.
            let n = end - start
            for i in 0..<n { buffer[i] = buffer[start + i] }
            start = 0
            end = n
        }
        if end == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
        let got = try buffer.withUnsafeMutableBytes { raw in
            try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]))
        }
        if got == 0 { atEOF = true }
        end += got
    }
}
