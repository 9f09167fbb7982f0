// SPDX-License-Identifier: MIT
import ArgumentParser
import BLEWire
import CrampBLE
import CrampBLEPeripheral
#if canImport(Glibc)
import Glibc
#endif

/// A simulated sensor on a real (or emulated) controller: the peripheral side of the
/// end-to-end test in scripts/ble-vm/. Not part of crampd.
@main
struct Peripheral: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crampd-ble-peripheral",
        abstract: "Serve a simulated Heart Rate / RSC / EMG sensor on a local controller (for tests).",
        subcommands: [Serve.self, PrewarmCrypto.self],
        defaultSubcommand: Serve.self
    )
}

struct PrewarmCrypto: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prewarm-crypto",
        abstract: "Bind AF_ALG ecb(aes) and cmac(aes) once, before btvirt starts (qemu TCG: the HCI_Reset race).")

    func run() throws {
        let failed = AFALGPrewarm.run()
        for (name, code) in failed { log("AF_ALG \(name): errno \(code)") }
        if !failed.isEmpty { throw ExitCode.failure }
    }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Advertise and serve the simulated sensor; accept links again after each one ends.")

    @Option(help: "The controller: hci0, hci1, … or its address.")
    var adapter: String = "hci0"

    @Option(help: "Profiles served, comma-separated: hr, rsc, emg, myo.")
    var kinds: String = "hr,rsc,emg"

    @Option(help: "Device Name (and the advertised name).")
    var name: String = "crampd-sim"

    @Option(help: "Firmware Revision String.")
    var firmware: String = "crampd-sim 1.0"

    @Option(help: "Advertise from this random static address instead of the public one.")
    var randomAddress: String?

    @Option(help: "Heart rate notification interval, ms.")
    var hrIntervalMs: Int = 1000

    @Option(help: "RSC notification interval, ms.")
    var rscIntervalMs: Int = 1000

    @Flag(help: "The footpod's cadence counts one foot.")
    var oneFoot = false

    @Option(help: "Drop each of the first --drops links this many seconds after the client enabled notifications, with an HCI Disconnect.")
    var dropAfter: Double?

    @Option(help: "How many links to drop.")
    var drops: Int = 1

    @Option(help: "Exit after this many seconds.")
    var lifetime: Double = 60

    @Option(help: "Advertising commands: auto (from the controller's features), legacy or extended.")
    var advertising: String = "auto"

    @Option(help: "Seed of the simulated signals.")
    var seed: UInt64 = 1

    func run() throws {
        var parsed: Set<BLEDeviceKind> = []
        for word in kinds.split(separator: ",") {
            guard let kind = BLEDeviceKind(rawValue: String(word)) else { throw ValidationError("unknown kind \(word)") }
            parsed.insert(kind)
        }
        let configuration = SimulatedSensorConfiguration(
            kinds: parsed, name: name, firmware: firmware, heartRateInterval: .milliseconds(hrIntervalMs),
            rscInterval: .milliseconds(rscIntervalMs), cadenceCounting: oneFoot ? .oneFoot : .twoFoot, seed: seed)
        do throws(BluetoothError) {
            try serve(configuration)
        } catch {
            log("error: \(error)")
            throw ExitCode.failure
        }
    }

    private func serve(_ configuration: SimulatedSensorConfiguration) throws(BluetoothError) {
        let info = try HCIAdapters.resolve(adapter)
        let forced: Bool? = switch advertising {
        case "legacy": false
        case "extended": true
        default: nil
        }
        let advertiser = try HCIAdvertiser(adapter: info, extended: forced)
        let (data, response) = HCIAdvertiser.advertisingData(for: configuration)
        // Listen on both address types: the kernel hands an incoming link to the listener whose
        // type matches the address the link was made to.
        let listeners = [try L2CAPATTSocket.listen(adapter: info.address, type: .public),
                         try L2CAPATTSocket.listen(adapter: info.address, type: .random)]
        defer { listeners.forEach { close($0) } }

        let clock = ContinuousClock()
        let start = clock.now
        let end = start + .milliseconds(Int64(lifetime * 1000))
        var sensor = SimulatedSensor(configuration: configuration)
        var dropped = 0
        var links = 0
        log("\(info.name) \(randomAddress ?? info.address): advertising \(configuration.kinds.map(\.rawValue).sorted().joined(separator: "+")) (\(advertiser.extended ? "extended" : "legacy") commands)")
        while clock.now < end {
            try advertiser.start(data: data, scanResponse: response, randomAddress: randomAddress)
            var accepted: (fd: Int32, peer: String, type: BluetoothAddressType)?
            while accepted == nil, clock.now < end {
                for l in listeners {
                    if let a = try L2CAPATTSocket.accept(l, timeout: .milliseconds(100)) {
                        accepted = a
                        break
                    }
                }
            }
            guard let (fd, peer, type) = accepted else { break }
            links += 1
            // A connection ends advertising (legacy: the controller stops; extended: the set
            // terminates); stop explicitly all the same, until the link ends.
            advertiser.stop()
            let handle = try? L2CAPATTSocket.connectionHandle(fd)
            log("link \(links) from \(peer) (\(type.rawValue)), handle \(handle.map { String($0) } ?? "?")")
            let link = SimulatedSensorLink(sensor: sensor, transport: SeqPacketSocketTransport(fileDescriptor: fd),
                                           clock: { clock.now - start })
            link.start()
            var reason: ATTDisconnectReason?
            var subscribedAt: ContinuousClock.Instant?
            var droppedAt: ContinuousClock.Instant?
            while reason == nil, clock.now < end {
                reason = link.waitUntilClosed(timeout: .milliseconds(100))
                if subscribedAt == nil, link.currentSensor.sent.heartRate + link.currentSensor.sent.rsc + link.currentSensor.sent.emg + link.currentSensor.sent.myo > 0 {
                    subscribedAt = clock.now
                }
                if reason == nil, let dropAfter, dropped < drops, let since = subscribedAt,
                   clock.now - since >= .milliseconds(Int64(dropAfter * 1000)), let handle {
                    dropped += 1
                    droppedAt = clock.now
                    log("dropping link \(links): HCI Disconnect of handle \(handle)")
                    do {
                        try advertiser.socket.disconnect(handle: handle)
                        log("HCI Disconnect of handle \(handle) complete")
                    } catch {
                        log("HCI Disconnect failed (\(error)); closing the socket instead")
                        link.close()
                    }
                }
                // The socket should report the end of the link at once; if it has not after
                // 3 s, end it from here so that advertising resumes.
                if reason == nil, let since = droppedAt, clock.now - since > .seconds(3) {
                    log("link \(links) still open 3 s after the HCI Disconnect: closing its socket")
                    droppedAt = nil
                    link.close()
                }
            }
            if reason == nil {
                link.close()
                reason = link.waitUntilClosed(timeout: .seconds(2))
            }
            sensor = link.currentSensor
            let s = sensor.sent
            log("link \(links) down (\(reason.map { "\($0)" } ?? "?")); sent so far: \(s.heartRate) HR, \(s.rsc) RSC, \(s.emg) EMG, \(s.myo) Myo")
        }
        advertiser.stop()
        log("done after \(links) link(s)")
    }
}

/// One line on standard output, flushed at once (the test reads it as it happens).
func log(_ line: String) {
    let text = "peripheral: \(line)\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(1, $0.baseAddress, $0.count - 1) }
}
