// SPDX-License-Identifier: MIT
import ArgumentParser
import CrampCore
import CrampFiles
import SystemPackage

/// `crampd features FILE`: every per-window, per-burst and per-stride feature of every EMG
/// channel of a recorded session, through the same pipeline the daemon runs.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Print every EMG feature of a session: windows, bursts and strides, per channel.",
        discussion: """
            Streams an EDF/EDF+/BDF or CSV session (.csv) through crampd's feature pipeline: \
            conditioning, window features with signal-quality flags, bursts, strides and the \
            runner's baseline. Signals labelled "EMG …" are analysed (in µV; mV and V are \
            converted), a "Cadence" signal steers stride segmentation, the rest is ignored; \
            annotations never reach the pipeline.

            --csv (the default) prints comment lines (the mains decision and each channel's \
            conditioning), then one header and one row per WINDOW, BURST and STRIDE; --jsonl \
            prints one JSON object per line (MAINS, CHANNEL, WINDOW, BURST, STRIDE). Columns, \
            keys and decimals are fixed: the same file gives the same bytes. See \
            docs/FEATURES.md.
            """
    )

    enum OutputFormat: String, EnumerableFlag {
        case csv, jsonl
    }

    @Argument(help: "The session file (.edf, .bdf or .csv).")
    var file: String

    @Flag(help: "Output format.")
    var format: OutputFormat = .csv

    @Option(help: ArgumentHelp("Window length in samples (default: 250 ms at each rate).", valueName: "N"))
    var window: Int?

    @Option(help: ArgumentHelp("Hop in samples (default: a quarter of the window).", valueName: "N"))
    var hop: Int?

    @Option(help: ArgumentHelp("Mains notches: auto (detect from the first 4 s), 50, 60 or off.", valueName: "auto|50|60|off"))
    var mains: MainsOption = .auto

    @Option(help: ArgumentHelp(
        "The runner's baseline strides, as session time FROM-TO in seconds.", valueName: "FROM-TO"))
    var baseline: BaselineOption = BaselineOption(from: 60, to: 300)

    @Option(help: ArgumentHelp("Write to FILE instead of standard output.", valueName: "FILE"))
    var out: String?

    func validate() throws {
        if let window, window < WindowConfiguration.minimumLength {
            throw ValidationError("--window must be at least \(WindowConfiguration.minimumLength) samples")
        }
        if let hop {
            guard hop >= 1 else { throw ValidationError("--hop must be at least 1 sample") }
            if let window, hop > window { throw ValidationError("--hop must not exceed --window") }
            if window == nil { throw ValidationError("--hop needs --window (the default window has its own hop)") }
        }
    }

    func run() throws {
        var configuration = SessionFeatureConfiguration()
        if let window {
            configuration.window = try WindowConfiguration(length: window, hop: hop ?? max(1, window / 4))
        }
        configuration.mains = mains.setting
        configuration.strides.baseline = .sessionTime(from: .seconds(baseline.from), to: .seconds(baseline.to))

        let output: LineOutput
        do {
            output = try LineOutput(path: out)
        } catch {
            StandardError.write("crampd: \(out ?? "-"): cannot open for writing: \(error)")
            throw ExitCode.failure
        }
        let source: FeatureSource
        do {
            source = try file.lowercased().hasSuffix(".csv")
                ? FeatureSource(csv: FilePath(file)) : FeatureSource(edf: FilePath(file))
        } catch let error as EDFError {
            StandardError.write(error.description)
            throw ExitCode.failure
        } catch let error as CSVError {
            StandardError.write(error.description)
            throw ExitCode.failure
        }
        for note in source.notes { StandardError.write("crampd: \(file): \(note)") }

        var pipeline: SessionFeaturePipeline
        do {
            pipeline = try SessionFeaturePipeline(channels: source.channels, configuration: configuration)
        } catch {
            StandardError.write("crampd: \(file): cannot analyse this session: \(describe(error, source.channels))")
            throw ExitCode.failure
        }
        var formatter = FeatureFormatter(format: format == .csv ? .csv : .jsonl, channels: source.channels)
        var writeError: (any Error)?
        let emit: (SessionFeatureEvent) -> Void = { event in
            guard writeError == nil else { return }
            do {
                try output.append { formatter.write(event, to: &$0) }
            } catch {
                writeError = error
            }
        }
        do {
            try source.stream(into: &pipeline, emit: emit)
        } catch let error as EDFError {
            StandardError.write(error.description)
            throw ExitCode.failure
        } catch let error as CSVError {
            StandardError.write(error.description)
            throw ExitCode.failure
        }
        pipeline.finish(emit: emit)
        do {
            if let writeError { throw writeError }
            try output.append { formatter.finish(to: &$0) }
            try output.close()
        } catch {
            StandardError.write("crampd: \(out ?? "standard output"): write failed: \(error)")
            throw ExitCode.failure
        }
        if pipeline.nonFiniteSamples > 0 {
            StandardError.write("crampd: \(file): \(pipeline.nonFiniteSamples) non-finite samples were replaced by 0")
        }
    }

    private func describe(_ error: FeatureConfigurationError, _ channels: [SessionChannel]) -> String {
        switch error {
        case let .invalidChannel(index, reason): "channel \"\(channels[index].label)\": \(reason)"
        case let .invalidWindowLength(n, minimum): "window of \(n) samples (at least \(minimum))"
        case let .invalidHop(h, length): "hop of \(h) samples for a window of \(length)"
        case let .spectralBandTooNarrow(band, width): "the band \(band) holds fewer than two bins of \(width)"
        default: "\(error)"
        }
    }
}

