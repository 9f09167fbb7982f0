// SPDX-License-Identifier: MIT
import CrampCore
import SystemPackage

/// Streams an EDF, EDF+ (C or D) or BDF(+) file one data record at a time.
///
/// `init(path:)` reads and validates the whole header and checks that the file size matches
/// the header (so a truncated file or a lying record count fails before any data is used).
/// Each ``nextRecord()`` then reads one data record into a reusable buffer, converts every data
/// signal to physical values (`Float`) with a gain and offset computed once, and decodes the
/// record's annotations. Memory is bounded by one data record, whatever the file size.
///
/// ```swift
/// let reader = try EDFReader(path: "run.edf")
/// while try reader.nextRecord() {
///     let emg = reader.samples(of: 0)      // physical values of data signal 0
///     let t0 = reader.recordOnsetSeconds   // from the time-keeping TAL in EDF+
/// }
/// ```
public final class EDFReader {
    /// The file being read.
    public let path: FilePath
    /// The validated header.
    public let header: EDFHeader
    /// Data records read so far; the current record is `recordsRead - 1`.
    public private(set) var recordsRead = 0
    /// Onset of the current record in seconds from the file start: its time-keeping TAL in
    /// EDF+/BDF+, else record index × record duration.
    public private(set) var recordOnsetSeconds: Double = 0
    /// The annotations stored in the current record (onsets in seconds from the file start).
    public private(set) var recordAnnotations: [Annotation] = []

    private var fd: FileDescriptor?
    private let layouts: [EDFSignalLayout]
    private var record: [UInt8] = []
    private var physical: [[Float]]
    private var firstOnsetSeconds: Double = 0
    private var previousOnsetSeconds: Double = 0

