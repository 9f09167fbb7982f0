// SPDX-License-Identifier: MIT
import ArgumentParser
import CrampCore
import CrampFiles
import CrampSinks
import Dispatch
import Glibc
import Synchronization
import SystemPackage

/// `crampd eval DIR`: every annotated recording in a directory, run blind through the detector
/// and scored against its ground truth, overall and per scenario family.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score the detector on every annotated recording in a directory.",
        discussion: """
            Each .edf, .bdf and .csv file in DIR with annotations is replayed through the \
            detector exactly as `crampd replay` does — the annotations are read separately and \
            never shown to it — and its alerts are scored against the 'cramp onset …' and \
            'cramp end …' annotations:

              detected   a cramp alert for the right muscle and side in [onset - 2 s, onset + 10 s]
              delay      that alert's time - onset (median, p90)
              warned     a warning for the right muscle and side in [onset - 300 s, onset)
              lead       onset - the first such warning (median, p10)
              false      warning or cramp alerts outside every [onset - 300 s, end + 60 s]
              wrong      warning or cramp alerts inside a window but for another muscle or side

            Families come from the EDF recording field (crampd-simulate_<scenario>_seed<N>), \
            else from the file name without its seed suffix. Files run in parallel (--jobs, \
            default: all cores); the table does not depend on the number of jobs.
            """
    )

    @Argument(help: "The directory of recordings.")
    var directory: String

    @Flag(help: "JSON lines: one SESSION per file, one EVAL per family and one for all (family null).")
    var json = false

    @Option(help: ArgumentHelp("Files replayed at once (default: all cores).", valueName: "N"))
    var jobs: Int?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Set a detector parameter (repeatable), to compare settings: warning_baseline_ratio=1.5. Names: docs/DETECTION.md.",
        valueName: "NAME=VALUE"))
    var settings: [ParameterSetting] = []

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let files: [String]
        do {
            files = try Self.recordings(in: directory)
        } catch {
            StandardError.write("crampd: \(directory): \(error)")
            throw ExitCode.failure
        }
        let configuration: CrampDetectorConfiguration
        do {
            configuration = try ParameterSetting.configuration(settings)
        } catch {
            StandardError.write("crampd: \(error)")
            throw ExitCode.failure
        }
        let n = jobs ?? Self.cores()
        let results = Self.evaluate(files, jobs: n, configuration: configuration)
        var scored: [SessionResult] = []
        var failed = 0
        for (file, result) in zip(files, results) {
            switch result {
            case .success(let r?): scored.append(r)
            case .success(nil): StandardError.write("crampd: \(file): no annotations; not scored")
            case .failure(let e):
                failed += 1
                StandardError.write("crampd: \(e)")
            }
        }
        guard !scored.isEmpty else {
            StandardError.write("crampd: \(directory): no annotated recording to score")
            throw ExitCode.failure
        }
        let output = try LineOutput(path: nil)
        for line in json ? Self.jsonLines(scored) : Self.table(scored) { try output.write(line) }
        try output.close()
        if failed > 0 { throw ExitCode.failure }
    }

    // MARK: - Running

    /// One scored session.
    struct SessionResult: Sendable {
        var file: String
        var family: String
        var durationSeconds: Double
        var score: SessionScore
    }

    /// The recordings of `directory`, sorted by name.
    static func recordings(in directory: String) throws -> [String] {
        guard let dir = opendir(directory) else { throw Errno(rawValue: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            let lower = name.lowercased()
            if lower.hasSuffix(".edf") || lower.hasSuffix(".bdf") || lower.hasSuffix(".csv") { names.append(name) }
        }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return names.sorted().map { base + $0 }
    }

    static func cores() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Scores every file, `jobs` at a time; the results are in the files' order.
    static func evaluate(
        _ files: [String], jobs: Int, configuration: CrampDetectorConfiguration = .init()
    ) -> [Result<SessionResult?, ReplayError>] {
        let shared = EvalQueue(count: files.count)
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(1, files.count))) { _ in
            while let i = shared.next() {
                shared.store(i, Result { () throws(ReplayError) in try score(files[i], configuration: configuration) })
            }
        }
        return shared.results()
    }

    /// Replays `file` blind and scores it; `nil` when it has no annotations.
    static func score(
        _ file: String, configuration: CrampDetectorConfiguration = .init()
    ) throws(ReplayError) -> SessionResult? {
        let annotations: [Annotation]
        var family: String?
        var duration: Double?
        do {
            if file.lowercased().hasSuffix(".csv") {
                annotations = try CSVSessionReader.readAllAnnotations(path: FilePath(file))
            } else {
                let reader = try EDFReader(path: FilePath(file))
                family = Self.family(recordingField: reader.header.recordingIdentification)
                duration = reader.header.durationSeconds
                annotations = try reader.readAllAnnotations()
                reader.close()
            }
        } catch {
            throw ReplayError(error)
        }
        guard !annotations.isEmpty else { return nil }
        var alerts: [Alert] = []
        var end = 0.0
        try ReplayCommand.replay(file, configuration: configuration) { event in
            switch event {
            case .alert(let a): alerts.append(a)
            case .summary(let s): end = s.durationSeconds
            case .sensor: break
            }
        }
        let seconds = duration ?? end
        let episodes = CrampEpisode.episodes(from: annotations, sessionEndSeconds: seconds)
        return SessionResult(
            file: file, family: family ?? Self.family(fileName: file), durationSeconds: seconds,
            score: SessionScore(episodes: episodes, alerts: alerts, durationSeconds: seconds))
    }

    /// `crampd-simulate_<scenario>_seed<N>` in an EDF+ recording field → the scenario.
    static func family(recordingField: String) -> String? {
        for word in recordingField.split(separator: " ") where word.hasPrefix("crampd-simulate_") {
            var rest = word.dropFirst("crampd-simulate_".count)
            if let r = rest.range(of: "_seed", options: .backwards) { rest = rest[..<r.lowerBound] }
            if !rest.isEmpty { return String(rest) }
        }
        return nil
    }

    /// The file's name without directory, extension and a trailing seed (`-s1`, `-seed7`,
    /// `_seed7`, `-7`).
    static func family(fileName path: String) -> String {
        var name = Substring(path.split(separator: "/").last ?? Substring(path))
        if let dot = name.lastIndex(of: ".") { name = name[..<dot] }
        for marker in ["_seed", "-seed", "-s", "_s", "-", "_"] {
            if let r = name.range(of: marker, options: .backwards) {
                let digits = name[r.upperBound...]
                if !digits.isEmpty, digits.allSatisfy(\.isNumber), r.lowerBound > name.startIndex {
                    name = name[..<r.lowerBound]
                    break
                }
            }
        }
        return String(name)
    }

    // MARK: - Output

    /// Families in order of first appearance by name, then the total.
    static func groups(_ results: [SessionResult]) -> [(String?, EvaluationSummary)] {
        let families = Array(Set(results.map(\.family))).sorted()
        var out: [(String?, EvaluationSummary)] = families.map { f in
            (f, EvaluationSummary(results.filter { $0.family == f }.map(\.score)))
        }
        out.append((nil, EvaluationSummary(results.map(\.score))))
        return out
    }

    static func table(_ results: [SessionResult]) -> [String] {
        func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, n - s.count))
            return left ? s + fill : fill + s
        }
        func f(_ x: Double?, _ d: Int) -> String { x.flatMap { FixedDecimal.format($0, decimals: d) } ?? "-" }
        func pct(_ x: Double?) -> String { x.map { f($0 * 100, 0) + "%" } ?? "-" }
        let head = [pad("family", 22, left: true), pad("sessions", 8), pad("hours", 7), pad("cramps", 7),
                    pad("detected", 13), pad("delay med/p90 s", 16), pad("warned", 12),
                    pad("lead med/p10 s", 15), pad("false", 6), pad("false/h", 8), pad("wrong", 6)]
        var lines = [head.joined(separator: " ")]
        for (family, s) in groups(results) {
            if family == nil { lines.append(String(repeating: "-", count: lines[0].count)) }
            lines.append([
                pad(family ?? "all", 22, left: true), pad("\(s.sessions)", 8), pad(f(s.hours, 2), 7), pad("\(s.cramps)", 7),
                pad(s.cramps > 0 ? "\(s.detected) (\(pct(s.sensitivity)))" : "-", 13),
                pad("\(f(s.onsetDelayMedianSeconds, 2))/\(f(s.onsetDelayP90Seconds, 2))", 16),
                pad(s.cramps > 0 ? "\(s.warned) (\(pct(s.warnedShare)))" : "-", 12),
                pad("\(f(s.leadTimeMedianSeconds, 0))/\(f(s.leadTimeP10Seconds, 0))", 15),
                pad("\(s.falseWarnings)", 6), pad(f(s.falseWarningsPerHour, 2), 8), pad("\(s.wrongMuscleOrSide)", 6),
            ].joined(separator: " "))
        }
        return lines
    }

    static func jsonLines(_ results: [SessionResult]) -> [String] {
        var lines: [String] = []
        for r in results {
            var o = JSONLine(class: "SESSION")
            o.add("file", r.file)
            o.add("family", r.family)
            o.add("hours", r.score.hours, decimals: 4)
            o.add("cramps", r.score.cramps)
            o.add("detected", r.score.detected)
            o.add("onset_delays_s", r.score.onsetDelaysSeconds, decimals: 3)
            o.add("warned", r.score.warned)
            o.add("lead_times_s", r.score.leadTimesSeconds, decimals: 3)
            o.add("false_warnings", r.score.falseWarnings)
            o.add("wrong_muscle_or_side", r.score.wrongMuscleOrSide)
            lines.append(o.rendered)
        }
        for (family, s) in groups(results) {
            var o = JSONLine(class: "EVAL")
            if let family { o.add("family", family) } else { o.addNull("family") }
            o.add("sessions", s.sessions)
            o.add("hours", s.hours, decimals: 4)
            o.add("cramps", s.cramps)
            o.add("detected", s.detected)
            optional(&o, "sensitivity", s.sensitivity, 4)
            optional(&o, "onset_delay_median_s", s.onsetDelayMedianSeconds, 3)
            optional(&o, "onset_delay_p90_s", s.onsetDelayP90Seconds, 3)
            o.add("warned", s.warned)
            optional(&o, "warned_share", s.warnedShare, 4)
            optional(&o, "lead_median_s", s.leadTimeMedianSeconds, 3)
            optional(&o, "lead_p10_s", s.leadTimeP10Seconds, 3)
            o.add("false_warnings", s.falseWarnings)
            o.add("false_warnings_per_hour", s.falseWarningsPerHour, decimals: 4)
            o.add("wrong_muscle_or_side", s.wrongMuscleOrSide)
            lines.append(o.rendered)
        }
        return lines
    }

    private static func optional(_ o: inout JSONLine, _ key: String, _ value: Double?, _ decimals: Int) {
        if let value { o.add(key, value, decimals: decimals) } else { o.addNull(key) }
    }
}

/// The work list and results of a parallel evaluation, shared by the worker threads.
final class EvalQueue: Sendable {
    private let state: Mutex<(next: Int, results: [Result<EvalCommand.SessionResult?, ReplayError>?])>

    init(count: Int) {
        state = Mutex((0, Array(repeating: nil, count: count)))
    }

    /// The next file index to work on, or `nil` when all are taken.
    func next() -> Int? {
        state.withLock { s in
            guard s.next < s.results.count else { return nil }
            s.next += 1
            return s.next - 1
        }
    }

    func store(_ i: Int, _ r: Result<EvalCommand.SessionResult?, ReplayError>) {
        state.withLock { $0.results[i] = r }
    }

    func results() -> [Result<EvalCommand.SessionResult?, ReplayError>] {
        state.withLock { $0.results.map { $0! } }
    }
}
