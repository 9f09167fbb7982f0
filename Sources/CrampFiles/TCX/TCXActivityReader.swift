// SPDX-License-Identifier: MIT
// TCX is XML; libxml2 (through FoundationXML's XMLParser, part of the Swift toolchain on
// Linux) parses it, so that crampd does not carry an XML parser of its own. This file is the
// only one of CrampFiles that uses Foundation.
#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation
import SystemPackage

/// Reads a Garmin Training Center (TCX v2) activity: its Activities, Laps, Tracks and
/// Trackpoints.
///
/// What is read from each `Trackpoint`: `Time` (xsd:dateTime; UTC when it has no zone),
/// `HeartRateBpm/Value` (bpm), `DistanceMeters` (m), and from the `Extensions/TPX` element of
/// Garmin's ActivityExtension v2 schema `Speed` (m/s) and `RunCadence` (strides per minute,
/// one foot, as FIT's cadence). The schema's `Cadence` element is bike cadence (rpm); for an
/// Activity with `Sport="Running"` that has no `RunCadence`, it is taken as strides per minute
/// too (some exporters put running cadence there). Cadence becomes steps per minute: × 2.
///
/// Structure: each `Activity` (also inside a `MultiSportSession`) is a segment with its
/// `Sport` (`Running`, `Biking`, `Other`); each `Lap` a lap (`StartTime`, `TotalTimeSeconds`);
/// a new `Track` inside a Lap follows a stop of the timer (Garmin starts one after every
/// pause), so the time between two Tracks of one Lap is a pause.
///
/// - Important: XML is parsed whole (XMLParser has no pull interface), so the samples are
///   held in memory: about 48 bytes each, 170 KB for an hour at 1 s. FIT is streamed.
public struct TCXActivityReader: Sendable {
    /// The file.
    public let path: FilePath
    /// Activities as segments, laps, pauses (new Tracks).
    public let structure: ActivityStructure
    /// Every Trackpoint with a Time, in file order.
    public let samples: [ActivitySample]
    /// The Activities' sports, in file order.
    public let sports: [String]

    /// Reads and parses `path`.
    ///
    /// - Throws: ``TCXError``.
    public init(path: FilePath) throws(TCXError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path.string))
        } catch {
            throw TCXError(.io, path: path, line: nil, what: "cannot read the file: \(error.localizedDescription)", expected: "", found: "")
        }
        try self.init(data: data, path: path)
    }

    /// Parses a TCX document held in `bytes` (`path` names it in errors).
    public init(bytes: [UInt8], path: FilePath) throws(TCXError) {
        try self.init(data: Data(bytes), path: path)
    }

    /// What the commonest libxml2 error codes mean (`xmlParserErrors` in libxml/xmlerror.h).
    static let libxml2Errors: [Int: String] = [
        4: "the document is empty", 5: "the document is cut short or has content after its root element", 9: "invalid character",
        26: "undeclared entity", 41: "attribute without a value", 68: "a name is required", 73: "'>' is required",
        76: "opening and ending tag mismatch", 77: "the document ends inside an element",
    ]

    init(data: Data, path: FilePath) throws(TCXError) {
        self.path = path
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        let handler = TCXHandler(path: path)
        parser.delegate = handler
        guard !data.isEmpty else {
            throw TCXError(.notTCX, path: path, line: nil, what: "the file is empty",
                           expected: "a TCX document (<TrainingCenterDatabase>)", found: "0 bytes")
        }
        let ok = parser.parse()
        if let error = handler.error { throw error }
        guard ok, handler.xmlError == nil else {
            let (line, column, code) = handler.xmlError ?? (parser.lineNumber, parser.columnNumber, (parser.parserError as NSError?)?.code ?? 0)
            throw TCXError(.malformedXML, path: path, line: line, column: column,
                           what: "the file is not well-formed XML", expected: "a TCX (XML) document",
                           found: "libxml2 error \(code)" + (Self.libxml2Errors[code].map { " (\($0))" } ?? ""))
        }
        guard handler.sawRoot else {
            throw TCXError(.notTCX, path: path, line: nil, what: "the file is not a TCX document",
                           expected: "a <TrainingCenterDatabase> root element", found: "no elements")
        }
        samples = handler.samples
        sports = handler.activities.map(\.sport)
        structure = handler.structure()
    }
}

