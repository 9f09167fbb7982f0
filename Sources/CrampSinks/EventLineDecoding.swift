// SPDX-License-Identifier: MIT
import CrampCore

/// One line of crampd's event stream (`schemas/crampd-events.schema.json`), read back.
public enum EventLine: Hashable, Sendable {
    case alert(Alert)
    case sensor(SensorEvent)
    case summary(SessionSummary)
}

/// Why an event line could not be read.
public struct EventLineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, naming the key (`"level": expected one of watch, warning, cramp, clear`).
    public var message: String
    /// Set when the line is a well-formed object of a class this reader does not know, so a
    /// caller may skip it (a newer writer's event) rather than fail.
    public var unknownClass: String?

    public init(_ message: String, unknownClass: String? = nil) {
        self.message = message
        self.unknownClass = unknownClass
    }

    public var description: String { message }
}

extension AlertJSON {
    /// Reads one line written by ``object(_:wallTime:)`` (any of its three forms) back into a
    /// value. `wall` is accepted and ignored; unknown keys are refused, as the schema does
    /// (`additionalProperties: false`), so a typo is not silently dropped.
    ///
    /// - Throws: ``EventLineError`` naming the first key that is missing, of the wrong type or
    ///   out of range; JSON syntax errors carry their byte offset.
    public static func decode(line: String) throws(EventLineError) -> EventLine {
        let value: JSONValue
        do { value = try JSONValue.parse(line) } catch { throw EventLineError("not JSON: \(error)") }
        var o = try Fields(value, context: "")
        switch try o.string("class") {
        case "ALERT": return .alert(try alert(&o))
        case "SENSOR": return .sensor(try sensor(&o))
        case "SUMMARY": return .summary(try summary(&o))
        case let other:
            throw EventLineError("\"class\": unknown class \"\(other)\" (expected ALERT, SENSOR or SUMMARY)", unknownClass: other)
        }
    }

    private static func alert(_ o: inout Fields) throws(EventLineError) -> Alert {
        let t = try o.time("t")
        _ = o.optional("wall")
        let level = try o.enumeration("level", AlertLevel.self)
        // Session-level alerts (no EMG) have null muscle and side.
        let site = try o.optionalEnumeration("muscle", MuscleSite.self)
        let side = try o.optionalEnumeration("side", BodySide.self)
        let risk = try o.number("risk")
        guard (0...1).contains(risk) else { throw EventLineError("\"risk\": \(risk) is outside 0…1") }
        var evidence: [Evidence] = []
        for (i, item) in try o.array("evidence").enumerated() {
            var e = try Fields(item, context: "\"evidence\"[\(i)]")
            evidence.append(Evidence(
                feature: try e.string("feature"), value: try e.number("value"), baseline: try e.optionalNumber("baseline"),
                threshold: try e.number("threshold"), unit: try e.string("unit")))
            try e.finish()
        }
        var a = try Fields(try o.required("advice"), context: "\"advice\"")
        let advice = Advice(step: try a.string("step"), why: try a.string("why"), escalation: try a.optionalString("escalation"))
        try a.finish()
        try o.finish()
        return Alert(sessionSeconds: t, level: level, site: site, side: side, risk: risk, evidence: evidence, advice: advice)
    }

    private static func sensor(_ o: inout Fields) throws(EventLineError) -> SensorEvent {
        let t = try o.time("t")
        _ = o.optional("wall")
        let label = try o.string("channel")
        let site = try o.optionalEnumeration("muscle", MuscleSite.self)
        let side = try o.optionalEnumeration("side", BodySide.self)
        let fault = try o.enumeration("fault", SignalFault.self)
        let state = try o.string("state")
        guard state == "on" || state == "off" else { throw EventLineError("\"state\": expected on or off, found \"\(state)\"") }
        let detail = try o.string("detail")
        _ = try o.string("advice")  // derived from the rest (SensorEvent.advice)
        try o.finish()
        let channel: ChannelDescriptor
        if let site, let side {
            channel = .emg(site, side)
        } else if let d = ChannelDescriptor(label: label) {
            channel = d
        } else {
            throw EventLineError("\"channel\": \"\(label)\" names no crampd channel and the line has no muscle and side")
        }
        return SensorEvent(sessionSeconds: t, channel: channel, fault: fault, active: state == "on", detail: detail)
    }

