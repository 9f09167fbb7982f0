// SPDX-License-Identifier: MIT
import CrampCore
import Testing

@Suite struct AdvicePlaybookTests {
    let playbook = AdvicePlaybook.standard

    @Test func calfCrampIsToesToShinThenStretch() {
        let a = playbook.advice(level: .cramp, site: .gastroc, side: .left, sessionSeconds: 1800, crampsSoFar: 1, musclesCramped: 1)
        #expect(a.step.hasPrefix("Stop. Pull your toes toward your shin"))
        #expect(a.step.contains("10 seconds") && a.step.contains("bent knee for the soleus"))
        #expect(a.why.contains("left calf (gastrocnemius)"))
        #expect(a.escalation == playbook.medical)
    }

    @Test func hamstringCrampTightensTheThigh() {
        let a = playbook.advice(level: .cramp, site: .hamstring, side: .right, sessionSeconds: 100)
        #expect(a.step.contains("quadriceps"))
        #expect(!a.step.contains("toes toward your shin"))
        #expect(a.why.contains("right hamstring"))
    }

    @Test func repeatedOrMultipleCrampsEscalateToStoppingTheRun() {
        let second = playbook.advice(level: .cramp, site: .soleus, side: .left, sessionSeconds: 4000, crampsSoFar: 2, musclesCramped: 1)
        #expect(second.escalation?.hasPrefix("Stop the run") == true)
        #expect(second.escalation?.contains("seek medical help") == true)
        let bilateral = playbook.advice(level: .cramp, site: .gastroc, side: .right, sessionSeconds: 4000, crampsSoFar: 1, musclesCramped: 2)
        #expect(bilateral.escalation?.hasPrefix("Stop the run") == true)
    }

    @Test func hydrationAfterAnHourOrInHeat() {
        let early = playbook.advice(level: .warning, site: .gastroc, side: .left, sessionSeconds: 1200)
        #expect(!early.step.contains("electrolytes"))
        let late = playbook.advice(level: .warning, site: .gastroc, side: .left, sessionSeconds: 3700)
        #expect(late.step.contains("electrolytes"))
        let hot = playbook.advice(level: .watch, site: .gastroc, side: .left, sessionSeconds: 600, hot: true)
        #expect(hot.step.contains("electrolytes"))
        let clear = playbook.advice(level: .clear, site: .gastroc, side: .left, sessionSeconds: 5000)
        #expect(!clear.step.contains("electrolytes") && clear.step.hasPrefix("Resume slowly"))
    }

    @Test func everyGroupHasEveryLevel() {
        for g in AdvicePlaybook.Group.allCases {
            for l in AlertLevel.allCases {
                #expect(playbook.entries[g]?[l] != nil, "\(g) \(l)")
            }
        }
    }

    @Test func overridesReplaceTheDefault() {
        var custom = playbook
        custom.entries[.calf]?[.warning] = Advice(step: "Slow to a jog, {side} {muscle}.", why: "custom")
        let a = custom.advice(level: .warning, site: .soleus, side: .right, sessionSeconds: 10)
        #expect(a.step == "Slow to a jog, right calf (soleus).")
        #expect(a.why == "custom")
    }
}
