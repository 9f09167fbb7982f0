// SPDX-License-Identifier: MIT
import BLEWire
import CrampBLE
import CrampFiles
import SystemPackage

/// Generates the synthetic capture bundled as `Recordings/synthetic-strap-footpod-emg-s2.rec`
/// from a simulated session (`Recordings/sim-cramp-free-s2.edf`, written by `crampd simulate`),
/// by encoding its HR, cadence, speed and two EMG channels with the profile encoders, as three
/// sensors would have sent them. Deterministic: the same input gives the same bytes.
///
/// Rebuild after a deliberate change with
/// `CRAMPD_REBUILD_CAPTURES=1 swift test --skip-build --filter SyntheticCaptureTests`, then
/// review the diff.
enum SyntheticCapture {
    static let strap = "F0:00:00:00:00:01"
    static let footpod = "F0:00:00:00:00:02"
    static let emgSensor = "F0:00:00:00:00:03"

    static let hrmHandle: UInt16 = 0x0008, bslHandle: UInt16 = 0x000B, batteryHandle: UInt16 = 0x0014
    static let rscHandle: UInt16 = 0x000E
    static let rateHandle: UInt16 = 0x0018, mapHandle: UInt16 = 0x001A, scaleHandle: UInt16 = 0x001C
    static let emgHandle: UInt16 = 0x001E

    static let firstSecond = 120
    static let seconds = 8
    static let framesPerPacket = 50
    static let firstSequence: UInt16 = 100
    /// Sequence numbers left out to simulate lost notifications.
    static let lostSequences: Set<UInt16> = [130, 131]
    static let scale: Float = 0.25
    static let truncatedHRAtSecond = 4

    static var repositoryRoot: String {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }

    static var capturePath: String { repositoryRoot + "/Recordings/synthetic-strap-footpod-emg-s2.rec" }
    static var checkPath: String { capturePath + ".chk" }
    static var sourcePath: String { repositoryRoot + "/Recordings/sim-cramp-free-s2.edf" }

    static var header: BLECaptureHeader {
        BLECaptureHeader(
            fields: [
                (key: "Date", value: "2026-01-01 (the simulated session's start)"),
                (key: "Device", value: "\(strap) SYNTHETIC heart-rate strap (HR 0x180D, battery 0x180F)"),
                (key: "Device", value: "\(footpod) SYNTHETIC one-foot running footpod (RSC 0x1814)"),
                (key: "Device", value: "\(emgSensor) SYNTHETIC 2-channel EMG sensor (crampd EMG profile)"),
                (key: "Firmware", value: "none (synthetic)"),
                (key: "Scenario", value: "SYNTHETIC, not a real device: seconds \(firstSecond)-\(firstSecond + seconds) of Recordings/sim-cramp-free-s2.edf (crampd simulate, long-fatigue, seed 2) encoded with crampd's profile encoders; EMG gastroc L and soleus L at 1000 Hz, 50 frames per notification, sequences \(lostSequences.sorted().map(String.init).joined(separator: ",")) lost; one truncated HR notification at \(truncatedHRAtSecond) s"),
                (key: "Generator", value: "Tests/CrampBLETests/SyntheticCapture.swift"),
            ],
            characteristics: [
                .init(device: strap, handle: hrmHandle, uuid: .heartRateMeasurement),
                .init(device: strap, handle: bslHandle, uuid: .bodySensorLocation),
                .init(device: strap, handle: batteryHandle, uuid: .batteryLevel),
                .init(device: footpod, handle: rscHandle, uuid: .rscMeasurement),
                .init(device: emgSensor, handle: rateHandle, uuid: EMGProfile.sampleRate),
                .init(device: emgSensor, handle: mapHandle, uuid: EMGProfile.channelMap),
                .init(device: emgSensor, handle: scaleHandle, uuid: EMGProfile.scale),
                .init(device: emgSensor, handle: emgHandle, uuid: EMGProfile.data),
            ],
            readValues: [
                .init(device: strap, handle: bslHandle, value: [BodySensorLocation.chest.rawValue]),
                .init(device: strap, handle: batteryHandle, value: BatteryLevel(percent: 87).encoded),
                .init(device: emgSensor, handle: rateHandle, value: EMGSampleRate(hertz: 1000).encoded),
                .init(device: emgSensor, handle: mapHandle, value: EMGChannelMap(channels: [
                    .init(site: .gastroc, side: .left), .init(site: .soleus, side: .left),
                ]).encoded),
                .init(device: emgSensor, handle: scaleHandle, value: EMGScale(microvoltsPerCount: scale).encoded),
            ],
            cadenceCounting: [footpod: .oneFoot],
            // Version 1: no link lines, the three devices are up from the start.
            version: 1)
    }