    private static func summary(_ o: inout Fields) throws(EventLineError) -> SessionSummary {
        let t = try o.time("t")
        _ = o.optional("wall")
        var channels: [String] = []
        for (i, c) in try o.array("channels").enumerated() {
            guard let s = c.string else { throw EventLineError("\"channels\"[\(i)]: expected a string") }
            channels.append(s)
        }
        var cramps: [SessionSummary.Cramp] = []
        for (i, item) in try o.array("cramps").enumerated() {
            var c = try Fields(item, context: "\"cramps\"[\(i)]")
            cramps.append(SessionSummary.Cramp(
                site: try c.enumeration("muscle", MuscleSite.self), side: try c.enumeration("side", BodySide.self),
                onsetSeconds: try c.time("t"), endSeconds: try c.optionalNumber("end_t")))
            try c.finish()
        }
        let warnings = try o.count("warnings"), watches = try o.count("watches"), faults = try o.count("sensor_faults")
        var peaks: [SessionSummary.PeakRisk] = []
        for (i, item) in try o.array("peak_risk").enumerated() {
            var p = try Fields(item, context: "\"peak_risk\"[\(i)]")
            peaks.append(SessionSummary.PeakRisk(
                site: try p.enumeration("muscle", MuscleSite.self), side: try p.enumeration("side", BodySide.self),
                risk: try p.number("risk")))
            try p.finish()
        }
        let message = try o.string("message")
        var prevention: [String] = []
        for (i, p) in try o.array("prevention").enumerated() {
            guard let s = p.string else { throw EventLineError("\"prevention\"[\(i)]: expected a string") }
            prevention.append(s)
        }
        try o.finish()
        return SessionSummary(durationSeconds: t, channels: channels, cramps: cramps, warnings: warnings, watches: watches,
                              sensorFaults: faults, peakRisks: peaks, message: message, prevention: prevention)
    }
}

/// The members of one object, taken one key at a time; ``finish()`` refuses what is left.
private struct Fields {
    private var members: [JSONMember]
    private let context: String

    init(_ value: JSONValue, context: String) throws(EventLineError) {
        guard case let .object(m) = value else {
            throw EventLineError(context.isEmpty ? "expected a JSON object" : "\(context): expected an object")
        }
        members = m
        self.context = context
    }

    mutating func optional(_ key: String) -> JSONValue? {
        guard let i = members.firstIndex(where: { $0.key == key }) else { return nil }
        return members.remove(at: i).value
    }

    mutating func required(_ key: String) throws(EventLineError) -> JSONValue {
        guard let v = optional(key) else {
            throw EventLineError(context.isEmpty ? "\"\(key)\" is missing" : "\(context): \"\(key)\" is missing")
        }
        return v
    }

    mutating func string(_ key: String) throws(EventLineError) -> String {
        guard let s = try required(key).string else { throw EventLineError("\"\(key)\": expected a string") }
        return s
    }

    mutating func optionalString(_ key: String) throws(EventLineError) -> String? {
        guard let v = optional(key), !v.isNull else { return nil }
        guard let s = v.string else { throw EventLineError("\"\(key)\": expected a string") }
        return s
    }

    mutating func number(_ key: String) throws(EventLineError) -> Double {
        guard let n = try required(key).number else { throw EventLineError("\"\(key)\": expected a number") }
        return n
    }

    mutating func optionalNumber(_ key: String) throws(EventLineError) -> Double? {
        let v = try required(key)
        if v.isNull { return nil }
        guard let n = v.number else { throw EventLineError("\"\(key)\": expected a number or null") }
        return n
    }

    mutating func time(_ key: String) throws(EventLineError) -> Double {
        let t = try number(key)
        guard t >= 0 else { throw EventLineError("\"\(key)\": session time \(t) is negative") }
        return t
    }

    mutating func count(_ key: String) throws(EventLineError) -> Int {
        let n = try number(key)
        guard n >= 0, n == n.rounded(), n < 1e15 else { throw EventLineError("\"\(key)\": expected a count, found \(n)") }
        return Int(n)
    }

    mutating func array(_ key: String) throws(EventLineError) -> [JSONValue] {
        guard let a = try required(key).array else { throw EventLineError("\"\(key)\": expected an array") }
        return a
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) throws(EventLineError) -> E
    where E.RawValue == String {
        let s = try string(key)
        guard let e = E(rawValue: s) else {
            throw EventLineError("\"\(key)\": expected one of \(E.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(s)\"")
        }
        return e
    }

    mutating func optionalEnumeration<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) throws(EventLineError) -> E?
    where E.RawValue == String {
        let v = try required(key)
        if v.isNull { return nil }
        guard let s = v.string, let e = E(rawValue: s) else {
            throw EventLineError("\"\(key)\": expected null or one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return e
    }

    func finish() throws(EventLineError) {
        if let extra = members.first {
            throw EventLineError(context.isEmpty ? "unexpected key \"\(extra.key)\"" : "\(context): unexpected key \"\(extra.key)\"")
        }
    }
}
