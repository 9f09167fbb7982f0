// SPDX-License-Identifier: MIT
#if canImport(Glibc)
import Glibc
#endif

/// Reads a capture file line by line (streaming: memory does not grow with the file).
public final class BLECaptureReader {
    public let path: String
    private var file: UnsafeMutablePointer<FILE>?
    private var parser: BLECaptureParser
    private var pending: BLECaptureEntry?

    /// Opens the file and reads its header.
    ///
    /// - Throws: ``BLECaptureError`` when the file cannot be opened or its header is invalid.
    public init(path: String) throws(BLECaptureError) {
        self.path = path
        parser = BLECaptureParser(path: path)
        guard let file = fopen(path, "r") else {
            throw BLECaptureError(path: path, line: 0, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        self.file = file
        // Read up to the first record so that the header is complete.
        while let line = try readLine() {
            if let entry = try parser.parseEntry(line: line[...]) {
                pending = entry
                break
            }
        }
        if parser.lineNumber == 0 {
            throw BLECaptureError(path: path, line: 0, message: "the file is empty")
        }
    }

    deinit { close() }

    public var header: BLECaptureHeader { parser.header }

    /// The next value, or `nil` at the end of the file; link and metadata lines (format
    /// version 2) are skipped: ``nextEntry()`` returns them.
    public func next() throws(BLECaptureError) -> BLECaptureRecord? {
        while let entry = try nextEntry() {
            if case let .value(record) = entry { return record }
        }
        return nil
    }

    /// The next value, link event or metadata line, or `nil` at the end of the file.
    public func nextEntry() throws(BLECaptureError) -> BLECaptureEntry? {
        if let entry = pending {
            pending = nil
            return entry
        }
        while let line = try readLine() {
            if let entry = try parser.parseEntry(line: line[...]) { return entry }
        }
        return nil
    }

    public func close() {
        if let file { fclose(file) }
        file = nil
    }

    private func readLine() throws(BLECaptureError) -> String? {
        guard let file else { return nil }
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        let n = getline(&buffer, &capacity, file)
        if n < 0 {
            if ferror(file) != 0 {
                throw BLECaptureError(path: path, line: parser.lineNumber + 1, message: "read error: \(String(cString: strerror(errno)))")
            }
            return nil
        }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: n)
        let line = bytes.last == UInt8(ascii: "\n") ? UnsafeRawBufferPointer(rebasing: bytes.dropLast()) : bytes
        return String(decoding: line, as: UTF8.self)
    }
}

/// Writes a capture file: the header at creation, then one line per record.
public final class BLECaptureWriter {
    public let path: String
    private var file: UnsafeMutablePointer<FILE>?

    /// Creates (or truncates) the file and writes the header.
    public init(path: String, header: BLECaptureHeader) throws(BLECaptureError) {
        self.path = path
        guard let file = fopen(path, "w") else {
            throw BLECaptureError(path: path, line: 0, message: "cannot create: \(String(cString: strerror(errno)))")
        }
        self.file = file
        try write(header.text)
    }

    deinit { try? close() }

    public func write(_ record: BLECaptureRecord) throws(BLECaptureError) {
        try write(record.text + "\n")
    }

    /// Writes a value, link event or metadata line (link and metadata lines need format
    /// version 2, which is what this writer writes unless the header says otherwise).
    public func write(_ entry: BLECaptureEntry) throws(BLECaptureError) {
        try write(entry.text + "\n")
    }

    /// Hands what is buffered to the kernel (so that a crash loses at most what came after).
    public func flush() throws(BLECaptureError) {
        guard let file else { return }
        if fflush(file) != 0 {
            throw BLECaptureError(path: path, line: 0, message: "write failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Flushes and closes the file.
    public func close() throws(BLECaptureError) {
        guard let file else { return }
        self.file = nil
        if fclose(file) != 0 {
            throw BLECaptureError(path: path, line: 0, message: "close failed: \(String(cString: strerror(errno)))")
        }
    }

    private func write(_ text: String) throws(BLECaptureError) {
        guard let file else { throw BLECaptureError(path: path, line: 0, message: "write after close") }
        if fputs(text, file) < 0 {
            throw BLECaptureError(path: path, line: 0, message: "write failed: \(String(cString: strerror(errno)))")
        }
    }
}