    /// Opens `path` and validates its header against the file size.
    ///
    /// - Throws: ``EDFError`` naming the byte and field of the first problem: `.emptyFile`,
    ///   `.notEDF`, `.truncatedHeader`, `.invalidNumber`, `.headerSizeMismatch`,
    ///   `.invalidSignalCount`, `.invalidSamplesPerRecord`, `.invalidDigitalRange`,
    ///   `.invalidPhysicalRange`, `.invalidRecordDuration`, `.unfinishedRecording`,
    ///   `.truncatedData`, `.recordCountMismatch`, `.invalidField`, `.io`.
    public init(path: FilePath) throws(EDFError) {
        self.path = path
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(path, .readOnly)
        } catch {
            throw EDFError.io(error, "open the file", path: path)
        }
        do throws(EDFError) {
            let size: Int
            do {
                size = Int(try fd.seek(offset: 0, from: .end))
                _ = try fd.seek(offset: 0, from: .start)
            } catch {
                throw EDFError.io(error, "find the file size", path: path)
            }
            guard size > 0 else {
                throw EDFError(.emptyFile, path: path, byteOffset: nil, what: "the file is empty",
                               expected: "an EDF or BDF header of at least 256 bytes", found: "0 bytes")
            }
            let parser = EDFHeaderParser(path: path, fileSize: size)
            var bytes = try Self.read(fd, count: min(size, EDFLayout.fixedHeaderBytes), at: 0, path: path)
            if size < EDFLayout.fixedHeaderBytes {
                // Say "not EDF" rather than "truncated" when even the version field is wrong.
                let edf = Array("0       ".utf8), bdf = [0xFF] + Array("BIOSEMI".utf8)
                let version = bytes.prefix(8)
                guard edf.starts(with: version) || bdf.starts(with: version) else {
                    throw EDFError(.notEDF, path: path, byteOffset: 0, what: "not an EDF or BDF file (bad version field)",
                                   expected: "\"0       \" (EDF) or \"\\xFFBIOSEMI\" (BDF)", found: EDFField.quoted(version))
                }
                throw EDFError(.truncatedHeader, path: path, byteOffset: size, what: "the file ends inside the header",
                               expected: "at least 256 bytes", found: "\(size) bytes")
            }
            let (format, ns) = try parser.parseFixedPart(bytes)
            let headerBytes = EDFLayout.headerBytes(signalCount: ns)
            bytes += try Self.read(fd, count: headerBytes - bytes.count, at: bytes.count, path: path)
            let (header, layouts) = try parser.parse(bytes, format: format, signalCount: ns)
            self.header = header
            self.layouts = layouts
            physical = header.signals.map { _ in [] }
            self.fd = fd
        } catch {
            try? fd.close()
            throw error
        }
    }

    deinit {
        try? fd?.close()
    }

    /// Closes the file; ``nextRecord()`` then returns `false`. Calling it again does nothing.
    public func close() {
        try? fd?.close()
        fd = nil
    }

    /// The physical values of data signal `signalIndex` (an index into `header.signals`) in the
    /// current record: `samplesPerRecord` values.
    ///
    /// - Important: The storage is reused by the next ``nextRecord()``; copy what you keep
    ///   (holding the array across calls makes the next call copy it).
    public func samples(of signalIndex: Int) -> [Float] { physical[signalIndex] }

    /// Calls `body` with the physical values of data signal `signalIndex`, without copying.
    public func withSamples<R>(of signalIndex: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try physical[signalIndex].withUnsafeBufferPointer(body)
    }

    /// Reads the next data record.
    ///
    /// - Parameter decodingSamples: `false` skips converting the samples (``samples(of:)``
    ///   then still holds the previous record's values); the record is still read, and its
    ///   annotations decoded and checked. For a pass that only needs the annotations.
    /// - Returns: `false` after the last record (or after ``close()``).
    /// - Throws: ``EDFError`` `.truncatedData` if the file shrank, `.malformedAnnotation` for a
    ///   bad TAL, `.recordOnsetOutOfOrder` if EDF+ record onsets go backwards (or are not
    ///   contiguous in EDF+C), `.io` on a read error.
    public func nextRecord(decodingSamples: Bool = true) throws(EDFError) -> Bool {
        try readRecord(decodingSamples: decodingSamples)
    }

    /// Reads every remaining record and returns the annotations, in file order.
    public func readAllAnnotations() throws(EDFError) -> [Annotation] {
        var all: [Annotation] = []
        while try readRecord(decodingSamples: false) { all += recordAnnotations }
        return all
    }

    /// Reads every annotation of the file at `path`, validating the whole file on the way.
    public static func readAllAnnotations(path: FilePath) throws(EDFError) -> [Annotation] {
        let reader = try EDFReader(path: path)
        defer { reader.close() }
        return try reader.readAllAnnotations()
    }

    // MARK: - Records

    private func readRecord(decodingSamples: Bool) throws(EDFError) -> Bool {
        guard let fd, recordsRead < header.recordCount else { return false }
        let recordStart = header.headerBytes + recordsRead * header.recordBytes
        if record.isEmpty {
            // Allocated on first use: the size check in init has shown the file holds it.
            record = [UInt8](repeating: 0, count: header.recordBytes)
            for (i, s) in header.signals.enumerated() { physical[i] = [Float](repeating: 0, count: s.samplesPerRecord) }
        }
        try fill(fd, at: recordStart)
        recordAnnotations.removeAll(keepingCapacity: true)
        var onset: Double?
        let isPlus = header.format.isPlus
        let bytesPerSample = header.format.bytesPerSample
        var sawAnnotationSignal = false
        for layout in layouts {
            if layout.isAnnotation {
                let first = !sawAnnotationSignal
                sawAnnotationSignal = true
                let result = record.withUnsafeBytes { raw -> Result<Double?, EDFAnnotationDecoding.Problem> in
                    let bytes = UnsafeRawBufferPointer(rebasing: raw[layout.byteOffset..<(layout.byteOffset + layout.samples * bytesPerSample)])
                    do throws(EDFAnnotationDecoding.Problem) {
                        return .success(try EDFAnnotationDecoding.decode(bytes, timeKeeping: first, into: &recordAnnotations))
                    } catch {
                        return .failure(error)
                    }
                }
                let decoded: Double?
                switch result {
                case .success(let d): decoded = d
                case .failure(let error):
                    throw EDFError(.malformedAnnotation, path: path, byteOffset: recordStart + layout.byteOffset + error.offset,
                                   what: "data record \(recordsRead): \(error.what)", expected: error.expected, found: error.found)
                }
                if first { onset = decoded }
            } else if decodingSamples {
                decode(layout, bytesPerSample: bytesPerSample)
            }
        }
        if isPlus, let onset {
            try checkOnset(onset, recordStart: recordStart)
            recordOnsetSeconds = onset
        } else {
            recordOnsetSeconds = Double(recordsRead) * header.recordDurationSeconds
        }
        recordsRead += 1
        return true
    }

    /// Converts one data signal of the current record to physical values.
    private func decode(_ layout: EDFSignalLayout, bytesPerSample: Int) {
        let gain = layout.gain, offset = layout.offset
        record.withUnsafeBytes { raw in
            physical[layout.dataIndex].withUnsafeMutableBufferPointer { out in
                var at = layout.byteOffset
                if bytesPerSample == 2 {
                    for j in 0..<out.count {
                        let d = Int16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int16.self))
                        out[j] = Float(Double(d) * gain + offset)
                        at += 2
                    }
                } else {
                    for j in 0..<out.count {
                        // 24-bit little-endian two's complement: shift into the top of an Int32
                        // and back to sign-extend.
                        let u = UInt32(raw[at]) | UInt32(raw[at + 1]) << 8 | UInt32(raw[at + 2]) << 16
                        let d = Int32(bitPattern: u << 8) >> 8
                        out[j] = Float(Double(d) * gain + offset)
                        at += 3
                    }
                }
            }
        }
    }

    /// EDF+ record onsets never go backwards; in EDF+C each follows the previous one by exactly
    /// one record duration (to 0.1 % of it, for writers that round their TAL onsets).
    private func checkOnset(_ onset: Double, recordStart: Int) throws(EDFError) {
        let duration = header.recordDurationSeconds
        let tolerance = max(1e-6, duration * 1e-3)
        let at = recordStart + (layouts.first(where: \.isAnnotation)?.byteOffset ?? 0)
        if recordsRead == 0 {
            firstOnsetSeconds = onset
        } else if onset < previousOnsetSeconds + duration - tolerance {
            throw EDFError(.recordOnsetOutOfOrder, path: path, byteOffset: at,
                           what: "data record \(recordsRead) starts before the previous one ends (record onsets go backwards or overlap)",
                           expected: "an onset ≥ \(EDFAnnotationEncoding.onsetText(previousOnsetSeconds + duration)) s",
                           found: "\(EDFAnnotationEncoding.onsetText(onset)) s")
        } else if !header.format.isDiscontinuous && duration > 0 {
            // (Annotation-only files have duration 0: their records carry no time span.)
            let expected = firstOnsetSeconds + Double(recordsRead) * duration
            if abs(onset - expected) > tolerance {
                throw EDFError(.recordOnsetOutOfOrder, path: path, byteOffset: at,
                               what: "data record \(recordsRead) of an \(header.format) (continuous) file leaves a gap",
                               expected: "onset \(EDFAnnotationEncoding.onsetText(expected)) s",
                               found: "\(EDFAnnotationEncoding.onsetText(onset)) s")
            }
        }
        previousOnsetSeconds = onset
    }

    // MARK: - I/O

    /// Reads one whole data record at `offset` into `record`.
    private func fill(_ fd: FileDescriptor, at offset: Int) throws(EDFError) {
        let count = header.recordBytes
        var done = 0
        do {
            try record.withUnsafeMutableBytes { raw in
                while done < count {
                    let n = try fd.read(fromAbsoluteOffset: Int64(offset + done), into: UnsafeMutableRawBufferPointer(rebasing: raw[done...]))
                    if n == 0 { break }
                    done += n
                }
            }
        } catch {
            throw EDFError.io(error, "read data record \(recordsRead)", path: path, byteOffset: offset + done)
        }
        guard done == count else {
            throw EDFError(.truncatedData, path: path, byteOffset: offset + done,
                           what: "the file ends inside data record \(recordsRead) (it shrank while being read?)",
                           expected: "\(count) bytes of record", found: "\(done)")
        }
    }

    private static func read(_ fd: FileDescriptor, count: Int, at offset: Int, path: FilePath) throws(EDFError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        do {
            try bytes.withUnsafeMutableBytes { raw in
                while done < count {
                    let n = try fd.read(fromAbsoluteOffset: Int64(offset + done), into: UnsafeMutableRawBufferPointer(rebasing: raw[done...]))
                    if n == 0 { break }
                    done += n
                }
            }
        } catch {
            throw EDFError.io(error, "read the header", path: path, byteOffset: offset + done)
        }
        guard done == count else {
            throw EDFError(.truncatedHeader, path: path, byteOffset: offset + done, what: "the file ends inside the header",
                           expected: "\(count) more bytes", found: "\(done)")
        }
        return bytes
    }
}
