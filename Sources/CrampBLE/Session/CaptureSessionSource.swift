// SPDX-License-Identifier: MIT
import BLEWire
import CrampCore

/// A raw capture replayed as a session: the same ``BLESessionEvent``s, in the same order and
/// with the same times, that the live ``BLESession`` produced while recording it (both feed one
/// ``BLESessionAssembler``). Streaming: memory does not grow with the file.
///
/// How the file maps to session inputs:
/// - `Characteristic`, `Value`, `Name` and `Firmware` lines describe a device's link: in a
///   version 1 capture (header only) a link up from time 0; in version 2 the link of the
///   device's next `link up` line (a device's values follow its `link up`);
/// - `<t> <device> link up` / `link down [reason]` lines are the link's events;
/// - value lines are notifications at their reception time;
/// - the end of the file ends the session at the last line's time, or at the time of a
///   `# Session-End:` line (what a live session writes when it stops); a link still down there
///   gets its gap closed.
///
/// ```swift
/// let source = try CaptureSessionSource(path: "run.rec")
/// while let event = try source.next() { … }
/// ```
public final class CaptureSessionSource {
    public let path: String
    private let reader: BLECaptureReader
    private var assembler: BLESessionAssembler
    private var pending: [BLESessionEvent] = []
    private var pendingIndex = 0
    private var links: [String: BLELinkDescription] = [:]
    private var lastTime: Int64 = 0
    private var ended = false

    /// Opens the capture and reads its header.
    ///
    /// - Parameters:
    ///   - path: the capture file.
    ///   - devices: per-device settings (cadence counting, EMG sites and sides) that override
    ///     the capture's own `Cadence-Counting` lines; other devices get the capture's settings.
    /// - Throws: ``BLECaptureError`` when the file cannot be opened or its header is invalid.
    public init(path: String, devices: [BLEDeviceConfiguration] = []) throws(BLECaptureError) {
        self.path = path
        reader = try BLECaptureReader(path: path)
        let header = reader.header
        // The EMG channels the recording session was configured with, unless given here.
        var configurations = devices
        for (address, configured) in Self.configuredEMG(header) where !configurations.contains(where: { $0.address == address }) {
            configurations.append(configured)
        }
        assembler = BLESessionAssembler(devices: configurations)
        for (device, counting) in header.cadenceCounting.sorted(by: { $0.key < $1.key }) {
            assembler.setCadenceCounting(counting, for: device)
        }
        // The header's characteristics and values: links up from time 0.
        for c in header.characteristics { describe(c.device) { $0.characteristics.append(c) } }
        for v in header.readValues { describe(v.device) { $0.readValues.append(v) } }
        for field in header.fields where field.key == "Firmware" || field.key == "Name" {
            applyField(field.key, field.value)
        }
        // Version 1 has no link lines: its devices are up from time 0. In version 2 the header
        // describes the link of each device's first `link up`.
        if header.version < 2 {
            for device in header.devices {
                guard let link = links.removeValue(forKey: device) else { continue }
                pending += assembler.process(.linkUp(link))
            }
        }
    }

    /// The capture's header.
    public var header: BLECaptureHeader { reader.header }

    /// Counters by device address, so far.
    public var counters: [String: BLESessionDeviceCounters] { assembler.counters }

    /// The next event, or `nil` after the last.
    ///
    /// - Throws: ``BLECaptureError`` naming a malformed line; events before it were delivered.
    public func next() throws(BLECaptureError) -> BLESessionEvent? {
        while pendingIndex >= pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            if ended { return nil }
            guard let entry = try reader.nextEntry() else {
                ended = true
                pending = assembler.process(.end(timeNanoseconds: lastTime))
                continue
            }
            pending = process(entry)
        }
        defer { pendingIndex += 1 }
        return pending[pendingIndex]
    }

    /// Replays a whole capture, calling `body` with each event in order.
    ///
    /// - Returns: the counters by device.
    public static func replay(path: String, devices: [BLEDeviceConfiguration] = [],
                              _ body: (BLESessionEvent) throws -> Void) throws -> [String: BLESessionDeviceCounters] {
        let source = try CaptureSessionSource(path: path, devices: devices)
        while let event = try source.next() { try body(event) }
        return source.counters
    }

    private func process(_ entry: BLECaptureEntry) -> [BLESessionEvent] {
        switch entry {
        case let .value(record):
            lastTime = record.timeNanoseconds
            return assembler.process(.value(record))
        case let .link(event):
            lastTime = event.timeNanoseconds
            if event.isUp {
                var link = links.removeValue(forKey: event.device)
                    ?? BLELinkDescription(device: event.device, timeNanoseconds: 0, characteristics: [], readValues: [])
                link.timeNanoseconds = event.timeNanoseconds
                return assembler.process(.linkUp(link))
            }
            return assembler.process(.linkDown(device: event.device, timeNanoseconds: event.timeNanoseconds,
                                               reason: event.reason ?? "unknown"))
        case let .metadata(.characteristic(c)):
            describe(c.device) { $0.characteristics.append(c) }
        case let .metadata(.readValue(v)):
            describe(v.device) { $0.readValues.append(v) }
        case let .metadata(.cadenceCounting(device, counting)):
            assembler.setCadenceCounting(counting, for: device)
        case let .metadata(.field(key, value)):
            if key == BLECapture.sessionEndKey, let t = Int64(value), t >= lastTime { lastTime = t }
            applyField(key, value)
        }
        return []
    }

    /// `EMG-Channels` and `EMG-Default` header lines, as device configurations.
    private static func configuredEMG(_ header: BLECaptureHeader) -> [(String, BLEDeviceConfiguration)] {
        var out: [(String, BLEDeviceConfiguration)] = []
        for field in header.fields where field.key == BLECapture.emgChannelsKey || field.key == BLECapture.emgDefaultKey {
            let words = field.value.split(separator: " ", maxSplits: 1)
            guard words.count == 2, L2CAPATTSocket.isAddress(String(words[0])) else { continue }
            let address = words[0].uppercased()
            var c = BLEDeviceConfiguration(address: address, kinds: [], cadenceCounting: header.cadenceCounting[address] ?? .twoFoot)
            if field.key == BLECapture.emgChannelsKey {
                c.emgChannels = words[1].split(separator: ",").compactMap {
                    ChannelDescriptor(label: "EMG " + $0.split(separator: " ").joined(separator: " "))
                }
            } else {
                let parts = words[1].split(separator: " ")
                c.emgSite = parts.first.flatMap { MuscleSite(rawValue: String($0)) }
                c.emgSide = parts.dropFirst().first.flatMap { BodySide(rawValue: String($0)) }
            }
            out.append((address, c))
        }
        return out
    }

    private func describe(_ device: String, _ change: (inout BLELinkDescription) -> Void) {
        var link = links[device] ?? BLELinkDescription(device: device, timeNanoseconds: 0, characteristics: [], readValues: [])
        change(&link)
        links[device] = link
    }

    /// `Firmware: <address> <revision>` and `Name: <address> <name>` belong to a device's next
    /// link; a version 1 header's free-text `Firmware:` names no device and is left alone.
    private func applyField(_ key: String, _ value: String) {
        let words = value.split(separator: " ", maxSplits: 1)
        guard let first = words.first, L2CAPATTSocket.isAddress(String(first)) else { return }
        let text = words.count > 1 ? String(words[1]) : ""
        describe(first.uppercased()) { link in
            if key == "Firmware" { link.firmware = text } else { link.name = text }
        }
    }
}
