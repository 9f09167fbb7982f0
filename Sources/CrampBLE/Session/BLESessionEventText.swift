// SPDX-License-Identifier: MIT
import BLEWire
import CrampCore

extension BLESessionEvent {
    /// One JSON object per event (what `crampd record-ble` prints): `"class"` first, keys in a
    /// fixed order, times in seconds with 9 decimals, values with fixed decimals, nothing
    /// volatile, so that a capture's replay compares byte for byte with the live output.
    ///
    /// EMG blocks are summarised (first frame and RMS per channel, 3 decimals); the capture
    /// holds every sample.
    public var jsonLine: String {
        switch self {
        case let .connected(l):
            return #"{"class":"CONNECTED","t":\#(jsonTime(l.timeNanoseconds)),"device":"\#(l.device)","connection":\#(l.connection),"name":\#(jsonOptional(l.name)),"firmware":\#(jsonOptional(l.firmware)),"channels":\#(jsonChannels(l.channels))}"#
        case let .disconnected(device, t, reason):
            return #"{"class":"DISCONNECTED","t":\#(jsonTime(t)),"device":"\#(device)","reason":\#(jsonString(reason))}"#
        case let .gap(g):
            let (cause, packets): (String, String) = switch g.cause {
            case .linkLoss: ("link-loss", "null")
            case let .packetsLost(n): ("packets-lost", "\(n)")
            }
            return #"{"class":"GAP","t":\#(jsonTime(g.toNanoseconds)),"device":"\#(g.device)","from":\#(jsonTime(g.fromNanoseconds)),"to":\#(jsonTime(g.toNanoseconds)),"cause":"\#(cause)","packets":\#(packets),"channels":\#(jsonChannels(g.channels))}"#
        case let .heartRate(s):
            let rr = s.rrIntervals.map { jsonFixed(jsonSeconds($0) * 1000, 3) }.joined(separator: ",")
            let beats = s.beatTimesNanoseconds.map(jsonTime).joined(separator: ",")
            return #"{"class":"HR","t":\#(jsonTime(s.timeNanoseconds)),"device":"\#(s.device)","bpm":\#(s.beatsPerMinute),"rr_ms":[\#(rr)],"beat_t":[\#(beats)],"contact":"\#(jsonContact(s.sensorContact))"}"#
        case let .cadence(s):
            return #"{"class":"CADENCE","t":\#(jsonTime(s.timeNanoseconds)),"device":"\#(s.device)","spm":\#(s.stepsPerMinute),"plausible":\#(s.isPlausible),"suggest":\#(s.suggestedCounting.map { "\"\($0.rawValue)\"" } ?? "null"),"speed_mps":\#(jsonFixed(s.speedMetresPerSecond, 3)),"stride_m":\#(s.strideLengthMetres.map { jsonFixed($0, 2) } ?? "null"),"distance_m":\#(s.totalDistanceMetres.map { jsonFixed($0, 1) } ?? "null"),"running":\#(s.isRunning)}"#
        case let .emg(b):
            let n = b.channels.count
            let first = b.samples.prefix(n).map { jsonFixed(Double($0), 3) }.joined(separator: ",")
            var sums = [Double](repeating: 0, count: n)
            for (k, v) in b.samples.enumerated() { sums[k % n] += Double(v) * Double(v) }
            let rms = sums.map { jsonFixed(b.frameCount > 0 ? ($0 / Double(b.frameCount)).squareRoot() : 0, 3) }.joined(separator: ",")
            let rate = b.sampleRate.map { jsonFixed($0.value, 0) } ?? "null"
            return #"{"class":"EMG","t":\#(jsonTime(b.timeNanoseconds)),"device":"\#(b.device)","received":\#(jsonTime(b.receivedNanoseconds)),"first_frame":\#(b.firstFrame),"frames":\#(b.frameCount),"rate_hz":\#(rate),"unit":"\#(b.unit.rawValue)","channels":\#(jsonChannels(b.channels)),"first":[\#(first)],"rms":[\#(rms)]}"#
        case let .battery(device, t, percent):
            return #"{"class":"BATTERY","t":\#(jsonTime(t)),"device":"\#(device)","percent":\#(percent)}"#
        case let .bodySensorLocation(device, t, location):
            return #"{"class":"LOCATION","t":\#(jsonTime(t)),"device":"\#(device)","location":"\#(location)"}"#
        case let .dropped(device, t, handle, reason):
            return #"{"class":"DROP","t":\#(jsonTime(t)),"device":"\#(device)","handle":"\#(handleText(handle))","reason":\#(jsonString(reason))}"#
        }
    }
}

func jsonChannels(_ channels: [BLESessionChannel]) -> String {
    "[" + channels.map { jsonString($0.label) }.joined(separator: ",") + "]"
}

func jsonOptional(_ text: String?) -> String { text.map(jsonString) ?? "null" }

/// A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259, 7).
public func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let h = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