/// The XMLParser delegate: a stack of element names, the text of the current leaf, and the
/// Activities, Laps and Trackpoints so far.
private final class TCXHandler: NSObject, XMLParserDelegate {
    struct Activity {
        var sport: String
        var start: Double = .infinity
        var end: Double = -.infinity
    }

    struct Point {
        var time: UTCInstant?
        var hr: Float?
        var cadence: Float?
        var runCadence: Float?
        var speed: Float?
        var distance: Double?
    }

    let path: FilePath
    /// The first error the handler found itself (it then aborts the parse).
    var error: TCXError?
    var sawRoot = false
    var stack: [String] = []
    var text = ""
    var collecting = false
    var activities: [Activity] = []
    var laps: [ActivityLap] = []
    var pauses: [ActivityPause] = []
    var samples: [ActivitySample] = []
    var point: Point?
    var pointLine = 0
    var lapStart: UTCInstant?
    var lapDuration: Double?
    var lapStartLine = 0
    /// The last sample of the previous Track of this Lap, if it had one.
    var previousTrackEnd: UTCInstant?
    var trackEnd: UTCInstant?
    var pendingPauseStart: UTCInstant?

    init(path: FilePath) { self.path = path }

    func fail(_ parser: XMLParser, _ e: TCXError) {
        if error == nil { error = e }
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if stack.isEmpty {
            guard name == "TrainingCenterDatabase" else {
                fail(parser, TCXError(.notTCX, path: path, line: parser.lineNumber, what: "the file is XML but not a TCX document",
                                      expected: "a <TrainingCenterDatabase> root element", found: "<\(qualifiedName ?? name)>"))
                return
            }
            sawRoot = true
        }
        let parent = stack.last
        stack.append(name)
        switch name {
        case "Activity":
            activities.append(Activity(sport: (attributes["Sport"] ?? "other").lowercased()))
        case "Lap" where parent == "Activity":
            lapStartLine = parser.lineNumber
            lapStart = nil
            lapDuration = nil
            if let s = attributes["StartTime"] {
                guard let t = UTCInstant(iso8601: s) else {
                    fail(parser, TCXError(.invalidTime, path: path, line: parser.lineNumber, what: "Lap StartTime is not a date and time",
                                          expected: "an xsd:dateTime such as 2015-08-15T14:45:08Z", found: "\"\(s)\""))
                    return
                }
                lapStart = t
            }
            previousTrackEnd = nil
            trackEnd = nil
        case "Track" where parent == "Lap":
            if let end = trackEnd { previousTrackEnd = end }
            trackEnd = nil
        case "Trackpoint" where stack.contains("Activity"):
            // Only an Activity's Trackpoints: a MultiSportSession's Transition and a Course
            // have Tracks of their own, which belong to no activity.
            point = Point()
            pointLine = parser.lineNumber
        default:
            break
        }
        collecting = isLeafOfInterest(name, parent: parent)
        text = ""
    }

