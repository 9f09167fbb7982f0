// SPDX-License-Identifier: MIT
import ArgumentParser
import BLEWire
import CrampBLE
import CrampConfig
import Dispatch
import Logging
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// `crampd scan`: the Bluetooth LE devices around, with what crampd could read from them.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "List the Bluetooth LE devices around: address, type, name, RSSI, services.",
        discussion: """
            Runs an active LE scan on one adapter (legacy or extended, as the controller \
            requires) and prints each device once: its address and address type (public or \
            random), name, strongest RSSI, advertised services (Heart Rate 0x180D, Running \
            Speed and Cadence 0x1814, crampd's EMG profile, …) and the `kind` to put in a \
            [[device]] table of the configuration. Scanning sends raw HCI commands: it needs \
            CAP_NET_RAW (root, `setcap`, or the systemd unit's AmbientCapabilities).
            """
    )

    @Option(help: ArgumentHelp("How long to scan.", valueName: "N"))
    var seconds: Double = 5

    @Flag(help: "One JSON object per device instead of a table.")
    var json = false

    @Option(help: ArgumentHelp("The adapter: hci0, hci1, … or its address (default: the first that is up).", valueName: "hciN"))
    var adapter: String?

    func validate() throws {
        guard seconds > 0, seconds <= 3600 else { throw ValidationError("--seconds must be between 0 and 3600") }
    }

    func run() throws {
        let results: [BLEScanResult]
        let scanner: HCIScanner
        do {
            scanner = try HCIScanner(adapter: adapter)
            results = try scanner.collect(for: .milliseconds(Int64(seconds * 1000)))
        } catch {
            StandardError.write("crampd: \(error)")
            throw ExitCode.failure
        }
        let how = (scanner.usedExtendedScan ? "extended" : "legacy") + " scan"
            + (scanner.sharedAnotherScan ? ", reading a scan already running" : "")
        StandardError.write("crampd: \(scanner.adapter.name) \(scanner.adapter.address): \(results.count) device\(results.count == 1 ? "" : "s") in \(seconds) s (\(how))")
        if json {
            for r in results { print(Self.jsonLine(r)) }
            return
        }
        guard !results.isEmpty else { return }
        var rows = [["ADDRESS", "TYPE", "RSSI", "NAME", "SERVICES", "KIND"]]
        for r in results {
            rows.append([r.address, r.addressType.rawValue, r.rssi.map { "\($0)" } ?? "?", r.name ?? "-",
                         r.services.isEmpty ? "-" : r.services.map(Self.serviceName).joined(separator: ", "),
                         r.suggestedKinds.isEmpty ? "-" : r.suggestedKinds.map(\.rawValue).joined(separator: ",")])
        }
        let widths = (0 ..< rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for row in rows {
            print(row.enumerated().map { c, cell in
                c == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count)
            }.joined(separator: "  "))
        }
    }

    static func serviceName(_ uuid: BluetoothUUID) -> String {
        switch uuid {
        case .heartRateService: "Heart Rate (180D)"
        case .runningSpeedAndCadenceService: "Running Speed and Cadence (1814)"
        case .batteryService: "Battery (180F)"
        case .deviceInformationService: "Device Information (180A)"
        case EMGProfile.service: "crampd EMG"
        case MyoProfile.controlService, MyoProfile.emgDataService: "Myo"
        default: "\(uuid)"
        }
    }

    static func jsonLine(_ r: BLEScanResult) -> String {
        let services = r.services.map { "\"\($0)\"" }.joined(separator: ",")
        let kinds = r.suggestedKinds.map { "\"\($0.rawValue)\"" }.joined(separator: ",")
        return #"{"class":"DEVICE","address":"\#(r.address)","address_type":"\#(r.addressType.rawValue)","name":\#(r.name.map(jsonString) ?? "null"),"rssi":\#(r.rssi.map { "\($0)" } ?? "null"),"connectable":\#(r.isConnectable),"services":[\#(services)],"kinds":[\#(kinds)],"reports":\#(r.reports)}"#
    }
}

