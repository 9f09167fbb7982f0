// SPDX-License-Identifier: MIT
import ArgumentParser
import CrampConfig
import CrampCore
import CrampFiles
import CrampSinks
import Glibc
import SystemPackage

/// `crampd replay FILE|-`: streams a recorded session through the whole detector and writes its
/// alerts as JSON lines (the gpsfake of crampd).
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recorded session through the cramp detector; alerts as JSON lines on stdout.",
        discussion: """
            Streams an EDF/EDF+/BDF, CSV (a file, or - for standard input), FIT or TCX session \
            through the whole pipeline the daemon runs: EMG conditioning and features, heart \
            rate and gait, the per-muscle trackers and the alert policy. Writes one JSON object \
            per line (schemas/crampd-events.schema.json): ALERT (watch, warning, cramp, clear, \
            with risk, evidence and advice), SENSOR (a channel's signal fault on or off) and a \
            SUMMARY at the end. Annotations in the file never reach the detector.

            The output depends only on the file and the options: the same bytes run to run and \
            at any --speed. Sessions without EMG (most watch files) run on heart rate and \
            cadence alone and get at most a session-level watch. See docs/DETECTION.md.
            """
    )

    @Argument(help: "The session file (.edf, .bdf, .csv, .fit, .tcx), or - for CSV on standard input.")
    var file: String

    @Option(help: ArgumentHelp(
        "Replay speed: max (as fast as possible), realtime, or a factor (10 = ten times real time).",
        valueName: "max|realtime|N"))
    var speed: ReplaySpeed = .max

    @Option(help: ArgumentHelp("Relief advice overrides (the [advice] table of a TOML file).", valueName: "FILE.toml"))
    var advice: String?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Set a detector parameter (repeatable): warning_baseline_ratio=1.5. Names: docs/DETECTION.md.",
        valueName: "NAME=VALUE"))
    var settings: [ParameterSetting] = []

    func run() throws {
        let playbook: AdvicePlaybook
        let configuration: CrampDetectorConfiguration
        do {
            playbook = try Self.playbook(advice)
            configuration = try ParameterSetting.configuration(settings)
        } catch {
            StandardError.write("crampd: \(error)")
            throw ExitCode.failure
        }
        let output = try LineOutput(path: nil)
        var writeError: (any Error)?
        let live = speed.factor != nil
        let pacer = Pacer(factor: speed.factor)
        do {
            try Self.replay(file, playbook: playbook, configuration: configuration, note: { StandardError.write("crampd: \(file): \($0)") },
                            pace: { t in
                                if live { try? output.flush() }
                                pacer.wait(until: t)
                            },
                            emit: { event in
                                guard writeError == nil else { return }
                                do {
                                    try output.write(Self.line(event))
                                    if live { try output.flush() }
                                } catch {
                                    writeError = error
                                }
                            })
        } catch {
            StandardError.write("crampd: \(error)")
            throw ExitCode.failure
        }
        do {
            if let writeError { throw writeError }
            try output.close()
        } catch {
            StandardError.write("crampd: standard output: write failed: \(error)")
            throw ExitCode.failure
        }
    }

    /// The JSON line of an event.
    static func line(_ event: DetectorEvent) -> String {
        switch event {
        case .alert(let a): AlertJSON.object(a).rendered
        case .sensor(let s): AlertJSON.object(s).rendered
        case .summary(let s): AlertJSON.object(s).rendered
        }
    }

    /// The standard playbook with the overrides of `path` (a TOML file), if given.
    static func playbook(_ path: String?) throws -> AdvicePlaybook {
        guard let path else { return .standard }
        let text: String
        do {
            let fd = try FileDescriptor.open(FilePath(path), .readOnly)
            defer { try? fd.close() }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = try chunk.withUnsafeMutableBytes { try fd.read(into: $0) }
                if n == 0 { break }
                bytes += chunk[0..<n]
            }
            text = String(decoding: bytes, as: UTF8.self)
        } catch {
            throw ReplayError(message: "\(path): cannot read the advice file: \(error)")
        }
        do {
            return try PlaybookConfig.apply(TOMLDocument(text: text, path: path), to: .standard)
        } catch {
            throw ReplayError(message: error.description)
        }
    }

    /// Replays `path` through a new detector: the engine of `crampd replay`, `crampd eval` and
    /// the golden tests.
    ///
    /// - Throws: `ReplayError` with the reader's or the detector's message.
    @discardableResult
    static func replay(
        _ path: String, playbook: AdvicePlaybook = .standard, configuration: CrampDetectorConfiguration = .init(),
        note: (String) -> Void = { _ in }, pace: (Double) -> Void = { _ in }, emit: (DetectorEvent) -> Void
    ) throws(ReplayError) -> [SessionChannel] {
        let source: ReplaySource
        do {
            source = try ReplaySource(path: path)
        } catch {
            throw ReplayError(error)
        }
        for n in source.notes { note(n) }
        var detector: CrampDetector
        do {
            detector = try CrampDetector(channels: source.channels, configuration: configuration, playbook: playbook)
        } catch {
            throw ReplayError(message: "\(path): cannot analyse this session: \(error)")
        }
        do {
            try source.stream(into: &detector, pace: pace, emit: emit)
        } catch {
            throw ReplayError(error)
        }
        detector.finish(emit: emit)
        return source.channels
    }
}

