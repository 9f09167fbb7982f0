// SPDX-License-Identifier: MIT
import CrampFiles

/// Writes TCX documents for the tests (Garmin TrainingCenterDatabase v2 with the
/// ActivityExtension v2 `TPX` element), from samples in crampd's units: cadence in steps/min
/// becomes `RunCadence` in strides/min. Test-only; crampd does not write TCX.
enum TCXTestWriter {
    struct Lap {
        var start: UTCInstant
        var totalSeconds: Double?
        /// One array per Track; a new Track after a pause, as Garmin writes them.
        var tracks: [[ActivitySample]]
    }

    struct Activity {
        var sport: String
        var laps: [Lap]
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }

    static func trackpoint(_ s: ActivitySample, cadenceElement: Bool = false) -> String {
        var x = "            <Trackpoint>\n              <Time>\(s.time)</Time>\n"
        if let d = s.distanceMeters { x += "              <DistanceMeters>\(number(d))</DistanceMeters>\n" }
        if let hr = s.heartRateBPM { x += "              <HeartRateBpm>\n                <Value>\(number(Double(hr)))</Value>\n              </HeartRateBpm>\n" }
        if cadenceElement, let c = s.cadenceStepsPerMinute { x += "              <Cadence>\(number(Double(c) / 2))</Cadence>\n" }
        if s.speedMetersPerSecond != nil || (!cadenceElement && s.cadenceStepsPerMinute != nil) {
            x += "              <Extensions>\n                <ns3:TPX>\n"
            if let v = s.speedMetersPerSecond { x += "                  <ns3:Speed>\(number(Double(v)))</ns3:Speed>\n" }
            if !cadenceElement, let c = s.cadenceStepsPerMinute { x += "                  <ns3:RunCadence>\(number(Double(c) / 2))</ns3:RunCadence>\n" }
            x += "                </ns3:TPX>\n              </Extensions>\n"
        }
        return x + "            </Trackpoint>\n"
    }

    static func activity(_ a: Activity, cadenceElement: Bool = false, indent: String = "    ") -> String {
        var x = "\(indent)<Activity Sport=\"\(a.sport)\">\n\(indent)  <Id>\(a.laps.first.map { "\($0.start)" } ?? "")</Id>\n"
        for lap in a.laps {
            x += "\(indent)  <Lap StartTime=\"\(lap.start)\">\n"
            if let t = lap.totalSeconds { x += "\(indent)    <TotalTimeSeconds>\(number(t))</TotalTimeSeconds>\n" }
            x += "\(indent)    <Intensity>Active</Intensity>\n\(indent)    <TriggerMethod>Manual</TriggerMethod>\n"
            for track in lap.tracks {
                x += "\(indent)    <Track>\n"
                for s in track { x += trackpoint(s, cadenceElement: cadenceElement) }
                x += "\(indent)    </Track>\n"
            }
            x += "\(indent)  </Lap>\n"
        }
        return x + "\(indent)</Activity>\n"
    }

    static let open = """
        <?xml version="1.0" encoding="UTF-8"?>
        <TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" \
        xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2" \
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">

        """

    static func document(_ activities: [Activity], cadenceElement: Bool = false) -> String {
        open + "  <Activities>\n" + activities.map { activity($0, cadenceElement: cadenceElement) }.joined()
            + "  </Activities>\n</TrainingCenterDatabase>\n"
    }

    /// A MultiSportSession: the first activity under FirstSport, the others under NextSport.
    static func multisport(_ activities: [Activity]) -> String {
        var x = open + "  <Activities>\n    <MultiSportSession>\n      <Id>\(activities[0].laps[0].start)</Id>\n"
        for (i, a) in activities.enumerated() {
            x += i == 0 ? "      <FirstSport>\n" : "      <NextSport>\n"
            x += activity(a, indent: "        ")
            x += i == 0 ? "      </FirstSport>\n" : "      </NextSport>\n"
        }
        return x + "    </MultiSportSession>\n  </Activities>\n</TrainingCenterDatabase>\n"
    }
}
