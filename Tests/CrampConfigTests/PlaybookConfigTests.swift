// SPDX-License-Identifier: MIT
import CrampConfig
import CrampCore
import Testing

@Suite struct PlaybookConfigTests {
    @Test func overridesOnlyWhatIsGiven() throws {
        let text = """
            # crampd.toml
            [advice]
            hydration = "Drink now."
            hydration_after_minutes = 45
            prevention = ["Calf raises.", "Bridges."]

            [advice.calf.warning]
            step = "Slow to a jog, {side} {muscle}."
            """
        let doc = try TOMLDocument(text: text, path: "crampd.toml")
        let p = try PlaybookConfig.apply(doc, to: .standard)
        #expect(p.hydration == "Drink now." && p.hydrationAfterSeconds == 2700)
        #expect(p.prevention == ["Calf raises.", "Bridges."])
        #expect(p.entries[.calf]?[.warning]?.step == "Slow to a jog, {side} {muscle}.")
        #expect(p.entries[.calf]?[.warning]?.why == AdvicePlaybook.standard.entries[.calf]?[.warning]?.why)
        #expect(p.entries[.hamstring] == AdvicePlaybook.standard.entries[.hamstring])
        #expect(p.medical == AdvicePlaybook.standard.medical)
    }

    @Test func noAdviceTableKeepsTheDefaults() throws {
        let doc = try TOMLDocument(text: "[other]\nx = 1\n", path: "a.toml")
        #expect(try PlaybookConfig.apply(doc, to: .standard) == .standard)
    }

    @Test(arguments: [
        ("[advice]\nhydratoin = \"x\"\n", 2, "advice.hydratoin", "unknown key"),
        ("[advice]\nmedical = 3\n", 2, "advice.medical", "expected a string"),
        ("[advice.calf.warnign]\nstep = \"x\"\n", 1, "advice.calf.warnign", "unknown key"),
        ("[advice.calf.warning]\n\nstep = \"\"\n", 3, "advice.calf.warning.step", "non-empty"),
        ("[advice]\nhydration_after_minutes = -5\n", 2, "advice.hydration_after_minutes", "≥ 0"),
        ("[advice]\nprevention = [\"a\", 2]\n", 2, "advice.prevention", "array of strings"),
    ])
    func badKeysNameFileLineAndKey(text: String, line: Int, key: String, what: String) throws {
        let doc = try TOMLDocument(text: text, path: "bad.toml")
        #expect {
            _ = try PlaybookConfig.apply(doc, to: .standard)
        } throws: { error in
            guard let e = error as? ConfigError else { return false }
            return e.path == "bad.toml" && e.line == line && e.key == key && e.what.contains(what)
                && e.description.hasPrefix("crampd: bad.toml: line \(line): key '\(key)': ")
        }
    }

    @Test func syntaxErrorsNameTheLine() {
        #expect {
            _ = try TOMLDocument(text: "[advice]\nhydration = \"unterminated\n", path: "s.toml")
        } throws: { error in
            guard let e = error as? ConfigError else { return false }
            return e.line == 2 && e.what.hasPrefix("not valid TOML")
        }
    }
}
