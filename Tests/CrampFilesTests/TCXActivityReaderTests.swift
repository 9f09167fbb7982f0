// SPDX-License-Identifier: MIT
import CrampFiles
import SystemPackage
import Testing

/// A TCX file as Garmin Connect exports a run (hand-written, shortened): two laps, a pause in
/// the first (a second Track), positions and altitudes (ignored), RunCadence and Speed in the
/// TPX extension, a Creator.
let handWrittenTCX = """
    <?xml version="1.0" encoding="UTF-8"?>
    <TrainingCenterDatabase
      xsi:schemaLocation="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2 http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd"
      xmlns:ns5="http://www.garmin.com/xmlschemas/ActivityGoals/v1"
      xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2"
      xmlns:ns2="http://www.garmin.com/xmlschemas/UserProfile/v2"
      xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
      xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
      <Activities>
        <Activity Sport="Running">
          <Id>2024-05-01T07:30:00.000Z</Id>
          <Lap StartTime="2024-05-01T07:30:00.000Z">
            <TotalTimeSeconds>4.0</TotalTimeSeconds>
            <DistanceMeters>12.0</DistanceMeters>
            <Calories>1</Calories>
            <Intensity>Active</Intensity>
            <TriggerMethod>Manual</TriggerMethod>
            <Track>
              <Trackpoint>
                <Time>2024-05-01T07:30:00.000Z</Time>
                <Position>
                  <LatitudeDegrees>47.3769</LatitudeDegrees>
                  <LongitudeDegrees>8.5417</LongitudeDegrees>
                </Position>
                <AltitudeMeters>408.0</AltitudeMeters>
                <DistanceMeters>0.0</DistanceMeters>
                <HeartRateBpm>
                  <Value>120</Value>
                </HeartRateBpm>
                <Extensions>
                  <ns3:TPX>
                    <ns3:Speed>3.0</ns3:Speed>
                    <ns3:RunCadence>85</ns3:RunCadence>
                  </ns3:TPX>
                </Extensions>
              </Trackpoint>
              <Trackpoint>
                <Time>2024-05-01T07:30:01.000Z</Time>
                <DistanceMeters>3.0</DistanceMeters>
                <HeartRateBpm><Value>121</Value></HeartRateBpm>
                <Extensions><ns3:TPX><ns3:Speed>3.1</ns3:Speed><ns3:RunCadence>86</ns3:RunCadence></ns3:TPX></Extensions>
              </Trackpoint>
            </Track>
            <!-- the timer was stopped for 20 s -->
            <Track>
              <Trackpoint>
                <Time>2024-05-01T07:30:21.000Z</Time>
                <DistanceMeters>6.0</DistanceMeters>
                <HeartRateBpm><Value>110</Value></HeartRateBpm>
                <Extensions><ns3:TPX><ns3:Speed>3.2</ns3:Speed><ns3:RunCadence>87</ns3:RunCadence></ns3:TPX></Extensions>
              </Trackpoint>
              <Trackpoint>
                <Time>2024-05-01T07:30:22.000Z</Time>
                <DistanceMeters>9.0</DistanceMeters>
                <HeartRateBpm><Value>112</Value></HeartRateBpm>
                <Extensions><ns3:TPX><ns3:Speed>3.3</ns3:Speed><ns3:RunCadence>88</ns3:RunCadence></ns3:TPX></Extensions>
              </Trackpoint>
            </Track>
          </Lap>
          <Lap StartTime="2024-05-01T07:30:23.000Z">
            <TotalTimeSeconds>2.0</TotalTimeSeconds>
            <Track>
              <Trackpoint>
                <Time>2024-05-01T07:30:23.000Z</Time>
                <DistanceMeters>12.0</DistanceMeters>
                <HeartRateBpm><Value>113</Value></HeartRateBpm>
                <Extensions><ns3:TPX><ns3:Speed>3.4</ns3:Speed><ns3:RunCadence>89</ns3:RunCadence></ns3:TPX></Extensions>
              </Trackpoint>
              <Trackpoint>
                <Time>2024-05-01T07:30:24.000Z</Time>
                <DistanceMeters>15.5</DistanceMeters>
                <HeartRateBpm><Value>114</Value></HeartRateBpm>
                <Extensions><ns3:TPX><ns3:Speed>3.5</ns3:Speed><ns3:RunCadence>90</ns3:RunCadence></ns3:TPX></Extensions>
              </Trackpoint>
            </Track>
          </Lap>
          <Creator xsi:type="Device_t">
            <Name>Forerunner 245</Name>
          </Creator>
        </Activity>
      </Activities>
    </TrainingCenterDatabase>
    """