    /// The whole capture's text.
    static func make() throws -> String {
        let reader = try EDFReader(path: FilePath(sourcePath))
        defer { reader.close() }
        let labels = reader.header.signals.map(\.label)
        func index(_ label: String) throws -> Int {
            guard let i = labels.firstIndex(of: label) else { throw BLECaptureError(path: sourcePath, line: 0, message: "no signal \(label)") }
            return i
        }
        let (hr, cadence, speed, gastroc, soleus) = (try index("HR"), try index("Cadence"), try index("Speed"),
                                                     try index("EMG gastroc L"), try index("EMG soleus L"))
        for _ in 0 ..< firstSecond { _ = try reader.nextRecord(decodingSamples: false) }

        var records: [BLECaptureRecord] = []
        var nextBeat = 0.0
        var rr: [UInt16] = []
        var distanceDecimetres: Double = 0
        var sequence = firstSequence
        var emgFrames: [(Int16, Int16)] = []
        var frameIndex = 0
        for second in 0 ..< seconds {
            guard try reader.nextRecord() else { break }
            let hrValues = reader.samples(of: hr), speedValues = reader.samples(of: speed)
            // Beats: each interval is 60 / HR at the beat (HR at 4 Hz, piecewise constant).
            while nextBeat < Double(second + 1) {
                let q = min(hrValues.count - 1, max(0, Int((nextBeat - Double(second)) * Double(hrValues.count))))
                let interval = 60 / Double(hrValues[q])
                nextBeat += interval
                rr.append(UInt16((interval * 1024).rounded()))
            }
            let t = Int64(second + 1) * 1_000_000_000
            let bpm = UInt16(Double(hrValues[0]).rounded())
            var hrm = HeartRateMeasurement(beatsPerMinute: bpm, sensorContact: .detected, rrIntervals1024: rr).encoded
            rr.removeAll()
            if second + 1 == truncatedHRAtSecond { hrm = [0x01, hrm[1]] }  // uint16 flagged, one octet sent
            records.append(BLECaptureRecord(timeNanoseconds: t, device: strap, handle: hrmHandle, value: hrm))
            if second == seconds / 2 {
                records.append(BLECaptureRecord(timeNanoseconds: t + 1_000_000, device: strap, handle: batteryHandle,
                                                value: BatteryLevel(percent: 86).encoded))
            }

            let metresPerSecond = Double(speedValues[0])
            let stepsPerMinute = Double(reader.samples(of: cadence)[0])
            let strides = (stepsPerMinute / 2).rounded()
            distanceDecimetres += metresPerSecond * 10
            let rsc = RSCMeasurement(speed256: UInt16((metresPerSecond * 256).rounded()), cadencePerMinute: UInt8(strides),
                                     strideLengthCentimetres: strides > 0 ? UInt16((metresPerSecond * 60 / strides * 100).rounded()) : 0,
                                     totalDistanceDecimetres: UInt32(distanceDecimetres.rounded()), isRunning: metresPerSecond >= 2)
            records.append(BLECaptureRecord(timeNanoseconds: t - 500_000_000, device: footpod, handle: rscHandle, value: rsc.encoded))

            let g = reader.samples(of: gastroc), s = reader.samples(of: soleus)
            for k in 0 ..< g.count {
                emgFrames.append((counts(g[k]), counts(s[k])))
                frameIndex += 1
                if emgFrames.count == framesPerPacket {
                    // Sent 3 ms after the packet's last sample (a link latency), at 1000 Hz.
                    let sent = Int64(frameIndex) * 1_000_000 + 3_000_000
                    if !lostSequences.contains(sequence) {
                        let packet = EMGDataPacket(sequenceNumber: sequence, channelCount: 2,
                                                   samples: emgFrames.flatMap { [$0.0, $0.1] })
                        records.append(BLECaptureRecord(timeNanoseconds: sent, device: emgSensor, handle: emgHandle,
                                                        value: packet.encoded))
                    }
                    sequence &+= 1
                    emgFrames.removeAll()
                }
            }
        }
        // Time order, then device and handle: a capture never goes back in time.
        records.sort { ($0.timeNanoseconds, $0.device, $0.handle) < ($1.timeNanoseconds, $1.device, $1.handle) }
        return header.text + records.map { $0.text + "\n" }.joined()
    }

    static func counts(_ microvolts: Float) -> Int16 {
        Int16(max(-32768, min(32767, (microvolts / scale).rounded())))
    }
}
