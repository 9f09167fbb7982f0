// SPDX-License-Identifier: MIT
import ArgumentParser
import CrampCore
import CrampFiles
import CrampSinks
import SystemPackage

/// `crampd info FILE`: what is in a recorded session, in the manner of `edfinfo`.
///
/// Reads the whole file (streamed, one data record or one line at a time), so a truncated file
/// or a header that lies about its size is reported, not just summarised.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe an EDF/EDF+/BDF or CSV session: format, duration, signals, annotations.",
        discussion: """
            Files ending in .csv are read as CSV sessions (Recordings/README.md); anything else \
            as EDF, EDF+ or BDF. The whole file is read and checked. For CSV, sample rates are \
            estimated from each column's sample count and time span.

            With --json, prints one JSON object per line: one {"class":"INFO",...}, one \
            {"class":"SIGNAL",...} per signal, one {"class":"ANNOTATION",...} per listed \
            annotation.

            A file that cannot be read is reported on stderr as \
            "crampd: FILE: byte N: problem" (or "line N" for CSV), with exit status 1.
            """
    )

    @Argument(help: "The session file (.edf, .bdf, .csv).")
    var file: String

    @Flag(help: "Print JSON lines instead of text.")
    var json = false

    @Option(help: ArgumentHelp(
        "How many annotations to list: a number, or 'all'. The total count is always given.",
        valueName: "N|all"))
    var annotations: AnnotationLimit = .first(20)

    func run() throws {
        let path = FilePath(file)
        let summary: SessionSummary
        do {
            summary = try file.lowercased().hasSuffix(".csv")
                ? SessionSummary(csv: path, limit: annotations)
                : SessionSummary(edf: path, limit: annotations)
        } catch let error as EDFError {
            Self.printError(error.description)
            throw ExitCode.failure
        } catch let error as CSVError {
            Self.printError(error.description)
            throw ExitCode.failure
        }
        for line in json ? summary.jsonLines() : summary.textLines() { print(line) }
    }

    private static func printError(_ message: String) {
        _ = try? FileDescriptor.standardError.writeAll(Array((message + "\n").utf8))
    }
}

/// `--annotations N` or `--annotations all`.
enum AnnotationLimit: ExpressibleByArgument, Equatable {
    case first(Int)
    case all

    init?(argument: String) {
        if argument.lowercased() == "all" {
            self = .all
        } else if let n = Int(argument), n >= 0 {
            self = .first(n)
        } else {
            return nil
        }
    }

    var defaultValueDescription: String {
        switch self {
        case .all: "all"
        case .first(let n): String(n)
        }
    }

    /// True if an annotation numbered `index` (from 0) is listed.
    func includes(_ index: Int) -> Bool {
        switch self {
        case .all: true
        case .first(let n): index < n
        }
    }
}

// MARK: - Summary

/// Everything `info` reports, gathered in one streamed pass over the file.
struct SessionSummary {
    struct Signal {
        var label: String
        var channel: ChannelDescriptor?
        var unit: String
        var rateHz: Double?
        var samples: Int
        /// EDF only.
        var spec: EDFSignalSpec?
        /// CSV only: time of the first and last sample, in seconds.
        var firstSeconds: Double?
        var lastSeconds: Double?
    }

    var path: String
    var format: String
    var edfHeader: EDFHeader?
    /// CSV: rows and the time span of the rows.
    var rows: Int?
    var startSeconds: Double = 0
    var durationSeconds: Double = 0
    var signals: [Signal] = []
    var annotationCount = 0
    var listed: [Annotation] = []

