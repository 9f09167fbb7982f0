// SPDX-License-Identifier: MIT
import CrampCore
import Testing

@Suite struct ChannelDescriptorTests {
    @Test(arguments: [
        ("EMG gastroc L", ChannelDescriptor.emg(.gastroc, .left)),
        ("EMG soleus R", .emg(.soleus, .right)),
        ("emg  Hamstring r", .emg(.hamstring, .right)),
        ("HR", .heartRate),
        ("Cadence", .cadence),
        ("RR", .rrInterval),
        ("speed", .speed),
    ])
    func parsesLabels(label: String, expected: ChannelDescriptor) {
        #expect(ChannelDescriptor(label: label) == expected)
    }

    @Test(arguments: ["", "EDF Annotations", "EMG calf L", "EMG gastroc X", "EMG gastroc", "HR 2"])
    func rejectsUnknownLabels(label: String) {
        #expect(ChannelDescriptor(label: label) == nil)
    }

    @Test func labelRoundTrips() {
        for site in MuscleSite.allCases {
            for side in BodySide.allCases {
                let c = ChannelDescriptor.emg(site, side)
                #expect(ChannelDescriptor(label: c.label) == c)
            }
        }
    }
}

@Suite struct GroundTruthTests {
    @Test func parsesDesignTexts() {
        #expect(GroundTruth(text: "cramp onset gastroc L") == .crampOnset(.gastroc, .left))
        #expect(GroundTruth(text: "cramp end hamstring R") == .crampEnd(.hamstring, .right))
        #expect(GroundTruth(text: "tightness soleus L") == .tightness(.soleus, .left))
        #expect(GroundTruth(text: "artifact mains") == .artifact(kind: "mains", site: nil, side: nil))
        #expect(GroundTruth(text: "artifact dead gastroc R") == .artifact(kind: "dead", site: .gastroc, side: .right))
        #expect(GroundTruth(text: "cramp onset calf L") == .other("cramp onset calf L"))
    }

    @Test func textRoundTrips() {
        for t in ["cramp onset gastroc L", "cramp end soleus R", "tightness hamstring L", "artifact motion", "artifact saturation tibialis R", "walk break"] {
            #expect(GroundTruth(text: t).text == t)
        }
    }
}
