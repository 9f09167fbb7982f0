// SPDX-License-Identifier: MIT
import CrampCore
import SystemPackage

/// Why a conversion failed: a reading or writing error of either format, or input that the
/// target format cannot hold (irregular sampling for EDF+C, say).
public enum ConversionError: Error, CustomStringConvertible {
    case edf(EDFError)
    case csv(CSVError)
    /// The input is valid but cannot be represented in the target format.
    case unsuitable(path: FilePath, line: Int?, column: String?, what: String)

    public var description: String {
        switch self {
        case let .edf(e): e.description
        case let .csv(e): e.description
        case let .unsuitable(path, line, column, what):
            "crampd: \(path)" + (line.map { ": line \($0)" } ?? "") + (column.map { ": column \"\($0)\"" } ?? "") + ": \(what)"
        }
    }
}

/// What a conversion did that the caller should tell the user about.
public struct ConversionReport: Sendable, Equatable {
    /// Rows (CSV) or data records (EDF) written.
    public var unitsWritten = 0
    /// Samples left out because EDF+ stores whole data records only.
    public var droppedSamples = 0
    /// Annotation durations that the target (CSV) cannot carry.
    public var droppedDurations = 0
    /// Annotations that shared a time with another and were joined with "; " (CSV).
    public var joinedAnnotations = 0
    /// Annotations written at a later row than their onset, because an earlier row was already out.
    public var shiftedAnnotations = 0
    /// Samples clipped to the physical range.
    public var clippedSamples = 0

    /// Human-readable notes, one per non-zero count.
    public var notes: [String] {
        var out: [String] = []
        if droppedSamples > 0 { out.append("\(droppedSamples) trailing samples left out: EDF+ stores whole data records only") }
        if droppedDurations > 0 { out.append("\(droppedDurations) annotation durations not written: CSV annotations have no duration") }
        if joinedAnnotations > 0 { out.append("\(joinedAnnotations) annotations at the same time joined with \"; \"") }
        if shiftedAnnotations > 0 { out.append("\(shiftedAnnotations) annotations written at the next row after their onset") }
        if clippedSamples > 0 { out.append("\(clippedSamples) samples clipped to the physical range") }
        return out
    }
}

/// Converts sessions between EDF+/BDF and CSV, streaming (memory bounded by a data record).
public enum SessionConversion {
    // MARK: - EDF/BDF → CSV

    /// Writes every signal and annotation of an EDF/EDF+/BDF file as a CSV session.
    ///
    /// Rows lie on the union of the signals' sample times (a 2 kHz EMG column has a value in
    /// every row, a 4 Hz HR column in every 500th). Annotations go to the row at their onset,
    /// or to a row of their own between samples.
    public static func edfToCSV(from input: FilePath, to output: FilePath) throws(ConversionError) -> ConversionReport {
        let reader: EDFReader
        do { reader = try EDFReader(path: input) } catch { throw .edf(error) }
        defer { reader.close() }
        let signals = reader.header.signals
        let writer: CSVSessionWriter
        do {
            writer = try CSVSessionWriter(
                path: output,
                columns: signals.map { ($0.label, $0.physicalDimension) },
                annotationColumn: true,
                comments: ["Converted by crampd from \(input.lastComponent?.string ?? input.string)",
                           "Start: \(reader.header.start)"]
            )
        } catch { throw .csv(error) }

        var report = ConversionReport()
        var pending: [Annotation] = []  // sorted by onset
        var cells = [Float?](repeating: nil, count: signals.count)
        var index = [Int](repeating: 0, count: signals.count)
        let duration = reader.header.recordDurationSeconds
        var lastTime = -Double.infinity
        var carried: [String] = []  // annotations whose row had already been written
        let sameTime = 5e-7  // half the CSV's 1 µs time resolution

        func emit(_ time: Double, _ text: String?) throws(ConversionError) {
            do {
                try cells.withUnsafeBufferPointer { (b) throws(CSVError) in
                    try writer.writeRow(timeSeconds: time, cells: b, annotation: text)
                }
            } catch { throw .csv(error) }
            lastTime = time
            report.unitsWritten += 1
        }

        /// Annotations due strictly before `time` get rows of their own; those at `time` are returned.
        func annotations(before time: Double) throws(ConversionError) -> String? {
            while let first = pending.first, first.onsetSeconds < time - sameTime {
                pending.removeFirst()
                var texts = [first.text]
                while let next = pending.first, abs(next.onsetSeconds - first.onsetSeconds) < sameTime {
                    texts.append(next.text)
                    report.joinedAnnotations += 1
                    pending.removeFirst()
                }
                let t = first.onsetSeconds > lastTime + sameTime ? first.onsetSeconds : nil
                if let t {
                    for i in cells.indices { cells[i] = nil }
                    try emit(t, texts.joined(separator: "; "))
                } else {
                    report.shiftedAnnotations += texts.count
                    carried.append(contentsOf: texts)
                }
            }
            var texts = carried
            carried.removeAll()
            while let next = pending.first, abs(next.onsetSeconds - time) < sameTime {
                texts.append(next.text)
                pending.removeFirst()
            }
            if texts.count > 1 { report.joinedAnnotations += texts.count - 1 }
            return texts.isEmpty ? nil : texts.joined(separator: "; ")
        }

        while true {
            let more: Bool
            do { more = try reader.nextRecord() } catch { throw .edf(error) }
            guard more else { break }
            for a in reader.recordAnnotations {
                if a.durationSeconds != nil { report.droppedDurations += 1 }
                let at = pending.firstIndex { $0.onsetSeconds > a.onsetSeconds } ?? pending.endIndex
                pending.insert(a, at: at)
            }
            let onset = reader.recordOnsetSeconds
            for i in index.indices { index[i] = 0 }
            while true {
                // The next sample time is the smallest j/spr over the signals (exact rationals).
                var best = -1
                for i in signals.indices where index[i] < signals[i].samplesPerRecord {
                    if best < 0 || index[i] * signals[best].samplesPerRecord < index[best] * signals[i].samplesPerRecord {
                        best = i
                    }
                }
                guard best >= 0 else { break }
                let (jb, nb) = (index[best], signals[best].samplesPerRecord)
                let time = onset + duration * Double(jb) / Double(nb)
                // Annotation-only rows before this one reuse `cells`, so fill them afterwards.
                let text = try annotations(before: time)
                for i in signals.indices {
                    if index[i] < signals[i].samplesPerRecord, index[i] * nb == jb * signals[i].samplesPerRecord {
                        cells[i] = reader.withSamples(of: i) { $0[index[i]] }
                        index[i] += 1
                    } else {
                        cells[i] = nil
                    }
                }
                try emit(time, text)
            }
        }
        // Annotations after the last sample.
        for i in cells.indices { cells[i] = nil }
        if let text = try annotations(before: .infinity) {
            try emit(lastTime + 1e-6, text)
        }
        do { try writer.close() } catch { throw .csv(error) }
        return report
    }

