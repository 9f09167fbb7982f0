// SPDX-License-Identifier: MIT
import ArgumentParser

@main
struct Crampd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crampd",
        abstract: "Early warning of calf and hamstring cramps from EMG, heart rate and cadence.",
        discussion: """
            Reads EDF+/BDF, CSV, FIT and TCX sessions, replays them through the cramp detector, \
            scores the detector on annotated recordings, simulates sessions with known ground \
            truth, and scans for and records live Bluetooth LE sensors.
            """,
        version: CrampdVersion.string,
        subcommands: [
            InfoCommand.self,
            ConvertCommand.self,
            SimulateCommand.self,
            FeaturesCommand.self,
            ImportCommand.self,
            ReportCommand.self,
            ReplayCommand.self,
            EvalCommand.self,
            ScanCommand.self,
            RecordBLECommand.self,
        ]
    )
}

enum CrampdVersion {
    static let string = "0.1.0"
}
