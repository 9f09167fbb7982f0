// SPDX-License-Identifier: MIT
import CrampCore
import CrampSinks
import Testing

@Suite struct AlertJSONTests {
    @Test func fixedKeyOrderAndDecimals() {
        let alert = Alert(
            sessionSeconds: 396.5684, level: .cramp, site: .gastroc, side: .left, risk: 0.987,
            evidence: [Evidence(feature: "baseline_rms_ratio", value: 4.25, baseline: nil, threshold: 2, unit: "ratio"),
                       Evidence(feature: "burst_rms", value: 812.3456, baseline: 401.2, threshold: 600, unit: "uV")],
            advice: Advice(step: "Stop.", why: "Cramp.", escalation: "Seek help."))
        let line = AlertJSON.object(alert).rendered
        #expect(line == #"{"class":"ALERT","t":396.568,"level":"cramp","muscle":"gastroc","side":"L","risk":0.99,"evidence":[{"feature":"baseline_rms_ratio","value":4.250,"baseline":null,"threshold":2.000,"unit":"ratio"},{"feature":"burst_rms","value":812.346,"baseline":401.200,"threshold":600.000,"unit":"uV"}],"advice":{"step":"Stop.","why":"Cramp.","escalation":"Seek help."}}"#)
        let walled = AlertJSON.object(alert, wallTime: "2026-11-21T07:00:00.000Z").rendered
        #expect(walled.hasPrefix(#"{"class":"ALERT","t":396.568,"wall":"2026-11-21T07:00:00.000Z","level""#))
    }
}