    // MARK: - CSV → EDF+

    /// Writes a CSV session as EDF+C, one signal per channel column.
    ///
    /// Two streaming passes: the first finds each column's sample count, time span (hence its
    /// rate) and value range; the second writes data records. EDF+C has no timestamps, so every
    /// column must be regularly sampled from the session start at a rate that gives a whole
    /// number of samples per data record; otherwise the error names the line and column.
    ///
    /// - Parameter recordDurationSeconds: the data record duration (default 1 s).
    public static func csvToEDF(from input: FilePath, to output: FilePath, recordDurationSeconds: Double = 1) throws(ConversionError) -> ConversionReport {
        // Pass 1: counts, spans, ranges, annotations.
        let scan: CSVScan
        do { scan = try CSVScan(path: input) } catch { throw .csv(error) }
        guard !scan.columns.isEmpty else {
            throw .unsuitable(path: input, line: nil, column: nil, what: "no channel columns to write")
        }
        var specs: [EDFSignalSpec] = []
        var periods: [Double] = []
        for (c, column) in scan.columns.enumerated() {
            let s = scan.stats[c]
            guard s.count >= 2 else {
                throw .unsuitable(path: input, line: nil, column: column.label, what: "fewer than two samples; a rate cannot be derived")
            }
            guard s.longestInterval <= 1.5 * s.shortestInterval else {
                throw .unsuitable(path: input, line: s.longestIntervalLine, column: column.label,
                                  what: "irregular sampling: \(s.longestInterval) s since the previous sample, but \(s.shortestInterval) s elsewhere; EDF+C needs regular samples (a gap or a jitter)")
            }
            let rate = Double(s.count - 1) / (s.lastTime - s.firstTime)
            let perRecord = rate * recordDurationSeconds
            let whole = perRecord.rounded()
            guard whole >= 1, abs(perRecord - whole) <= 1e-3 * whole else {
                throw .unsuitable(path: input, line: nil, column: column.label,
                                  what: "rate \(rate) Hz gives \(perRecord) samples per \(recordDurationSeconds) s record; EDF+ needs a whole number (try --record-duration)")
            }
            guard abs(s.firstTime - scan.startTime) < 0.5 / rate else {
                throw .unsuitable(path: input, line: s.firstLine, column: column.label,
                                  what: "first sample at \(s.firstTime) s, after the session start \(scan.startTime) s; EDF+C signals start together")
            }
            let (low, high) = (Double(s.minimum), Double(s.maximum))
            let span = high - low
            let margin = span > 0 ? span * 0.05 : max(abs(high) * 0.05, 1)
            let unit = column.unit ?? column.channel?.kind.canonicalUnit ?? ""
            specs.append(EDFSignalSpec(
                label: column.label, physicalDimension: unit,
                physicalMinimum: low - margin, physicalMaximum: high + margin,
                samplesPerRecord: Int(whole)))
            periods.append(1 / rate)
        }
        let records = zip(scan.stats, specs).map { $0.count / $1.samplesPerRecord }.min() ?? 0
        guard records > 0 else {
            throw .unsuitable(path: input, line: nil, column: nil, what: "shorter than one \(recordDurationSeconds) s data record")
        }
        var report = ConversionReport()
        report.droppedSamples = zip(scan.stats, specs).reduce(0) { $0 + $1.0.count - records * $1.1.samplesPerRecord }

        // Pass 2: write.
        let writer: EDFWriter
        do {
            writer = try EDFWriter(path: output, header: EDFWriterHeader(
                signals: specs, start: EDFDateTime(year: 2000, month: 1, day: 1, hour: 0, minute: 0, second: 0),
                recordDurationSeconds: recordDurationSeconds))
        } catch { throw .edf(error) }
        let reader: CSVSessionReader
        do { reader = try CSVSessionReader(path: input) } catch { throw .csv(error) }
        defer { reader.close() }
        var queues = specs.map { _ in [Float]() }
        var heads = [Int](repeating: 0, count: specs.count)
        var lastTimes = [Double](repeating: .nan, count: specs.count)
        var record = specs.map { [Float](repeating: 0, count: $0.samplesPerRecord) }
        var annotationIndex = 0
        let annotations = scan.annotations

        func writeReadyRecords() throws(ConversionError) {
            while writer.recordsWritten < records,
                  queues.indices.allSatisfy({ queues[$0].count - heads[$0] >= specs[$0].samplesPerRecord }) {
                for c in queues.indices {
                    let n = specs[c].samplesPerRecord
                    for k in 0..<n { record[c][k] = queues[c][heads[c] + k] }
                    heads[c] += n
                    if heads[c] >= 4 * n {
                        queues[c].removeFirst(heads[c])
                        heads[c] = 0
                    }
                }
                let last = writer.recordsWritten == records - 1
                let end = Double(writer.recordsWritten + 1) * recordDurationSeconds
                var batch: [Annotation] = []
                while annotationIndex < annotations.count, last || annotations[annotationIndex].onsetSeconds < end {
                    batch.append(annotations[annotationIndex])
                    annotationIndex += 1
                }
                do { try writer.writeRecord(record, annotations: batch) } catch { throw .edf(error) }
            }
        }

        while writer.recordsWritten < records {
            let more: Bool
            do { more = try reader.nextRow() } catch { throw .csv(error) }
            guard more else { break }
            for c in specs.indices {
                guard let v = reader.values[c] else { continue }
                let t = reader.timeSeconds
                if !lastTimes[c].isNaN, abs(t - lastTimes[c] - periods[c]) > 0.5 * periods[c] {
                    throw .unsuitable(path: input, line: reader.lineNumber, column: specs[c].label,
                                      what: "irregular sampling: \(t - lastTimes[c]) s since the previous sample, expected \(periods[c]) s; EDF+C needs regular samples (a gap or a jitter)")
                }
                lastTimes[c] = t
                queues[c].append(v)
            }
            try writeReadyRecords()
        }
        do { try writer.close() } catch { throw .edf(error) }
        report.unitsWritten = writer.recordsWritten
        report.clippedSamples = writer.clippedSamples
        return report
    }
}

