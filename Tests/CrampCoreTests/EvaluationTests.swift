// SPDX-License-Identifier: MIT
import CrampCore
import Testing

@Suite struct EvaluationTests {
    private func alert(_ t: Double, _ level: AlertLevel, _ site: MuscleSite = .gastroc, _ side: BodySide = .left) -> Alert {
        Alert(sessionSeconds: t, level: level, site: site, side: side, risk: 0.5, evidence: [], advice: Advice(step: "", why: ""))
    }

    @Test func pairsOnsetsWithEnds() {
        let annotations = [
            Annotation(onsetSeconds: 100, text: "cramp onset gastroc L"),
            Annotation(onsetSeconds: 105, text: "cramp onset gastroc R"),
            Annotation(onsetSeconds: 160, text: "cramp end gastroc L"),
            Annotation(onsetSeconds: 300, text: "cramp onset hamstring R"),
            Annotation(onsetSeconds: 90, text: "tightness gastroc L"),
        ]
        let e = CrampEpisode.episodes(from: annotations, sessionEndSeconds: 400)
        #expect(e == [
            CrampEpisode(site: .gastroc, side: .left, onsetSeconds: 100, endSeconds: 160),
            CrampEpisode(site: .gastroc, side: .right, onsetSeconds: 105, endSeconds: 400),
            CrampEpisode(site: .hamstring, side: .right, onsetSeconds: 300, endSeconds: 400),
        ])
    }

    @Test func scoresDetectionWarningFalseAndWrongMuscle() {
        let episodes = [CrampEpisode(site: .gastroc, side: .left, onsetSeconds: 1000, endSeconds: 1060)]
        let alerts = [
            alert(200, .warning),                 // false: before onset − 300
            alert(750, .watch),                   // watch: never counted
            alert(910, .warning),                 // warned, lead 90 s
            alert(950, .warning, .gastroc, .right), // wrong side inside the window
            alert(1000.8, .cramp),                // detected, delay 0.8 s
            alert(1050, .cramp),                  // inside the window: not false
            alert(1125, .warning),                // false: after end + 60 s
        ]
        let s = SessionScore(episodes: episodes, alerts: alerts, durationSeconds: 7200)
        #expect(s.cramps == 1 && s.detected == 1 && s.warned == 1)
        #expect(s.onsetDelaysSeconds.count == 1 && abs(s.onsetDelaysSeconds[0] - 0.8) < 1e-9)
        #expect(s.leadTimesSeconds == [90])
        #expect(s.falseWarnings == 2)
        #expect(s.wrongMuscleOrSide == 1)
        #expect(s.hours == 2)
    }

    @Test func lateOrEarlyCrampAlertIsNotADetection() {
        let episodes = [CrampEpisode(site: .soleus, side: .right, onsetSeconds: 500, endSeconds: 560)]
        for t in [497.9, 510.1] {
            let s = SessionScore(episodes: episodes, alerts: [alert(t, .cramp, .soleus, .right)], durationSeconds: 600)
            #expect(s.detected == 0)
        }
        for t in [498.0, 510.0] {
            let s = SessionScore(episodes: episodes, alerts: [alert(t, .cramp, .soleus, .right)], durationSeconds: 600)
            #expect(s.detected == 1)
        }
    }

    @Test func summaryPoolsAndInterpolatesPercentiles() {
        #expect(EvaluationSummary.percentile([], 50) == nil)
        #expect(EvaluationSummary.percentile([3, 1, 2, 4], 50) == 2.5)
        #expect(EvaluationSummary.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9.1)
        #expect(abs(EvaluationSummary.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10)! - 1.9) < 1e-12)
        let a = SessionScore(episodes: [CrampEpisode(site: .gastroc, side: .left, onsetSeconds: 100, endSeconds: 150)],
                             alerts: [alert(40, .warning), alert(101, .cramp)], durationSeconds: 1800)
        let b = SessionScore(episodes: [], alerts: [alert(40, .warning)], durationSeconds: 1800)
        let summary = EvaluationSummary([a, b])
        #expect(summary.sessions == 2 && summary.hours == 1 && summary.cramps == 1)
        #expect(summary.sensitivity == 1 && summary.warnedShare == 1)
        #expect(summary.falseWarnings == 1 && summary.falseWarningsPerHour == 1)
        #expect(summary.leadTimeMedianSeconds == 60 && summary.onsetDelayMedianSeconds == 1)
    }
}