/// A replay that failed, with the message for stderr (the readers' own messages name the file
/// and the place).
struct ReplayError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }

    init(message: String) { self.message = message }

    init(_ error: any Error) {
        switch error {
        case let e as EDFError: message = Self.strip(e.description)
        case let e as CSVError: message = Self.strip(e.description)
        case let e as ActivityError: message = Self.strip(e.description)
        case let e as ReplayError: message = e.message
        default: message = "\(error)"
        }
    }

    /// The readers' messages start with "crampd: "; the command adds it once.
    private static func strip(_ s: String) -> String { s.hasPrefix("crampd: ") ? String(s.dropFirst(8)) : s }
}

/// `--set NAME=VALUE`: one detector parameter.
struct ParameterSetting: ExpressibleByArgument {
    var name: String
    var value: Double

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, let v = Double(parts[1]) else { return nil }
        name = String(parts[0])
        value = v
    }

    /// The default configuration with `settings` applied in order.
    static func configuration(_ settings: [ParameterSetting]) throws -> CrampDetectorConfiguration {
        var c = CrampDetectorConfiguration()
        for s in settings {
            do {
                try c.set(s.name, to: s.value)
            } catch {
                switch error {
                case .unknownParameter(let n):
                    throw ReplayError(message: "--set \(n): no such detector parameter; one of: \(CrampDetectorConfiguration.parameterNames.joined(separator: ", "))")
                default:
                    throw ReplayError(message: "--set \(s.name)=\(s.value): not a value this parameter can take")
                }
            }
        }
        return c
    }
}

/// `--speed max|realtime|N`.
enum ReplaySpeed: ExpressibleByArgument {
    case max
    case factor(Double)

    init?(argument: String) {
        switch argument {
        case "max": self = .max
        case "realtime": self = .factor(1)
        default:
            guard let x = Double(argument), x.isFinite, x > 0 else { return nil }
            self = .factor(x)
        }
    }

    /// Session seconds per wall second, or `nil` for as fast as possible.
    var factor: Double? {
        if case .factor(let x) = self { return x }
        return nil
    }

    var defaultValueDescription: String { "max" }
}

/// Holds a replay to `factor` × real time (the wall clock is read here, at the edge; the
/// detector never sees it).
final class Pacer {
    private let factor: Double?
    private let clock = ContinuousClock()
    private var start: ContinuousClock.Instant?

    init(factor: Double?) { self.factor = factor }

    /// Sleeps until session time `t` is due.
    func wait(until t: Double) {
        guard let factor else { return }
        let now = clock.now
        guard let start else {
            self.start = now - .seconds(t / factor)
            return
        }
        let due = start + .seconds(t / factor)
        guard due > now else { return }
        let (s, atto) = (due - now).components
        var request = timespec(tv_sec: Int(s), tv_nsec: Int(atto / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
