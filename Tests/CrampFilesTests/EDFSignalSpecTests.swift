// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
import Testing

@Suite struct EDFSignalSpecTests {
    @Test func annotationSignalIsRecognised() {
        let s = EDFSignalSpec(label: "EDF Annotations", physicalDimension: "", physicalMinimum: -1, physicalMaximum: 1, samplesPerRecord: 60)
        #expect(s.isAnnotations)
        #expect(s.channel == nil)
        let e = EDFSignalSpec(label: "EMG gastroc L", physicalDimension: "uV", physicalMinimum: -5000, physicalMaximum: 5000, samplesPerRecord: 1000)
        #expect(!e.isAnnotations)
        #expect(e.channel == .emg(.gastroc, .left))
    }
}