    init(edf path: FilePath, limit: AnnotationLimit) throws(EDFError) {
        let reader = try EDFReader(path: path)
        defer { reader.close() }
        let h = reader.header
        self.path = path.string
        format = h.format.description
        edfHeader = h
        durationSeconds = h.durationSeconds
        var firstOnsetSeconds: Double?
        while try reader.nextRecord(decodingSamples: false) {
            if firstOnsetSeconds == nil { firstOnsetSeconds = reader.recordOnsetSeconds }
            for a in reader.recordAnnotations {
                if limit.includes(annotationCount) { listed.append(a) }
                annotationCount += 1
            }
        }
        if h.format.isDiscontinuous, let firstOnsetSeconds {
            // EDF+D: the span from the first record's onset to the end of the last record.
            durationSeconds = reader.recordOnsetSeconds + h.recordDurationSeconds - firstOnsetSeconds
        }
        signals = h.signals.enumerated().map { i, s in
            Signal(label: s.label, channel: s.channel, unit: s.physicalDimension, rateHz: h.sampleRate(of: i).value,
                   samples: s.samplesPerRecord * h.recordCount, spec: s)
        }
    }

    init(csv path: FilePath, limit: AnnotationLimit) throws(CSVError) {
        let reader = try CSVSessionReader(path: path)
        defer { reader.close() }
        self.path = path.string
        format = "CSV"
        var counts = [Int](repeating: 0, count: reader.columns.count)
        var first = [Double?](repeating: nil, count: reader.columns.count)
        var last = [Double?](repeating: nil, count: reader.columns.count)
        var firstRow: Double?
        while try reader.nextRow() {
            if firstRow == nil { firstRow = reader.timeSeconds }
            for (i, v) in reader.values.enumerated() where v != nil {
                counts[i] += 1
                if first[i] == nil { first[i] = reader.timeSeconds }
                last[i] = reader.timeSeconds
            }
            if let a = reader.rowAnnotation {
                if limit.includes(annotationCount) { listed.append(a) }
                annotationCount += 1
            }
        }
        rows = reader.rowsRead
        startSeconds = firstRow ?? 0
        durationSeconds = (firstRow.map { reader.timeSeconds - $0 }) ?? 0
        signals = reader.columns.enumerated().map { i, c in
            var rate: Double?
            if counts[i] >= 2, let f = first[i], let l = last[i], l > f { rate = Double(counts[i] - 1) / (l - f) }
            return Signal(label: c.label, channel: c.channel, unit: c.unit ?? "", rateHz: rate, samples: counts[i],
                          firstSeconds: first[i], lastSeconds: last[i])
        }
    }

    // MARK: - Text

    func textLines() -> [String] {
        var out: [String] = []
        func row(_ name: String, _ value: String) { out.append(pad(name + ":", 14) + value) }
        row("File", path)
        row("Format", format)
        if let h = edfHeader {
            row("Start", h.start.description)
            row("Duration", "\(number(durationSeconds, 6)) s (\(clock(durationSeconds)))")
            row("Records", "\(h.recordCount) × \(number(h.recordDurationSeconds, 6)) s")
            row("Patient", h.patientIdentification)
            row("Recording", h.recordingIdentification)
        } else {
            row("Rows", "\(rows ?? 0)")
            row("Time", "\(number(startSeconds, 6)) s to \(number(startSeconds + durationSeconds, 6)) s")
            row("Duration", "\(number(durationSeconds, 6)) s (\(clock(durationSeconds)))")
        }
        row("Signals", "\(signals.count)")
        var table = [["#", "label", "channel", "rate Hz", "unit", "physical range", "digital range", "samples"]]
        for (i, s) in signals.enumerated() {
            let physical = s.spec.map { "\(number($0.physicalMinimum, 6)) … \(number($0.physicalMaximum, 6))" } ?? "-"
            let digital = s.spec.map { "\($0.digitalMinimum) … \($0.digitalMaximum)" } ?? "-"
            let rate = s.rateHz.map { (s.spec == nil ? "~" : "") + number($0, s.spec == nil ? 3 : 6) } ?? "-"
            table.append(["\(i)", s.label, s.channel?.label ?? "not analysed", rate, s.unit.isEmpty ? "-" : s.unit,
                          physical, digital, "\(s.samples)"])
        }
        out += align(table).map { "  " + $0 }
        row("Annotations", annotationCount == listed.count ? "\(annotationCount)" : "\(annotationCount) (first \(listed.count) listed)")
        if !listed.isEmpty {
            var ann = [["onset s", "duration s", "text"]]
            for a in listed {
                ann.append([number(a.onsetSeconds, 6), a.durationSeconds.map { number($0, 6) } ?? "-", a.text])
            }
            out += align(ann).map { "  " + $0 }
        }
        return out
    }