/// The first pass over a CSV session: per-column statistics and all annotations.
struct CSVScan {
    struct Stats {
        var count = 0
        var firstTime = 0.0
        var firstLine = 0
        var lastTime = 0.0
        var shortestInterval = Double.infinity
        var longestInterval = 0.0
        var longestIntervalLine = 0
        var minimum: Float = .infinity
        var maximum: Float = -.infinity
    }

    var columns: [CSVColumn]
    var stats: [Stats]
    var annotations: [Annotation] = []
    var startTime = 0.0

    init(path: FilePath) throws(CSVError) {
        let reader = try CSVSessionReader(path: path)
        defer { reader.close() }
        columns = reader.columns
        stats = reader.columns.map { _ in Stats() }
        var first = true
        while try reader.nextRow() {
            let t = reader.timeSeconds
            if first { startTime = t; first = false }
            for c in stats.indices {
                guard let v = reader.values[c] else { continue }
                if stats[c].count == 0 {
                    stats[c].firstTime = t
                    stats[c].firstLine = reader.lineNumber
                }
                if stats[c].count > 0 {
                    let interval = t - stats[c].lastTime
                    stats[c].shortestInterval = min(stats[c].shortestInterval, interval)
                    if interval > stats[c].longestInterval {
                        stats[c].longestInterval = interval
                        stats[c].longestIntervalLine = reader.lineNumber
                    }
                }
                stats[c].count += 1
                stats[c].lastTime = t
                stats[c].minimum = min(stats[c].minimum, v)
                stats[c].maximum = max(stats[c].maximum, v)
            }
            if var a = reader.rowAnnotation {
                a.onsetSeconds -= startTime
                annotations.append(a)
            }
        }
    }
}