    /// The leaf elements whose text is read.
    func isLeafOfInterest(_ name: String, parent: String?) -> Bool {
        switch (name, parent) {
        case ("Time", "Trackpoint"), ("DistanceMeters", "Trackpoint"), ("Cadence", "Trackpoint"),
             ("Value", "HeartRateBpm"), ("Speed", "TPX"), ("RunCadence", "TPX"), ("TotalTimeSeconds", "Lap"):
            true
        default:
            false
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if collecting { text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
        let parent = stack.last
        defer { collecting = false }
        if collecting {
            collect(parser, name, parent: parent)
            return
        }
        switch name {
        case "Trackpoint":
            guard let p = point else { return }
            point = nil
            guard let time = p.time else {
                fail(parser, TCXError(.missingTime, path: path, line: pointLine, what: "Trackpoint has no Time",
                                      expected: "a <Time> element (xsd:dateTime)", found: "none"))
                return
            }
            let running = activities.last?.sport == "running"
            let strides = p.runCadence ?? (running ? p.cadence : nil)
            samples.append(ActivitySample(time: time, heartRateBPM: p.hr, cadenceStepsPerMinute: strides.map { 2 * $0 },
                                          speedMetersPerSecond: p.speed, distanceMeters: p.distance))
            if let start = previousTrackEnd {
                // The first point of a new Track in this Lap: the timer was stopped in between.
                if time > start { pauses.append(ActivityPause(start: start, end: time)) }
                previousTrackEnd = nil
            }
            trackEnd = time
            extend(time.secondsSince1970)
        case "Lap" where parent == "Activity":
            if let start = lapStart {
                laps.append(ActivityLap(number: laps.count + 1, start: start, durationSeconds: lapDuration))
                extend(start.secondsSince1970)
                if let d = lapDuration { extend(start.secondsSince1970 + d) }
            }
        default:
            break
        }
    }

    func extend(_ t: Double) {
        guard !activities.isEmpty else { return }
        activities[activities.count - 1].start = min(activities[activities.count - 1].start, t)
        activities[activities.count - 1].end = max(activities[activities.count - 1].end, t)
    }

    func collect(_ parser: XMLParser, _ name: String, parent: String?) {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        func number(_ range: ClosedRange<Double>, _ what: String) -> Double? {
            guard let v = Double(value), v.isFinite, range.contains(v) else {
                fail(parser, TCXError(.invalidNumber, path: path, line: parser.lineNumber, what: "\(what) is not a valid number",
                                      expected: "a decimal number in \(range.lowerBound)…\(range.upperBound)", found: "\"\(value)\""))
                return nil
            }
            return v
        }
        switch (name, parent) {
        case ("Time", "Trackpoint"):
            guard let t = UTCInstant(iso8601: value) else {
                fail(parser, TCXError(.invalidTime, path: path, line: parser.lineNumber, what: "Trackpoint Time is not a date and time",
                                      expected: "an xsd:dateTime such as 2015-08-15T14:45:08Z", found: "\"\(value)\""))
                return
            }
            point?.time = t
        case ("Value", "HeartRateBpm"):
            if stack.contains("Trackpoint"), let v = number(0...255, "HeartRateBpm Value") { point?.hr = Float(v) }
        case ("Cadence", "Trackpoint"):
            if let v = number(0...255, "Cadence") { point?.cadence = Float(v) }
        case ("RunCadence", "TPX"):
            if stack.contains("Trackpoint"), let v = number(0...255, "RunCadence") { point?.runCadence = Float(v) }
        case ("Speed", "TPX"):
            if stack.contains("Trackpoint"), let v = number(0...1000, "Speed") { point?.speed = Float(v) }
        case ("DistanceMeters", "Trackpoint"):
            if let v = number(0...1e8, "DistanceMeters") { point?.distance = v }
        case ("TotalTimeSeconds", "Lap"):
            if let v = number(0...1e7, "Lap TotalTimeSeconds") { lapDuration = v }
        default:
            break
        }
    }

    /// Where libxml2 first found the document malformed (the parser's position after
    /// `parse()` returns can be further on).
    var xmlError: (line: Int, column: Int, code: Int)?

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if xmlError == nil { xmlError = (parser.lineNumber, parser.columnNumber, (parseError as NSError).code) }
    }

    /// Segments from the Activities (time ordered, not overlapping), laps, pauses.
    func structure() -> ActivityStructure {
        var segments: [ActivitySegment] = []
        var previousEnd = -Double.infinity
        for a in activities.sorted(by: { $0.start < $1.start }) where a.start <= a.end {
            let start = max(a.start, previousEnd)
            guard start <= a.end else { continue }
            segments.append(ActivitySegment(index: segments.count, sport: ActivitySport(name: a.sport),
                                            start: UTCInstant(secondsSince1970: start), end: UTCInstant(secondsSince1970: a.end)))
            previousEnd = a.end
        }
        return ActivityStructure(segments: segments, laps: laps.sorted { $0.start < $1.start },
                                 pauses: pauses.sorted { $0.start < $1.start })
    }
}
