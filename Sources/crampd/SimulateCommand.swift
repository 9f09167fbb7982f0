// SPDX-License-Identifier: MIT
import ArgumentParser
import CrampCore
import CrampFiles
import CrampSimulator
import SystemPackage

/// `crampd simulate`: writes a simulated session with known ground truth as EDF+.
///
/// The file is deterministic: its start date is fixed (2026-01-01 00:00:00) and everything in
/// it follows from scenario, seed, duration, rate and sites, so the same command gives the same
/// bytes.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Write a simulated running session (EMG, HR, cadence, speed) with ground truth as EDF+.",
        discussion: """
            The model and its sources are in docs/SIMULATOR.md. Ground truth is written as EDF+ \
            annotations: 'cramp onset gastroc L', 'cramp end gastroc L', 'tightness gastroc L', \
            'prodrome gastroc L', 'artifact <kind> [site side]', and context ('surge', \
            'interval', 'walk break', 'stop').

            The same scenario, seed, duration, rate and sites give a byte-identical file; the \
            start date is fixed at 2026-01-01 00:00:00 and the recording field names the \
            scenario and seed.

            Examples:
              crampd simulate --list
              crampd simulate --scenario calf-cramp --seed 1 --out calf.edf
              crampd simulate --scenario two-cramps --seed 7 --duration 1h10m --rate 1000 \\
                --sites gastroc,soleus --out two.edf
            """
    )

    @Flag(help: "List the scenarios with their default durations, then exit.")
    var list = false

    @Option(help: "The scenario to simulate (see --list).")
    var scenario: String?

    @Option(help: "Seed of the pseudo-random generator; the same seed gives the same file.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp(
        "Session length: 90s, 45m, 1h10m, 1h10m30s or plain seconds (default: the scenario's).",
        valueName: "duration"))
    var duration: SessionDuration?

    @Option(help: ArgumentHelp("EMG sample rate in Hz, 1000...4000.", valueName: "Hz"))
    var rate: Int = 2000

    @Option(help: ArgumentHelp(
        "EMG sites, comma-separated, each recorded left and right (default: gastroc,soleus,tibialis,hamstring; quad is also available). The cramping muscle is always included.",
        valueName: "site,..."))
    var sites: SiteList?

    @Option(help: ArgumentHelp("The EDF+ file to write.", valueName: "file.edf"))
    var out: String?

    func validate() throws {
        if list { return }
        guard let scenario else { throw ValidationError("--scenario is required (or --list)") }
        guard Scenario.all.contains(where: { $0.name == scenario }) else {
            throw ValidationError("unknown scenario '\(scenario)'; one of: \(Scenario.all.map(\.name).joined(separator: ", "))")
        }
        guard out != nil else { throw ValidationError("--out FILE is required") }
    }

    func run() throws {
        if list {
            for line in Self.listing() { print(line) }
            return
        }
        guard let name = scenario, let out else { return }  // validate() guarantees both
        do {
            let simulator = try SessionSimulator(
                scenario: Scenario.named(name), seed: seed, durationSeconds: duration?.seconds,
                emgRate: Hertz(Double(rate)), sites: sites?.sites)
            let result = try Self.write(simulator, to: FilePath(out))
            let emg = simulator.signals.filter { $0.descriptor.kind == .emg }.count
            print("\(out): \(name), seed \(seed), \(simulator.durationSeconds) s, \(emg) EMG channels at \(rate) Hz + HR, Cadence, Speed; \(result.annotations) annotations")
        } catch let error as SimulationError {
            Self.printError("crampd: simulate: \(error.description)")
            throw ExitCode.failure
        } catch let error as EDFError {
            Self.printError("crampd: \(out): \(error.description)")
            throw ExitCode.failure
        }
    }

    /// One line per scenario: name, default duration, summary.
    static func listing() -> [String] {
        let width = Scenario.all.map(\.name.count).max() ?? 0
        return Scenario.all.map { s in
            let name = s.name + String(repeating: " ", count: width - s.name.count)
            let length = SessionDuration.format(s.defaultDurationSeconds)
            return "\(name)  \(String(repeating: " ", count: max(0, 6 - length.count)))\(length)  \(s.summary)"
        }
    }

    /// The EDF+ recording identification: `Startdate 01-JAN-2026 X X <tag>` (subfields carry
    /// no spaces).
    static func recordingIdentification(_ simulator: SessionSimulator) -> String {
        "Startdate 01-JAN-2026 X X \(simulator.recordingTag)"
    }

    /// Streams every record of `simulator` into a new EDF+ file at `path`.
    /// - Throws: ``EDFError`` if the file cannot be written.
    static func write(_ simulator: SessionSimulator, to path: FilePath) throws(EDFError) -> (records: Int, annotations: Int) {
        var simulator = simulator
        let specs = simulator.signals.map {
            EDFSignalSpec(
                label: $0.label, transducer: $0.transducer, physicalDimension: $0.unit,
                physicalMinimum: $0.physicalMinimum, physicalMaximum: $0.physicalMaximum,
                prefiltering: $0.prefiltering, samplesPerRecord: $0.samplesPerRecord)
        }
        let header = EDFWriterHeader(
            signals: specs,
            start: EDFDateTime(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0),
            recordingIdentification: recordingIdentification(simulator))
        let writer = try EDFWriter(path: path, header: header)
        var buffers: [[Float]] = []
        var annotations = 0
        while let notes = simulator.nextRecord(into: &buffers) {
            try writer.writeRecord(buffers, annotations: notes)
            annotations += notes.count
        }
        try writer.close()
        return (writer.recordsWritten, annotations)
    }

    private static func printError(_ message: String) {
        _ = try? FileDescriptor.standardError.writeAll(Array((message + "\n").utf8))
    }
}

/// A session length on the command line: `90s`, `45m`, `1h10m`, `1h10m30s`, or seconds.
struct SessionDuration: ExpressibleByArgument, Equatable {
    var seconds: Int

    init?(argument: String) {
        if let plain = Int(argument) {
            guard plain > 0 else { return nil }
            seconds = plain
            return
        }
        var total = 0
        var number = ""
        var lastUnit = 0  // units come in the order h, m, s, each at most once
        for ch in argument.lowercased() {
            if ch.isASCII, ch.isNumber {
                number.append(ch)
                continue
            }
            let units: [Character: (order: Int, seconds: Int)] = ["h": (1, 3600), "m": (2, 60), "s": (3, 1)]
            guard let unit = units[ch], let value = Int(number), unit.order > lastUnit else { return nil }
            lastUnit = unit.order
            total += value * unit.seconds
            number = ""
        }
        guard number.isEmpty, total > 0 else { return nil }
        seconds = total
    }

    init(seconds: Int) { self.seconds = seconds }

    /// `3600` → `1h`, `5400` → `1h30m`, `900` → `15m`, `90` → `1m30s`.
    static func format(_ seconds: Int) -> String {
        let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60)
        var text = ""
        if h > 0 { text += "\(h)h" }
        if m > 0 { text += "\(m)m" }
        if s > 0 || text.isEmpty { text += "\(s)s" }
        return text
    }
}

/// `--sites gastroc,soleus`.
struct SiteList: ExpressibleByArgument, Equatable {
    var sites: [MuscleSite]

    init?(argument: String) {
        var sites: [MuscleSite] = []
        for word in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let site = MuscleSite(rawValue: word.trimmingSpaces.lowercased()) else { return nil }
            if !sites.contains(site) { sites.append(site) }
        }
        guard !sites.isEmpty else { return nil }
        self.sites = sites
    }

    init(sites: [MuscleSite]) { self.sites = sites }
}

private extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
