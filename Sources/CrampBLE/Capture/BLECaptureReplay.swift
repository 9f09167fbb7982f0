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
    }

    private let header: BLECaptureHeader

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
        var decoder = decoders[record.device] ?? BLESensorDecoder(device: record.device)
        let samples = decoder.decode(handle: record.handle, value: record.value, timeNanoseconds: record.timeNanoseconds)
        decoders[record.device] = decoder
        return samples
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
        while let record = try reader.next() {
            replayer.process(record).forEach(body)
        }
        return replayer.decoders.mapValues(\.counters)
    }
}