/// `--mains auto|50|60|off`.
enum MainsOption: String, ExpressibleByArgument {
    case auto, off
    case hz50 = "50"
    case hz60 = "60"

    var setting: MainsSetting {
        switch self {
        case .auto: .automatic
        case .off: .off
        case .hz50: .fixed(.hz50)
        case .hz60: .fixed(.hz60)
        }
    }
}

/// `--baseline FROM-TO` in seconds.
struct BaselineOption: ExpressibleByArgument {
    var from: Double
    var to: Double

    init(from: Double, to: Double) {
        self.from = from
        self.to = to
    }

    init?(argument: String) {
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let from = Double(parts[0]), let to = Double(parts[1]), from >= 0, to > from,
              to.isFinite else { return nil }
        self.init(from: from, to: to)
    }

    var defaultValueDescription: String { "60-300" }
}

// MARK: - Reading the session

/// A session file as the feature pipeline sees it: its channels, then its samples.
struct FeatureSource {
    private enum Kind {
        case edf(EDFReader, scales: [Float])
        case csv(path: FilePath, emg: [Bool], cadence: [Bool], scales: [Float])
    }

    let channels: [SessionChannel]
    /// What the user should know (units converted, columns not analysed).
    private(set) var notes: [String] = []
    private let kind: Kind

    init(edf path: FilePath) throws(EDFError) {
        let reader = try EDFReader(path: path)
        var channels: [SessionChannel] = []
        var scales: [Float] = []
        var notes: [String] = []
        for (i, s) in reader.header.signals.enumerated() {
            var channel = SessionChannel(label: s.label, sampleRate: reader.header.sampleRate(of: i))
            var scale: Float = 1
            if channel.kind == .emg {
                scale = Self.microvoltScale(s.physicalDimension) ?? 1
                if Self.microvoltScale(s.physicalDimension) == nil {
                    notes.append("signal \"\(s.label)\": unit \"\(s.physicalDimension)\" is not a voltage; read as µV")
                }
                let a = s.physicalMinimum * Double(scale), b = s.physicalMaximum * Double(scale)
                channel.physicalRange = min(a, b)...max(a, b)
            }
            channels.append(channel)
            scales.append(scale)
        }
        self.channels = channels
        self.notes = notes
        kind = .edf(reader, scales: scales)
    }