private let t0 = UTCInstant(secondsSince1970: 1_714_548_600)  // 2024-05-01T07:30:00Z

private func tcxError(_ text: String) -> TCXError? {
    do throws(TCXError) {
        _ = try TCXActivityReader(bytes: Array(text.utf8), path: "bad.tcx")
        return nil
    } catch {
        return error
    }
}

@Suite struct TCXActivityReaderTests {
    @Test func readsTrackpointsLapsAndPausesOfAGarminExport() throws {
        let r = try TCXActivityReader(bytes: Array(handWrittenTCX.utf8), path: "run.tcx")
        #expect(r.sports == ["running"])
        #expect(r.samples.count == 6)
        #expect(r.samples.map { $0.time.seconds(since: t0) } == [0, 1, 21, 22, 23, 24])
        #expect(r.samples.map(\.heartRateBPM) == [120, 121, 110, 112, 113, 114])
        #expect(r.samples.map(\.cadenceStepsPerMinute) == [170, 172, 174, 176, 178, 180])  // 2 × RunCadence
        #expect(r.samples.map(\.speedMetersPerSecond) == [3.0, 3.1, 3.2, 3.3, 3.4, 3.5])
        #expect(r.samples.map(\.distanceMeters) == [0, 3, 6, 9, 12, 15.5])
        #expect(r.structure.segments == [ActivitySegment(index: 0, sport: .running, start: t0, end: t0.adding(seconds: 25))])
        #expect(r.structure.laps == [ActivityLap(number: 1, start: t0, durationSeconds: 4),
                                     ActivityLap(number: 2, start: t0.adding(seconds: 23), durationSeconds: 2)])
        // The second Track of lap 1 follows a pause; lap 2's Track does not.
        #expect(r.structure.pauses == [ActivityPause(start: t0.adding(seconds: 1), end: t0.adding(seconds: 21))])
    }

    @Test func runningCadenceInTheCadenceElementIsTakenAsStrides() throws {
        let samples = (0..<3).map { ActivitySample(time: t0.adding(seconds: Double($0)), heartRateBPM: 130, cadenceStepsPerMinute: 168) }
        let running = TCXTestWriter.document([.init(sport: "Running", laps: [.init(start: t0, totalSeconds: 3, tracks: [samples])])],
                                             cadenceElement: true)
        #expect(try TCXActivityReader(bytes: Array(running.utf8), path: "r.tcx").samples.map(\.cadenceStepsPerMinute) == [168, 168, 168])
        // In a bike activity the Cadence element is pedal rpm: not a running cadence.
        let biking = running.replacingOccurrences(of: "Sport=\"Running\"", with: "Sport=\"Biking\"")
        let r = try TCXActivityReader(bytes: Array(biking.utf8), path: "b.tcx")
        #expect(r.sports == ["biking"])
        #expect(r.samples.allSatisfy { $0.cadenceStepsPerMinute == nil })
    }

    @Test func multiSportSessionsGiveOneSegmentPerActivity() throws {
        func leg(_ from: Double, _ n: Int) -> [ActivitySample] {
            (0..<n).map { ActivitySample(time: t0.adding(seconds: from + Double($0)), heartRateBPM: 140, cadenceStepsPerMinute: 170, speedMetersPerSecond: 3) }
        }
        let text = TCXTestWriter.multisport([
            .init(sport: "Running", laps: [.init(start: t0, totalSeconds: 10, tracks: [leg(0, 10)])]),
            .init(sport: "Biking", laps: [.init(start: t0.adding(seconds: 12), totalSeconds: 20, tracks: [leg(12, 20)])]),
            .init(sport: "Running", laps: [.init(start: t0.adding(seconds: 40), totalSeconds: 5, tracks: [leg(40, 5)])]),
        ])
        // A Transition between the legs, with a Track of its own (belongs to no activity).
        let transition = "      <NextSport>\n        <Transition StartTime=\"\(t0.adding(seconds: 10))\"><TotalTimeSeconds>2</TotalTimeSeconds><Track>"
            + TCXTestWriter.trackpoint(leg(10, 1)[0]) + "</Track></Transition>\n"
        let withTransition = text.replacingOccurrences(of: "      <NextSport>\n        <Activity Sport=\"Biking\">",
                                                       with: transition + "        <Activity Sport=\"Biking\">")
        #expect(withTransition != text)
        let r = try TCXActivityReader(bytes: Array(withTransition.utf8), path: "m.tcx")
        #expect(r.structure.segments.map(\.sport.name) == ["running", "biking", "running"])
        #expect(r.structure.segments[0].end == t0.adding(seconds: 10))
        #expect(r.samples.count == 35)
        let dir = TestDirectory()
        let path = try dir.write(text, to: "m.tcx")
        let file = try ActivityFile(path: path)
        var events = file.events()
        var samples = 0, gaps: [ActivityGap.Reason] = []
        while let e = try events.next() {
            if case .sample = e { samples += 1 }
            if case .gap(let g) = e { gaps.append(g.reason) }
        }
        #expect(samples == 15)
        #expect(gaps == [.notRunning])
    }

    @Test func malformedXMLIsReportedWithItsLine() throws {
        let broken = handWrittenTCX.replacingOccurrences(of: "<Value>121</Value>", with: "<Value>121</Valeu>")
        let e = try #require(tcxError(broken))
        #expect(e.kind == .malformedXML)
        #expect(e.line == 40)
        #expect(e.description.hasPrefix("crampd: bad.tcx: line 40, column "))
        #expect(e.found == "libxml2 error 76 (opening and ending tag mismatch)")
    }

    @Test func otherDocumentsAndBadValuesAreRejected() throws {
        var e = try #require(tcxError("<?xml version=\"1.0\"?>\n<gpx version=\"1.1\"><trk/></gpx>"))
        #expect(e.kind == .notTCX)
        #expect(e.found == "<gpx>")
        #expect(tcxError("")?.kind == .notTCX)
        #expect(tcxError("<TrainingCenterDatabase><Activities>")?.kind == .malformedXML)

        let noTime = handWrittenTCX.replacingOccurrences(of: "<Time>2024-05-01T07:30:01.000Z</Time>", with: "")
        e = try #require(tcxError(noTime))
        #expect(e.kind == .missingTime)
        #expect(e.line == 37)  // where the Trackpoint starts

        let badTime = handWrittenTCX.replacingOccurrences(of: "2024-05-01T07:30:22.000Z", with: "2024-05-01 7:30:22")
        e = try #require(tcxError(badTime))
        #expect(e.kind == .invalidTime)
        #expect(e.found == "\"2024-05-01 7:30:22\"")

        let badHR = handWrittenTCX.replacingOccurrences(of: "<Value>112</Value>", with: "<Value>fast</Value>")
        e = try #require(tcxError(badHR))
        #expect(e.kind == .invalidNumber)
        #expect(e.description.contains("HeartRateBpm Value is not a valid number"))
    }
}
