// SPDX-License-Identifier: MIT
import CrampCore
import CrampSinks
import Testing

/// Event lines read back: what `AlertJSON` writes comes back as the same values.
@Suite struct EventLineDecodingTests {
    static let alert = Alert(
        sessionSeconds: 396.568, level: .cramp, site: .gastroc, side: .left, risk: 0.99,
        evidence: [Evidence(feature: "baseline_rms_ratio", value: 4.25, baseline: nil, threshold: 2, unit: "ratio"),
                   Evidence(feature: "burst_rms", value: 812.346, baseline: 401.2, threshold: 600, unit: "uV")],
        advice: Advice(step: "Stop. \"Pull\" the toes\nto the shin — é 🏃", why: "Cramp <now> & here.", escalation: "Seek help."))

    @Test func alertRoundTrips() throws {
        let line = AlertJSON.object(Self.alert, wallTime: "2026-11-21T07:00:00.000Z").rendered
        #expect(try AlertJSON.decode(line: line) == .alert(Self.alert))
        var noEscalation = Self.alert
        noEscalation.advice.escalation = nil
        noEscalation.evidence = []
        #expect(try AlertJSON.decode(line: AlertJSON.object(noEscalation).rendered) == .alert(noEscalation))
    }

    @Test func sensorEventRoundTrips() throws {
        let on = SensorEvent(sessionSeconds: 12.5, channel: .emg(.soleus, .right), fault: .mains, active: true, detail: "mains 0.62")
        #expect(try AlertJSON.decode(line: AlertJSON.object(on).rendered) == .sensor(on))
        let hr = SensorEvent(sessionSeconds: 3, channel: .heartRate, fault: .dropout, active: false, detail: "")
        #expect(try AlertJSON.decode(line: AlertJSON.object(hr).rendered) == .sensor(hr))
    }

    @Test func summaryRoundTrips() throws {
        let s = SessionSummary(
            durationSeconds: 480, channels: ["EMG gastroc L", "HR"],
            cramps: [.init(site: .gastroc, side: .left, onsetSeconds: 398.1, endSeconds: nil)], warnings: 1, watches: 2,
            sensorFaults: 0, peakRisks: [.init(site: .gastroc, side: .left, risk: 1)], message: "One cramp.", prevention: ["Calf raises."])
        #expect(try AlertJSON.decode(line: AlertJSON.object(s).rendered) == .summary(s))
    }

    @Test func unicodeEscapesAndSurrogatePairs() throws {
        let v = try JSONValue.parse(#"{"a":"\u00e9\ud83c\udfc3\n\/","b":[1,-2.5e3,true,null]}"#)
        #expect(v["a"]?.string == "é🏃\n/")
        #expect(v["b"] == .array([.number(1), .number(-2500), .bool(true), .null]))
    }

    @Test(arguments: [
        ("", "byte 0: unexpected end, expected a value"),
        ("{\"a\":1,}", "byte 7: expected a key string"),
        ("{\"a\":01}", "leading zero"),
        ("[1 2]", "expected ',' or ']'"),
        ("\"\\ud83c\"", "unpaired surrogate"),
        ("{\"a\":1} x", "text after the value"),
        ("\"tab\there\"", "control character"),
    ])
    func malformedJSONIsRefusedWithItsOffset(text: String, message: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
        do {
            _ = try JSONValue.parse(text)
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test func badFieldsAreNamed() {
        func message(_ line: String) -> String {
            do {
                _ = try AlertJSON.decode(line: line)
                return "decoded"
            } catch {
                return error.message
            }
        }
        let good = AlertJSON.object(Self.alert).rendered
        #expect(message(good.replacingOccurrences("\"level\":\"cramp\"", "\"level\":\"panic\"")).contains("\"level\": expected one of watch, warning, cramp, clear"))
        #expect(message(good.replacingOccurrences("\"risk\":0.99", "\"risk\":1.5")).contains("\"risk\": 1.5 is outside 0…1"))
        #expect(message(good.replacingOccurrences(",\"risk\":0.99", "")).contains("\"risk\" is missing"))
        #expect(message(good.replacingOccurrences("\"side\":\"L\"", "\"side\":\"L\",\"colour\":\"red\"")).contains("unexpected key \"colour\""))
        #expect(message(good.replacingOccurrences("\"t\":396.568", "\"t\":-1")).contains("negative"))
        #expect(message("[1]") == "expected a JSON object")
        #expect(message("{\"class\":\"ALERT\"").contains("not JSON"))
    }

    @Test func unknownClassesAreMarkedSoReadersMaySkipThem() {
        do {
            _ = try AlertJSON.decode(line: #"{"class":"STATUS","t":1.000}"#)
            Issue.record("decoded an unknown class")
        } catch {
            #expect(error.unknownClass == "STATUS")
        }
    }
}

private extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: a) {
            out += rest[..<r.lowerBound] + b
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