    init(csv path: FilePath) throws(CSVError) {
        // First pass: each column's rate from its sample count and time span.
        let first = try CSVSessionReader(path: path)
        var counts = [Int](repeating: 0, count: first.columns.count)
        var firstTime = [Double?](repeating: nil, count: first.columns.count)
        var lastTime = [Double](repeating: 0, count: first.columns.count)
        while try first.nextRow() {
            for (i, v) in first.values.enumerated() where v != nil {
                counts[i] += 1
                if firstTime[i] == nil { firstTime[i] = first.timeSeconds }
                lastTime[i] = first.timeSeconds
            }
        }
        first.close()
        var channels: [SessionChannel] = []
        var emg: [Bool] = [], cadence: [Bool] = [], scales: [Float] = []
        var notes: [String] = []
        for (i, column) in first.columns.enumerated() {
            var rate: Hertz?
            if counts[i] >= 2, let f = firstTime[i], lastTime[i] > f {
                rate = Hertz(Self.niceRate(Double(counts[i] - 1) / (lastTime[i] - f)))
            }
            let channel = SessionChannel(label: column.label, sampleRate: rate)
            var scale: Float = 1
            if channel.kind == .emg {
                if let unit = column.unit {
                    if let s = Self.microvoltScale(unit) { scale = s } else {
                        notes.append("column \"\(column.label)\": unit \"\(unit)\" is not a voltage; read as µV")
                    }
                }
                if let f = firstTime[i], abs(f) > 1e-9 {
                    notes.append("column \"\(column.label)\": first sample at \(f) s; times count from it")
                }
            }
            channels.append(channel)
            emg.append(channel.kind == .emg)
            cadence.append(channel.kind == .cadence)
            scales.append(scale)
        }
        self.channels = channels
        self.notes = notes
        kind = .csv(path: path, emg: emg, cadence: cadence, scales: scales)
    }

    /// Feeds every sample to `pipeline` (EDF: record by record, signal by signal; CSV: blocks of
    /// 256 samples per EMG column, cadence as it comes).
    func stream(into pipeline: inout SessionFeaturePipeline, emit: (SessionFeatureEvent) -> Void) throws {
        switch kind {
        case let .edf(reader, scales):
            var scratch: [Float] = []
            while try reader.nextRecord() {
                for i in channels.indices where channels[i].kind == .emg || channels[i].kind == .cadence {
                    reader.withSamples(of: i) { samples in
                        if scales[i] == 1 {
                            pipeline.process(samples: samples, channel: i, emit: emit)
                        } else {
                            scratch.removeAll(keepingCapacity: true)
                            for x in samples { scratch.append(x * scales[i]) }
                            scratch.withUnsafeBufferPointer { pipeline.process(samples: $0, channel: i, emit: emit) }
                        }
                    }
                }
            }
            reader.close()
        case let .csv(path, emg, cadence, scales):
            let reader = try CSVSessionReader(path: path)
            defer { reader.close() }
            let block = 256
            var pending = emg.map { $0 ? [Float]() : [] }
            for i in pending.indices where emg[i] { pending[i].reserveCapacity(block) }
            while try reader.nextRow() {
                for (i, v) in reader.values.enumerated() {
                    guard let v else { continue }
                    if emg[i] {
                        pending[i].append(v * scales[i])
                        if pending[i].count == block {
                            pending[i].withUnsafeBufferPointer { pipeline.process(samples: $0, channel: i, emit: emit) }
                            pending[i].removeAll(keepingCapacity: true)
                        }
                    } else if cadence[i] {
                        pipeline.process(value: v, timeSeconds: reader.timeSeconds, channel: i, emit: emit)
                    }
                }
            }
            for i in pending.indices where !pending[i].isEmpty {
                pending[i].withUnsafeBufferPointer { pipeline.process(samples: $0, channel: i, emit: emit) }
            }
        }
    }

    /// The factor from `unit` to µV, or `nil` for a unit that is not a voltage.
    static func microvoltScale(_ unit: String) -> Float? {
        switch unit.trimmingCharacters() {
        case "uV", "µV", "μV", "uv": 1
        case "mV", "mv": 1000
        case "V", "v": 1_000_000
        case "nV": 0.001
        default: nil
        }
    }

    /// A rate estimated from timestamps, rounded to an integer when within 0.1 % of one.
    static func niceRate(_ r: Double) -> Double {
        let rounded = r.rounded()
        return abs(r - rounded) <= 1e-3 * r ? rounded : (r * 1000).rounded() / 1000
    }
}

private extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " { s.removeFirst() }
        while let l = s.last, l == " " { s.removeLast() }
        return String(s)
    }
}
