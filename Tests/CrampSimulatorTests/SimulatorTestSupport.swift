// SPDX-License-Identifier: MIT
import CrampCore
import CrampSimulator
import RealModule

/// A whole (short) simulated session held in memory for measurement.
struct GeneratedSession {
    var signals: [SimulatedSignal]
    var samples: [[Float]]
    var annotations: [Annotation]
    var durationSeconds: Int

    func index(_ d: ChannelDescriptor) -> Int { signals.firstIndex { $0.descriptor == d }! }
    func channel(_ d: ChannelDescriptor) -> [Float] { samples[index(d)] }
    func rate(_ d: ChannelDescriptor) -> Int { signals[index(d)].samplesPerRecord }

    /// Samples of `d` between two session times (seconds).
    func slice(_ d: ChannelDescriptor, _ from: Double, _ to: Double) -> ArraySlice<Float> {
        let i = index(d)
        let fs = Double(signals[i].samplesPerRecord)
        let lo = max(0, Int(from * fs)), hi = min(samples[i].count, Int(to * fs))
        return samples[i][lo..<max(lo, hi)]
    }

    func first(_ text: String) -> Annotation? { annotations.first { $0.text == text } }
    func all(_ text: String) -> [Annotation] { annotations.filter { $0.text == text } }
}

func generate(
    _ name: String, seed: UInt64, duration: Int? = nil, rate: Double = 1000, sites: [MuscleSite]? = nil
) throws -> GeneratedSession {
    var sim = try SessionSimulator(scenario: Scenario.named(name), seed: seed, durationSeconds: duration, emgRate: Hertz(rate), sites: sites)
    var all = sim.signals.map { s in [Float]().reserving(s.samplesPerRecord * sim.recordCount) }
    var buffers: [[Float]] = []
    var notes: [Annotation] = []
    while let a = sim.nextRecord(into: &buffers) {
        for i in buffers.indices { all[i].append(contentsOf: buffers[i]) }
        notes += a
    }
    return GeneratedSession(signals: sim.signals, samples: all, annotations: notes, durationSeconds: sim.durationSeconds)
}

extension Array {
    func reserving(_ n: Int) -> Self { var a = self; a.reserveCapacity(n); return a }
}

// MARK: - Measures

func rms<C: Collection>(_ x: C) -> Double where C.Element == Float {
    guard !x.isEmpty else { return 0 }
    return (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)).squareRoot()
}

func mean<C: Collection>(_ x: C) -> Double where C.Element == Float {
    x.isEmpty ? 0 : x.reduce(0.0) { $0 + Double($1) } / Double(x.count)
}

/// RMS of consecutive windows of `width` samples.
func windowRMS(_ x: ArraySlice<Float>, width: Int) -> [Double] {
    stride(from: x.startIndex, to: x.endIndex - width + 1, by: width).map { rms(x[$0..<($0 + width)]) }
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let s = values.sorted()
    return s[min(s.count - 1, max(0, Int(p * Double(s.count - 1))))]
}

/// In-place radix-2 FFT (n a power of two).
func fft(_ re: inout [Double], _ im: inout [Double]) {
    let n = re.count
    var j = 0
    for i in 1..<n {
        var bit = n >> 1
        while j & bit != 0 { j ^= bit; bit >>= 1 }
        j |= bit
        if i < j { re.swapAt(i, j); im.swapAt(i, j) }
    }
    var len = 2
    while len <= n {
        let angle = -2 * Double.pi / Double(len)
        for start in stride(from: 0, to: n, by: len) {
            for k in 0..<(len / 2) {
                let (c, s) = (Double.cos(angle * Double(k)), Double.sin(angle * Double(k)))
                let a = start + k, b = start + k + len / 2
                let tr = re[b] * c - im[b] * s, ti = re[b] * s + im[b] * c
                re[b] = re[a] - tr; im[b] = im[a] - ti
                re[a] += tr; im[a] += ti
            }
        }
        len <<= 1
    }
}

/// Averaged Hann-windowed periodogram (Welch, no overlap) of `x` in segments of `n` samples;
/// returns power per bin (bin k is k·fs/n Hz).
func powerSpectrum(_ x: ArraySlice<Float>, n: Int = 1024) -> [Double] {
    var power = [Double](repeating: 0, count: n / 2 + 1)
    var segments = 0
    var start = x.startIndex
    while start + n <= x.endIndex {
        var re = (0..<n).map { k in Double(x[start + k]) * (0.5 - 0.5 * Double.cos(2 * .pi * Double(k) / Double(n))) }
        var im = [Double](repeating: 0, count: n)
        fft(&re, &im)
        for k in power.indices { power[k] += re[k] * re[k] + im[k] * im[k] }
        segments += 1
        start += n
    }
    return power.map { $0 / Double(max(1, segments)) }
}

/// Mean frequency of the spectrum of `x` within 20–450 Hz.
func meanFrequency(_ x: ArraySlice<Float>, sampleRate fs: Int, n: Int = 1024) -> Double {
    let p = powerSpectrum(x, n: n)
    var num = 0.0, den = 0.0
    for k in p.indices {
        let f = Double(k) * Double(fs) / Double(n)
        guard f >= 20 && f <= 450 else { continue }
        num += f * p[k]
        den += p[k]
    }
    return num / den
}

/// Burst amplitude: mean of the top 30 % of 50-ms RMS windows.
func burstRMS(_ x: ArraySlice<Float>, sampleRate fs: Int) -> Double {
    let w = windowRMS(x, width: fs / 20).sorted(by: >)
    let top = w.prefix(max(1, w.count * 3 / 10))
    return top.reduce(0, +) / Double(top.count)
}

/// Inter-stride baseline: 10th percentile of 25-ms RMS windows.
func gapBaseline(_ x: ArraySlice<Float>, sampleRate fs: Int) -> Double {
    percentile(windowRMS(x, width: fs / 40), 0.10)
}
