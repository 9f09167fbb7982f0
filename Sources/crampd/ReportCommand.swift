// SPDX-License-Identifier: MIT
import ArgumentParser
import CrampCore
import CrampReport
import CrampSinks
import Glibc
import SystemPackage

/// `crampd report SESSION [--alerts FILE] -o report.html`: one self-contained HTML page that
/// shows a session on a shared time axis; `crampd report --index DIR -o index.html`: a
/// report per session of a directory and an index with their scores.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Draw a session as one self-contained HTML page (or a directory of them with an index).",
        discussion: """
            The page shows, on one time axis: heart rate and cadence (and speed); per EMG \
            channel the RMS and median-frequency trends, the twitch rate and the inter-stride \
            baseline against the runner's own; signal-quality faults; the alerts of --alerts \
            FILE (JSON lines, schemas/crampd-events.schema.json) with their advice; and the \
            ground-truth annotations when the file has them. Inline SVG and CSS, no network. \
            EDF/EDF+/BDF and CSV sessions go through the feature pipeline; FIT and TCX \
            activities give heart rate, cadence and speed only. See docs/REPORT.md.

            --index DIR writes a report for every session file in DIR (.edf, .bdf, .csv, .fit, \
            .tcx) next to the index page given by -o, each scored against its ground truth \
            when its alerts are found in --alerts-dir (NAME.jsonl or NAME.alerts.jsonl, NAME \
            being the session file's name without its extension).
            """
    )

    @Argument(help: "The session file (.edf, .bdf, .csv, .fit, .tcx).")
    var session: String?

    @Option(help: ArgumentHelp("The detector's events for the session (JSON lines: ALERT, SENSOR, SUMMARY).", valueName: "FILE"))
    var alerts: String?

    @Option(help: ArgumentHelp("Write reports for every session in DIR and an index page (-o).", valueName: "DIR"))
    var index: String?

    @Option(help: ArgumentHelp("With --index: where the alerts are (default: DIR itself).", valueName: "DIR"))
    var alertsDir: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("The HTML file to write (with --index: the index page).", valueName: "FILE"))
    var output: String

    @Option(help: ArgumentHelp("Bin width of the plotted medians, seconds (default: from the duration, at most 400 bins).",
                               valueName: "SECONDS"))
    var bin: Double?

    @Option(help: ArgumentHelp("Mains notches: auto (detect from the first 4 s), 50, 60 or off.", valueName: "auto|50|60|off"))
    var mains: MainsOption = .auto

    @Option(help: ArgumentHelp(
        "The runner's baseline strides, as session time FROM-TO in seconds.", valueName: "FROM-TO"))
    var baseline: BaselineOption = BaselineOption(from: 60, to: 300)

    func validate() throws {
        switch (session, index) {
        case (nil, nil): throw ValidationError("give a SESSION file, or --index DIR")
        case (_?, _?): throw ValidationError("give a SESSION file or --index DIR, not both")
        default: break
        }
        if index != nil, alerts != nil { throw ValidationError("--alerts is for one session; with --index use --alerts-dir") }
        if session != nil, alertsDir != nil { throw ValidationError("--alerts-dir needs --index") }
        if let bin, !(bin > 0 && bin.isFinite) { throw ValidationError("--bin must be a positive number of seconds") }
        guard !output.isEmpty else { throw ValidationError("-o/--output needs a file name") }
    }

    func run() throws {
        if let index {
            try runIndex(directory: index)
            return
        }
        let path = session!
        let events: ReportEvents
        do {
            events = try Self.readEvents(alerts)
        } catch {
            StandardError.write(error.description)
            throw ExitCode.failure
        }
        let made: MadeReport
        do {
            made = try makeReport(path)
        } catch {
            StandardError.write(error.description)
            throw ExitCode.failure
        }
        for note in made.notes { StandardError.write("crampd: \(path): \(note)") }
        Self.warnAboutTimes(events, made.report, alertsPath: alerts)
        do {
            try Self.write(ReportRenderer.render(made.report, events: events), to: output)
        } catch {
            StandardError.write("crampd: \(output): cannot write: \(error)")
            throw ExitCode.failure
        }
        let r = made.report
        StandardError.write("crampd: \(output): \(r.session.name), \(HTMLTime.duration(r.session.durationSeconds)), "
            + "\(r.muscles.count) EMG channel\(r.muscles.count == 1 ? "" : "s"), \(r.annotations.count) annotation\(r.annotations.count == 1 ? "" : "s"), "
            + "\(events.alerts.count) alert\(events.alerts.count == 1 ? "" : "s")")
    }

    // MARK: - One session

    struct MadeReport {
        var report: SessionReport
        var notes: [String]
    }

    func featureConfiguration() -> SessionFeatureConfiguration {
        var configuration = SessionFeatureConfiguration()
        configuration.mains = mains.setting
        configuration.strides.baseline = .sessionTime(from: .seconds(baseline.from), to: .seconds(baseline.to))
        return configuration
    }

    /// Reads and reduces the session at `path`.
    func makeReport(_ path: String) throws(ReportSessionError) -> MadeReport {
        let source = try ReportSession.open(path)
        var pipeline: SessionFeaturePipeline
        do {
            pipeline = try SessionFeaturePipeline(channels: source.channels, configuration: featureConfiguration())
        } catch {
            throw ReportSessionError(message: "crampd: \(path): cannot analyse this session: \(error)")
        }
        var builder = SessionReportBuilder(session: source.description, binSeconds: bin)
        try source.stream(into: &pipeline, builder: &builder)
        var notes = source.notes
        if pipeline.nonFiniteSamples > 0 { notes.append("\(pipeline.nonFiniteSamples) non-finite samples were replaced by 0") }
        return MadeReport(report: builder.finish(), notes: notes)
    }

    /// The events of an alerts file (`nil`: none). Lines of classes other than ALERT, SENSOR
    /// and SUMMARY are skipped with a note; anything malformed is an error naming the line.
    static func readEvents(_ path: String?) throws(ReportSessionError) -> ReportEvents {
        guard let path else { return .none }
        let bytes: [UInt8]
        do {
            bytes = try readFile(path)
        } catch {
            throw ReportSessionError(message: "crampd: \(path): cannot read: \(error)")
        }
        var events = ReportEvents(source: FilePath(path).lastComponent?.string ?? path)
        var skipped: [String: Int] = [:]
        for (n, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            var text = String(decoding: line, as: UTF8.self)
            if text.hasSuffix("\r") { text.removeLast() }
            if text.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            do {
                switch try AlertJSON.decode(line: text) {
                case let .alert(a): events.alerts.append(a)
                case let .sensor(s): events.sensorEvents.append(s)
                case .summary: break
                }
            } catch {
                if let c = error.unknownClass {
                    skipped[c, default: 0] += 1
                    continue
                }
                throw ReportSessionError(message: "crampd: \(path): line \(n + 1): \(error.message)")
            }
        }
        for (c, count) in skipped.sorted(by: { $0.key < $1.key }) {
            StandardError.write("crampd: \(path): \(count) line\(count == 1 ? "" : "s") of class \(c) ignored")
        }
        return events
    }

    /// Alerts dated after the session's end usually mean the wrong file.
    static func warnAboutTimes(_ events: ReportEvents, _ report: SessionReport, alertsPath: String?) {
        let end = report.session.durationSeconds
        let late = events.alerts.filter { $0.sessionSeconds > end + 1 }.count
            + events.sensorEvents.filter { $0.sessionSeconds > end + 1 }.count
        if late > 0, let alertsPath {
            StandardError.write("crampd: \(alertsPath): \(late) event\(late == 1 ? "" : "s") after the session's end "
                + "(\(HTMLTime.duration(end))): are these the alerts of \(report.session.name)? They are drawn at the end.")
        }
    }

    // MARK: - Index

    func runIndex(directory: String) throws {
        let files: [String]
        do {
            files = try Self.listDirectory(directory).filter(Self.isSession).sorted()
        } catch {
            StandardError.write("crampd: \(directory): cannot list the directory: \(error)")
            throw ExitCode.failure
        }
        guard !files.isEmpty else {
            StandardError.write("crampd: \(directory): no session files (.edf, .bdf, .csv, .fit, .tcx)")
            throw ExitCode.failure
        }
        let outDirectory = FilePath(output).removingLastComponent()
        let alertsDirectory = FilePath(alertsDir ?? directory)
        var rows: [ReportIndex.Row] = []
        var usedNames: Set<String> = []
        var failed = 0
        for file in files {
            let path = FilePath(directory).appending(file).string
            let stem = FilePath(file).stem ?? file
            var reportName = stem + ".html"
            if usedNames.contains(reportName) { reportName = file + ".html" }
            usedNames.insert(reportName)
            do throws(ReportSessionError) {
                let alertsPath = [stem + ".jsonl", stem + ".alerts.jsonl"]
                    .map { alertsDirectory.appending($0).string }.first(where: Self.exists)
                let events = try Self.readEvents(alertsPath)
                let made = try makeReport(path)
                for note in made.notes { StandardError.write("crampd: \(path): \(note)") }
                Self.warnAboutTimes(events, made.report, alertsPath: alertsPath)
                let reportPath = outDirectory.appending(reportName).string
                do {
                    try Self.write(ReportRenderer.render(made.report, events: events), to: reportPath)
                } catch {
                    throw ReportSessionError(message: "crampd: \(reportPath): cannot write: \(error)")
                }
                let r = made.report
                let episodes = CrampEpisode.episodes(from: r.annotations, sessionEndSeconds: r.session.durationSeconds)
                if alertsPath != nil {
                    rows.append(ReportIndex.Row(
                        session: file, href: reportName, family: r.session.family, durationSeconds: r.session.durationSeconds,
                        score: SessionScore(episodes: episodes, alerts: events.alerts, durationSeconds: r.session.durationSeconds)))
                } else {
                    rows.append(ReportIndex.Row(session: file, href: reportName, family: r.session.family,
                                                durationSeconds: r.session.durationSeconds, cramps: episodes.count))
                }
            } catch {
                failed += 1
                StandardError.write(error.description)
                rows.append(ReportIndex.Row(session: file, href: nil, family: nil, durationSeconds: 0, cramps: 0,
                                            problem: error.description))
            }
        }
        do {
            try Self.write(ReportIndex.render(rows: rows), to: output)
        } catch {
            StandardError.write("crampd: \(output): cannot write: \(error)")
            throw ExitCode.failure
        }
        StandardError.write("crampd: \(output): \(rows.count - failed) report\(rows.count - failed == 1 ? "" : "s")"
            + (failed > 0 ? ", \(failed) session\(failed == 1 ? "" : "s") failed" : ""))
        if failed > 0 { throw ExitCode.failure }
    }

    static func isSession(_ name: String) -> Bool {
        let lower = name.lowercased()
        return [".edf", ".bdf", ".csv", ".fit", ".tcx"].contains { lower.hasSuffix($0) } && !name.hasPrefix(".")
    }

    // MARK: - Files

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// The names in `directory` (not `.` and `..`).
    static func listDirectory(_ directory: String) throws(Errno) -> [String] {
        guard let dir = opendir(directory) else { throw Errno(rawValue: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = try FileDescriptor.open(FilePath(path), .readOnly)
        defer { try? fd.close() }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = try chunk.withUnsafeMutableBytes { try fd.read(into: $0) }
            if n == 0 { break }
            out += chunk[0..<n]
        }
        return out
    }

    static func write(_ text: String, to path: String) throws {
        let fd = try FileDescriptor.open(
            FilePath(path), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite, .groupRead, .otherRead])
        defer { try? fd.close() }
        try fd.writeAll(Array(text.utf8))
    }
}

/// Durations in messages (`8 min 0 s`).
enum HTMLTime {
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(whole / 60 % 60) min"
    }
}
