// SPDX-License-Identifier: MIT
import CrampCore
import CrampSimulator
import Testing

/// Artifacts are in the samples exactly where the annotations say.
@Suite struct ArtifactTests {
    struct Episode {
        var kind: String
        var channel: ChannelDescriptor?
        var start: Double
        var end: Double
    }

    func episodes(_ s: GeneratedSession) -> [Episode] {
        s.annotations.compactMap { a in
            guard case let .artifact(kind, site, side) = GroundTruth(text: a.text) else { return nil }
            let channel = site.flatMap { site in side.map { ChannelDescriptor.emg(site, $0) } }
            return Episode(kind: kind, channel: channel, start: a.onsetSeconds, end: a.onsetSeconds + (a.durationSeconds ?? 0))
        }
    }

    var emg: (GeneratedSession) -> [ChannelDescriptor] {
        { $0.signals.map(\.descriptor).filter { $0.kind == .emg } }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func mainsShowsAsALinePeakWithHarmonics(seed: UInt64) throws {
        let s = try generate("artifact-mains", seed: seed, duration: 300, sites: [.gastroc])
        let e = try #require(episodes(s).first)
        #expect(e.kind == "mains" && e.channel == nil)
        for d in emg(s) {
            let inside = powerSpectrum(s.slice(d, e.start + 1, e.start + 17), n: 4096)
            let outside = powerSpectrum(s.slice(d, e.start - 17, e.start - 1), n: 4096)
            func line(_ p: [Double], _ f: Double) -> Double {
                let k = Int((f * 4096 / 1000).rounded())
                let peak = p[(k - 2)...(k + 2)].max()!
                let floor = percentile(Array(p[(k - 60)...(k - 10)] + p[(k + 10)...(k + 60)]), 0.5)
                return peak / floor
            }
            let f = line(inside, 50) > line(inside, 60) ? 50.0 : 60.0
            #expect(line(inside, f) > 10, "\(d) \(f) Hz line \(line(inside, f))")
            #expect(line(inside, 3 * f) > 5, "\(d) 3rd harmonic \(line(inside, 3 * f))")
            #expect(line(outside, f) < 4, "\(d) no line before: \(line(outside, f))")
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func motionAddsLowFrequencyTransientsOnItsElectrode(seed: UInt64) throws {
        let s = try generate("artifact-motion", seed: seed, duration: 300, sites: [.tibialis])
        let e = try #require(episodes(s).first)
        let d = try #require(e.channel)
        let length = min(10, e.end - e.start)
        func lowPower(_ x: ArraySlice<Float>) -> Double {
            let p = powerSpectrum(x, n: 1024)
            return p[1...20].reduce(0, +)  // 1–20 Hz
        }
        let inside = lowPower(s.slice(d, e.start, e.start + length))
        let before = lowPower(s.slice(d, e.start - length - 1, e.start - 1))
        #expect(inside > 8 * before, "\(d): low-frequency power \(before) → \(inside)")
        // The other electrodes are untouched.
        for other in emg(s) where other != d {
            let a = lowPower(s.slice(other, e.start, e.start + length))
            #expect(a < 5 * lowPower(s.slice(other, e.start - length - 1, e.start - 1)))
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func deadElectrodeIsFlat(seed: UInt64) throws {
        let s = try generate("artifact-dead", seed: seed, duration: 300, sites: [.gastroc])
        let e = try #require(episodes(s).first)
        let d = try #require(e.channel)
        let inside = s.slice(d, e.start + 0.002, e.end - 0.002)
        #expect(inside.count > 1000)
        #expect(inside.allSatisfy { abs($0) < 0.5 })
        #expect(rms(s.slice(d, e.start - 10, e.start - 1)) > 2)
        #expect(rms(s.slice(d, e.end + 1, e.end + 10)) > 2)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func saturationClipsAtTheRails(seed: UInt64) throws {
        let s = try generate("artifact-saturation", seed: seed, duration: 300, sites: [.gastroc])
        let e = try #require(episodes(s).first)
        let d = try #require(e.channel)
        #expect((3...20).contains(e.end - e.start))
        let inside = s.slice(d, e.start + 0.002, e.end - 0.002)
        let clipped = inside.filter { abs($0) == 5000 }.count
        #expect(Double(clipped) > 0.5 * Double(inside.count), "\(clipped) of \(inside.count) clipped")
        for c in emg(s) {
            let x = s.channel(c)
            let outside = x.indices.filter { abs(x[$0]) == 5000 && (c != d || !(Double($0) / 1000 >= e.start - 0.002 && Double($0) / 1000 < e.end + 0.002)) }
            #expect(outside.isEmpty, "\(c): clipped outside the episode at \(outside.prefix(3))")
        }
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func dropoutsAreFlatZeroOnlyWhereAnnotated(seed: UInt64) throws {
        let s = try generate("artifact-dropout", seed: seed, duration: 300, sites: [.soleus])
        let drops = episodes(s)
        #expect(drops.count == 4)
        for e in drops {
            #expect(e.kind == "dropout")
            #expect((0.2...3.0).contains(e.end - e.start))
            for d in e.channel.map({ [$0] }) ?? emg(s) {
                #expect(s.slice(d, e.start + 0.001, e.end - 0.001).allSatisfy { $0 == 0 }, "\(d)")
            }
        }
        // Nowhere else is there a run of 20 exact zeros.
        for d in emg(s) {
            let x = s.channel(d)
            var run = 0
            for i in x.indices {
                run = x[i] == 0 ? run + 1 : 0
                if run == 20 {
                    let t = Double(i) / 1000
                    let annotated = drops.contains { ($0.channel == nil || $0.channel == d) && t >= $0.start && t <= $0.end + 0.001 }
                    #expect(annotated, "\(d): zeros at \(t) s")
                }
            }
        }
    }
}