    // MARK: - JSON

    func jsonLines() -> [String] {
        var info = JSONLine(class: "INFO")
        info.add("path", path)
        info.add("format", format)
        if let h = edfHeader {
            info.add("start", h.start.description)
            info.add("duration_s", durationSeconds, decimals: 6)
            info.add("records", h.recordCount)
            info.add("record_duration_s", h.recordDurationSeconds, decimals: 6)
            info.add("patient", h.patientIdentification)
            info.add("recording", h.recordingIdentification)
        } else {
            info.add("rows", rows ?? 0)
            info.add("start_s", startSeconds, decimals: 6)
            info.add("duration_s", durationSeconds, decimals: 6)
        }
        info.add("signals", signals.count)
        info.add("annotations", annotationCount)
        var out = [info.rendered]
        for (i, s) in signals.enumerated() {
            var o = JSONLine(class: "SIGNAL")
            o.add("index", i)
            o.add("label", s.label)
            if let c = s.channel { o.add("channel", c.label) } else { o.addNull("channel") }
            if let r = s.rateHz { o.add("rate_hz", r, decimals: 6) } else { o.addNull("rate_hz") }
            o.add("rate_estimated", s.spec == nil)
            o.add("unit", s.unit)
            o.add("samples", s.samples)
            if let spec = s.spec {
                o.add("samples_per_record", spec.samplesPerRecord)
                o.add("physical_min", spec.physicalMinimum, decimals: 6)
                o.add("physical_max", spec.physicalMaximum, decimals: 6)
                o.add("digital_min", Int(spec.digitalMinimum))
                o.add("digital_max", Int(spec.digitalMaximum))
                o.add("transducer", spec.transducer)
                o.add("prefiltering", spec.prefiltering)
            } else {
                if let f = s.firstSeconds { o.add("first_s", f, decimals: 6) } else { o.addNull("first_s") }
                if let l = s.lastSeconds { o.add("last_s", l, decimals: 6) } else { o.addNull("last_s") }
            }
            out.append(o.rendered)
        }
        for a in listed {
            var o = JSONLine(class: "ANNOTATION")
            o.add("onset_s", a.onsetSeconds, decimals: 6)
            if let d = a.durationSeconds { o.add("duration_s", d, decimals: 6) } else { o.addNull("duration_s") }
            o.add("text", a.text)
            out.append(o.rendered)
        }
        return out
    }
}

// MARK: - Formatting

/// `value` with at most `decimals` decimals and no trailing zeros (`2000`, `0.25`, `-5000`).
private func number(_ value: Double, _ decimals: Int) -> String {
    var s = JSONLine.format(value, decimals: decimals)
    if s.contains(".") {
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
    }
    return s == "-0" ? "0" : s
}

/// `hh:mm:ss` (with `.sss` if there is a fraction of a second).
private func clock(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "-" }
    let millis = Int((seconds * 1000).rounded())
    let s = millis / 1000
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    var out = "\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))"
    if millis % 1000 != 0 {
        let ms = String(millis % 1000)
        out += "." + String(repeating: "0", count: 3 - ms.count) + ms
    }
    return out
}

private func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
}

/// Rows of cells as left-aligned columns, two spaces apart, trailing spaces removed.
private func align(_ rows: [[String]]) -> [String] {
    var widths: [Int] = []
    for r in rows {
        for (i, c) in r.enumerated() {
            if i == widths.count { widths.append(0) }
            widths[i] = max(widths[i], c.count)
        }
    }
    return rows.map { r in
        var line = ""
        for (i, c) in r.enumerated() { line += i == r.count - 1 ? c : pad(c, widths[i] + 2) }
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }
}