/// `crampd record-ble`: connects to the configured devices, prints their samples as JSON
/// lines and writes a raw capture.
struct RecordBLECommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record-ble",
        abstract: "Connect to the configured BLE sensors, print their samples as JSON lines, write a raw capture.",
        discussion: """
            Connects to every [[device]] of the configuration file (address, address_type, \
            kind = hr | rsc | emg | myo, cadence, site, side, channels; see docs/BLE.md), merges \
            their samples onto one session clock and prints one JSON object per event: \
            CONNECTED, HR, CADENCE, EMG, BATTERY, LOCATION, DISCONNECTED, GAP, DROP, and a \
            SUMMARY per device at the end. A lost link is retried with backoff (1, 2, 4 … 30 s) \
            and becomes a DISCONNECTED event and a GAP when the link is back. With --capture, \
            every received notification is written raw, with the device's firmware and the link \
            events: a replay of the capture gives the same events. Stops after --seconds, or on \
            SIGINT/SIGTERM. Connecting needs no capability; logs go to standard error.
            """
    )

    @Option(help: ArgumentHelp("The configuration file (TOML).", valueName: "FILE"))
    var config: String

    @Option(help: ArgumentHelp("Write a raw capture to FILE.", valueName: "FILE"))
    var capture: String?

    @Option(help: ArgumentHelp("Stop after N seconds (default: until SIGINT or SIGTERM).", valueName: "N"))
    var seconds: Double?

    @Option(help: ArgumentHelp("The adapter, overriding [ble] adapter: hci0, hci1, … or its address.", valueName: "hciN"))
    var adapter: String?

    @Option(help: ArgumentHelp("The capture's Scenario line (what was recorded, and how).", valueName: "TEXT"))
    var scenario: String?

    @Option(help: ArgumentHelp("Log level on standard error: trace (every ATT PDU), debug, info, notice, warning, error.",
                               valueName: "LEVEL"))
    var logLevel: String = "info"

    func validate() throws {
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds must be greater than 0") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: unknown level \(logLevel)") }
    }

    func run() async throws {
        var session = try loadConfiguration()
        if let adapter { session.adapter = adapter }
        var logger = Logger(label: "crampd") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info

        let connector: L2CAPConnector
        do {
            connector = try L2CAPConnector(adapter: session.adapter)
        } catch {
            StandardError.write("crampd: \(error)")
            throw ExitCode.failure
        }
        var writer: BLECaptureWriter?
        if let capture {
            do {
                writer = try BLECaptureWriter(path: capture, header: captureHeader(session))
            } catch {
                StandardError.write("crampd: \(error)")
                throw ExitCode.failure
            }
        }
        let live = BLESession(configuration: session, connector: connector, capture: writer, logger: logger)
        let runner = Task { () -> BluetoothError? in
            do throws(BluetoothError) {
                try await live.run()
                return nil
            } catch {
                return error
            }
        }
        // SIGINT and SIGTERM end the session cleanly (gaps closed, capture complete).
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { runner.cancel() }
            source.resume()
            sources.append(source)
        }
        defer { sources.forEach { $0.cancel() } }
        if let seconds {
            Task {
                try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                runner.cancel()
            }
        }
        // One write per line: a reader on a pipe sees each event as it happens.
        for await event in live.events { StandardOutput.write(event.jsonLine) }
        let fatal = await runner.value
        for device in session.devices {
            let c = live.counters[device.address] ?? BLESessionDeviceCounters()
            StandardOutput.write(#"{"class":"SUMMARY","device":"\#(device.address)","connections":\#(c.connections),"disconnections":\#(c.disconnections),"hr":\#(c.heartRateSamples),"cadence":\#(c.cadenceSamples),"emg_blocks":\#(c.emgBlocks),"emg_frames":\#(c.emgFrames),"emg_packets_lost":\#(c.emgPacketsLost),"gaps":\#(c.gaps),"dropped":\#(c.dropped)}"#)
        }
        if live.droppedEvents > 0 {
            StandardError.write("crampd: \(live.droppedEvents) events dropped: the output was read too slowly")
        }
        if let fatal {
            StandardError.write("crampd: \(fatal)")
            throw ExitCode.failure
        }
        if let error = live.captureError {
            StandardError.write("crampd: the capture is incomplete: \(error)")
            throw ExitCode.failure
        }
    }

    private func loadConfiguration() throws -> BLESessionConfiguration {
        let text: String
        do {
            let fd = try FileDescriptor.open(FilePath(config), .readOnly)
            defer { try? fd.close() }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = try chunk.withUnsafeMutableBytes { try fd.read(into: $0) }
                if n == 0 { break }
                bytes += chunk[0 ..< n]
            }
            text = String(decoding: bytes, as: UTF8.self)
        } catch {
            StandardError.write("crampd: \(config): cannot read: \(error)")
            throw ExitCode.failure
        }
        do {
            let configuration = try BLEConfig.parse(try TOMLDocument(text: text, path: config))
            guard !configuration.devices.isEmpty else {
                StandardError.write("crampd: \(config): no [[device]] tables: nothing to record (see docs/BLE.md, \"Configuration\")")
                throw ExitCode.failure
            }
            return configuration
        } catch let error as ConfigError {
            StandardError.write("\(error)")
            throw ExitCode.failure
        }
    }

    private func captureHeader(_ session: BLESessionConfiguration) -> BLECaptureHeader {
        var fields: [(key: String, value: String)] = [(key: "Date", value: Self.utcNow())]
        for d in session.devices {
            fields.append((key: "Device", value: "\(d.address) \(d.addressType.rawValue), configured as \(d.kinds.map(\.rawValue).joined(separator: ", "))"
                + (d.label.map { " (\($0))" } ?? "")))
        }
        fields.append((key: "Firmware", value: "read from each device at each connection (the Firmware lines before its link up)"))
        fields.append((key: "Scenario", value: scenario ?? "crampd record-ble --config \(config)"))
        fields.append((key: "Recorded-by", value: "crampd \(CrampdVersion.string)"))
        for d in session.devices {
            if let channels = d.emgChannels {
                fields.append((key: BLECapture.emgChannelsKey, value: "\(d.address) " + channels.map { "\($0.site!.rawValue) \($0.side!.rawValue)" }.joined(separator: ", ")))
            } else if d.emgSite != nil || d.emgSide != nil {
                fields.append((key: BLECapture.emgDefaultKey, value: "\(d.address) \(d.emgSite?.rawValue ?? "-") \(d.emgSide?.rawValue ?? "-")"))
            }
        }
        let counting = Dictionary(uniqueKeysWithValues: session.devices.filter { $0.kinds.contains(.rsc) }.map { ($0.address, $0.cadenceCounting) })
        return BLECaptureHeader(fields: fields, cadenceCounting: counting)
    }

    /// The wall clock, for the capture's Date line only (the session runs on its own clock).
    static func utcNow() -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}

enum StandardOutput {
    static func write(_ line: String) {
        _ = try? FileDescriptor.standardOutput.writeAll(Array((line + "\n").utf8))
    }
}
