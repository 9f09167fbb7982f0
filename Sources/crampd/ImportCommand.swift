// SPDX-License-Identifier: MIT
import ArgumentParser
import CrampFiles
import SystemPackage

/// `crampd import FILE.fit|FILE.tcx -o FILE.edf`: the running part of a watch activity as EDF+.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a FIT or TCX activity (heart rate, cadence, speed, distance) as EDF+.",
        discussion: """
            Writes EDF+D at 1 Hz: one 1 s data record per second with data, so that pauses \
            (the timer stopped) and gaps (no records for more than --gap-threshold seconds) \
            are left out rather than filled; each is an annotation with its duration. \
            --continuous writes EDF+C instead, with those seconds filled. Only \
            running segments are imported: the running legs of a multisport file, with \
            "segment running" and "not running" annotations. Signals: HR (bpm), Cadence \
            (steps/min, both feet: FIT and TCX store strides per minute), Speed (m/s), \
            Distance (m), those the file has. The start date and time is the first second \
            with data, in UTC. See Recordings/README.md, "FIT and TCX import".

            A file that cannot be read (not FIT or TCX, a CRC error, truncated, malformed \
            XML) is reported on stderr as "crampd: FILE: byte N: problem" (FIT) or \
            "line N" (TCX), with exit status 1; what was left out goes to stderr too.
            """
    )

    @Argument(help: "The activity file (.fit or .tcx).")
    var input: String

    @Option(name: .shortAndLong, help: "The EDF+ file to write.")
    var output: String

    @Option(help: ArgumentHelp("Samples further apart than this many seconds are a gap; a channel without a value for longer is a dropout.",
                               valueName: "seconds"))
    var gapThreshold: Double = 10

    @Flag(help: "Write EDF+C instead of EDF+D, for readers that refuse EDF+D (EDFlib, pyedflib): seconds without data are filled with 0 (distance: its last value) inside their pause/gap annotations.")
    var continuous = false

    func validate() throws {
        guard gapThreshold >= 1, gapThreshold <= 600 else {
            throw ValidationError("--gap-threshold must be between 1 and 600 seconds")
        }
        guard !output.isEmpty else { throw ValidationError("-o/--output needs a file name") }
    }

    func run() throws {
        let report: ActivityImportReport
        do throws(ActivityError) {
            report = try ActivityImport.importToEDF(from: FilePath(input), to: FilePath(output),
                                                    options: ActivityImportOptions(gapThresholdSeconds: gapThreshold, continuous: continuous))
        } catch {
            StandardError.write(error.description)
            throw ExitCode.failure
        }
        var zone = ""
        if let offset = report.localTimeOffsetSeconds {
            let sign = offset < 0 ? "-" : "+", m = abs(offset) / 60
            zone = " (device local time UTC\(sign)\(m / 60 < 10 ? "0" : "")\(m / 60):\(m % 60 < 10 ? "0" : "")\(m % 60))"
        }
        let filled = report.continuous ? " (\(report.secondsFilled) s filled)" : ""
        StandardError.write("crampd: \(output): \(report.format.rawValue) → \(report.continuous ? "EDF+C" : "EDF+D"), start \(report.start) UTC\(zone), "
            + "\(report.secondsWritten) s of data in \(report.spanSeconds) s\(filled); signals "
            + report.channels.map(\.label).joined(separator: ", ")
            + "; " + [Self.count(report.segments, "running segment"), Self.count(report.laps, "lap"),
                      Self.count(report.pauses, "pause"), Self.count(report.gaps, "gap")].joined(separator: ", "))
        for note in report.notes { StandardError.write("crampd: \(output): \(note)") }
    }

    /// `1 lap`, `3 laps`.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
