// SPDX-License-Identifier: MIT
import CrampCore
import TOMLKit

/// Overrides of the relief playbook from the `[advice]` table of a TOML file.
///
/// ```toml
/// [advice]
/// hydration = "Drink and take electrolytes."
/// hydration_after_minutes = 45
/// stop_the_run = "…"
/// medical = "…"
/// prevention = ["…", "…"]
///
/// [advice.calf.warning]          # groups: calf, hamstring, shin, thigh
/// step = "Slow to a jog and relax your {side} {muscle}."   # levels: watch, warning, cramp, clear
/// why = "…"
/// ```
/// Anything not given keeps its default. Unknown keys are errors.
public enum PlaybookConfig {
    /// Applies the `[advice]` table of `document` (if any) to `playbook`.
    public static func apply(_ document: TOMLDocument, to playbook: AdvicePlaybook) throws(ConfigError) -> AdvicePlaybook {
        var p = playbook
        guard let advice = try document.table(document.root, "advice", at: "") else { return p }
        let groups = Set(AdvicePlaybook.Group.allCases.map(\.rawValue))
        try document.checkKeys(advice, at: "advice",
                               allowed: groups.union(["hydration", "hydration_after_minutes", "stop_the_run", "medical", "prevention"]))
        if let s = try document.string(advice, "hydration", at: "advice") { p.hydration = s }
        if let m = try document.number(advice, "hydration_after_minutes", at: "advice") {
            guard m >= 0 else { throw document.error("advice.hydration_after_minutes", "expected minutes ≥ 0, found \(m)") }
            p.hydrationAfterSeconds = m * 60
        }
        if let s = try document.string(advice, "stop_the_run", at: "advice") { p.stopTheRun = s }
        if let s = try document.string(advice, "medical", at: "advice") { p.medical = s }
        if let list = try document.strings(advice, "prevention", at: "advice") { p.prevention = list }
        for group in AdvicePlaybook.Group.allCases {
            let gKey = "advice.\(group.rawValue)"
            guard let g = try document.table(advice, group.rawValue, at: "advice") else { continue }
            try document.checkKeys(g, at: gKey, allowed: Set(AlertLevel.allCases.map(\.rawValue)))
            for level in AlertLevel.allCases {
                let lKey = "\(gKey).\(level.rawValue)"
                guard let l = try document.table(g, level.rawValue, at: gKey) else { continue }
                try document.checkKeys(l, at: lKey, allowed: ["step", "why"])
                var entry = p.entries[group]?[level] ?? AdvicePlaybook.standard.entries[group]![level]!
                if let s = try document.string(l, "step", at: lKey) {
                    guard !s.isEmpty else { throw document.error("\(lKey).step", "expected a non-empty string") }
                    entry.step = s
                }
                if let s = try document.string(l, "why", at: lKey) { entry.why = s }
                p.entries[group, default: [:]][level] = entry
            }
        }
        return p
    }
}
