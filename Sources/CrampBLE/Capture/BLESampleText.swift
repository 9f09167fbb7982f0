// SPDX-License-Identifier: MIT
import BLEWire
import CrampCore

extension BLESample {
    /// One JSON object per sample for check files (gpsd's `.chk` practice): `"class"` first,
    /// keys in a fixed order, fixed decimals, nothing volatile — replays compare byte for byte.
    ///
    /// EMG blocks are summarised (first frame and RMS per channel, 3 decimals), which pins the
    /// decoding of every sample without writing each one out.
    public var checkLine: String {
        switch self {
        case let .heartRate(s):
            let rr = s.rrIntervals.map { jsonFixed(jsonSeconds($0) * 1000, 3) }.joined(separator: ",")
            return #"{"class":"HR","t":\#(jsonTime(s.timeNanoseconds)),"device":"\#(s.device)","bpm":\#(s.beatsPerMinute),"rr_ms":[\#(rr)],"contact":"\#(jsonContact(s.sensorContact))"}"#
        case let .cadence(s):
            return #"{"class":"CADENCE","t":\#(jsonTime(s.timeNanoseconds)),"device":"\#(s.device)","spm":\#(s.stepsPerMinute),"plausible":\#(s.isPlausible),"suggest":\#(s.suggestedCounting.map { "\"\($0.rawValue)\"" } ?? "null"),"speed_mps":\#(jsonFixed(s.speedMetresPerSecond, 3)),"stride_m":\#(s.strideLengthMetres.map { jsonFixed($0, 2) } ?? "null"),"distance_m":\#(s.totalDistanceMetres.map { jsonFixed($0, 1) } ?? "null"),"running":\#(s.isRunning)}"#
        case let .emg(b):
            let n = b.channels.count
            let channels = b.channels.map { $0.map { "\"\($0.label)\"" } ?? "null" }.joined(separator: ",")
            let first = b.samples.prefix(n).map { jsonFixed(Double($0), 3) }.joined(separator: ",")
            var sums = [Double](repeating: 0, count: n)
            for (k, v) in b.samples.enumerated() { sums[k % n] += Double(v) * Double(v) }
            let rms = sums.map { jsonFixed(b.frameCount > 0 ? ($0 / Double(b.frameCount)).squareRoot() : 0, 3) }.joined(separator: ",")
            let rate = b.sampleRate.map { jsonFixed($0.value, 0) } ?? "null"
            return #"{"class":"EMG","t":\#(jsonTime(b.timeNanoseconds)),"device":"\#(b.device)","first_frame":\#(b.firstFrame),"frames":\#(b.frameCount),"rate_hz":\#(rate),"unit":"\#(b.unit.rawValue)","channels":[\#(channels)],"first":[\#(first)],"rms":[\#(rms)]}"#
        case let .battery(t, device, percent):
            return #"{"class":"BATTERY","t":\#(jsonTime(t)),"device":"\#(device)","percent":\#(percent)}"#
        case let .bodySensorLocation(t, device, location):
            return #"{"class":"LOCATION","t":\#(jsonTime(t)),"device":"\#(device)","location":"\#(location)"}"#
        case let .emgGap(t, device, packets, frames):
            return #"{"class":"GAP","t":\#(jsonTime(t)),"device":"\#(device)","packets":\#(packets),"frames":\#(frames)}"#
        case let .dropped(t, device, handle, error):
            var text = ""
            for c in "\(error)" {
                if c == "\\" || c == "\"" { text.append("\\") }
                text.append(c)
            }
            return #"{"class":"DROP","t":\#(jsonTime(t)),"device":"\#(device)","handle":"\#(handleText(handle))","error":"\#(text)"}"#
        case let .emgOutOfOrder(t, device, sequence):
            return #"{"class":"EMG_OUT_OF_ORDER","t":\#(jsonTime(t)),"device":"\#(device)","sequence":\#(sequence)}"#
        }
    }
}

func jsonTime(_ nanoseconds: Int64) -> String {
    let sign = nanoseconds < 0 ? "-" : ""
    let magnitude = nanoseconds.magnitude
    let fraction = String(magnitude % 1_000_000_000)
    return "\(sign)\(magnitude / 1_000_000_000).\(String(repeating: "0", count: 9 - fraction.count))\(fraction)"
}

func jsonFixed(_ value: Double, _ decimals: Int) -> String {
    FixedDecimal.format(value, decimals: decimals) ?? "null"
}

func jsonSeconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func jsonContact(_ c: HeartRateMeasurement.SensorContact) -> String {
    switch c {
    case .notSupported: "not-supported"
    case .notDetected: "not-detected"
    case .detected: "detected"
    }
}
