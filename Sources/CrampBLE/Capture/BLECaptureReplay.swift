// SPDX-License-Identifier: MIT
import BLEWire

/// Replays capture records through the same decoders as a live link: one
/// ``BLESensorDecoder`` per device, set up from the header's `Characteristic`, `Value` and
/// `Cadence-Counting` lines.
public struct BLECaptureReplayer: Sendable {
    public private(set) var decoders: [String: BLESensorDecoder] = [:]

    /// - Parameters:
    ///   - header: the capture's header.
    ///   - cadenceCounting: per-device settings that override the header's.
    public init(header: BLECaptureHeader, cadenceCounting: [String: RSCCadenceCounting] = [:]) {
        for c in header.characteristics {
            var decoder = decoders[c.device] ?? BLESensorDecoder(
                device: c.device, cadenceCounting: cadenceCounting[c.device] ?? header.cadenceCounting[c.device] ?? .twoFoot)
            if let kind = BLECharacteristicKind(uuid: c.uuid) { decoder.setKind(kind, forHandle: c.handle) }
            decoders[c.device] = decoder
        }
        // Read values go through the decoders in `initialSamples()`, at time 0.
        self.header = header
        overrides = cadenceCounting
    }

    private let header: BLECaptureHeader
    private let overrides: [String: RSCCadenceCounting]
    private var lastTime: Int64 = 0

    /// The samples the header's read values decode to (battery, body sensor location), and the
    /// EMG configuration they set.
    public mutating func initialSamples() -> [BLESample] {
        var out: [BLESample] = []
        for v in header.readValues {
            guard var decoder = decoders[v.device] else { continue }
            out += decoder.decode(handle: v.handle, value: v.value, timeNanoseconds: 0)
            decoders[v.device] = decoder
        }
        return out
    }

    /// Decodes one record; records of devices the header does not declare are counted as
    /// unknown handles.
    public mutating func process(_ record: BLECaptureRecord) -> [BLESample] {
        lastTime = record.timeNanoseconds
        var decoder = decoders[record.device] ?? BLESensorDecoder(device: record.device)
        let samples = decoder.decode(handle: record.handle, value: record.value, timeNanoseconds: record.timeNanoseconds)
        decoders[record.device] = decoder
        return samples
    }

    /// Applies one entry: values decode; a link coming up starts a new EMG stream (the sensor
    /// may restart its sequence numbers); metadata lines declare handles, decode read values
    /// (at the time of the last line) and set a footpod's counting.
    public mutating func process(_ entry: BLECaptureEntry) -> [BLESample] {
        switch entry {
        case let .value(record):
            return process(record)
        case let .link(event):
            lastTime = event.timeNanoseconds
            if event.isUp { decoders[event.device]?.resetEMGStream() }
            return []
        case let .metadata(.characteristic(c)):
            var decoder = decoders[c.device] ?? BLESensorDecoder(device: c.device, cadenceCounting: counting(c.device))
            if let kind = BLECharacteristicKind(uuid: c.uuid) { decoder.setKind(kind, forHandle: c.handle) }
            decoders[c.device] = decoder
            return []
        case let .metadata(.readValue(v)):
            guard var decoder = decoders[v.device] else { return [] }
            let samples = decoder.decode(handle: v.handle, value: v.value, timeNanoseconds: lastTime)
            decoders[v.device] = decoder
            return samples
        case let .metadata(.cadenceCounting(device, counting)):
            if overrides[device] == nil { decoders[device]?.cadenceCounting = counting }
            return []
        case .metadata(.field):
            return []
        }
    }

    private func counting(_ device: String) -> RSCCadenceCounting {
        overrides[device] ?? header.cadenceCounting[device] ?? .twoFoot
    }

    /// Replays a whole file, streaming, calling `body` with each sample in order.
    ///
    /// - Returns: the decoders' counters by device.
    public static func replay(path: String, cadenceCounting: [String: RSCCadenceCounting] = [:],
                              _ body: (BLESample) -> Void) throws(BLECaptureError) -> [String: BLEDecoderCounters] {
        let reader = try BLECaptureReader(path: path)
        defer { reader.close() }
        var replayer = BLECaptureReplayer(header: reader.header, cadenceCounting: cadenceCounting)
        replayer.initialSamples().forEach(body)
        while let entry = try reader.nextEntry() {
            replayer.process(entry).forEach(body)
        }
        return replayer.decoders.mapValues(\.counters)
    }
}
