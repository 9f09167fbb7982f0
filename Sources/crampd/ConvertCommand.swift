// SPDX-License-Identifier: MIT
import ArgumentParser
import CrampFiles
import SystemPackage

/// `crampd convert IN OUT`: EDF/EDF+/BDF → CSV, or CSV → EDF+, streaming.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a session between EDF+/BDF and CSV.",
        discussion: """
            The direction follows the file names: IN.edf|IN.bdf → OUT.csv, or IN.csv → OUT.edf. \
            CSV → EDF+ needs regularly sampled columns that all start at the session start \
            (EDF+C has no timestamps); the error names the line and column where that fails. \
            What the target format cannot hold (annotation durations in CSV, a trailing partial \
            data record in EDF+) is reported on stderr.
            """
    )

    @Argument(help: "The input session (.edf, .bdf or .csv).")
    var input: String

    @Argument(help: "The output file (.csv or .edf).")
    var output: String

    @Option(help: "Data record duration in seconds, for CSV → EDF+.")
    var recordDuration: Double = 1

    func validate() throws {
        guard recordDuration > 0, recordDuration <= 60 else {
            throw ValidationError("--record-duration must be in (0, 60] seconds")
        }
    }

    func run() throws {
        let from = FilePath(input), to = FilePath(output)
        let inCSV = input.lowercased().hasSuffix(".csv"), outCSV = output.lowercased().hasSuffix(".csv")
        let report: ConversionReport
        do {
            switch (inCSV, outCSV) {
            case (false, true): report = try SessionConversion.edfToCSV(from: from, to: to)
            case (true, false): report = try SessionConversion.csvToEDF(from: from, to: to, recordDurationSeconds: recordDuration)
            default:
                throw ValidationError("convert goes from EDF/BDF to .csv or from .csv to EDF; got \(input) → \(output)")
            }
        } catch let error as ConversionError {
            StandardError.write(error.description)
            throw ExitCode.failure
        }
        for note in report.notes { StandardError.write("crampd: \(output): \(note)") }
    }
}

/// Diagnostics go to stderr, never to stdout (which carries data).
enum StandardError {
    static func write(_ line: String) {
        _ = try? FileDescriptor.standardError.writeAll(Array((line + "\n").utf8))
    }
}
