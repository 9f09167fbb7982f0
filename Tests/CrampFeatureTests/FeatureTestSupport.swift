// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
import Foundation
import SystemPackage
import Testing

/// Where the test data lives: the bundled recordings, and the third-party data next to the
/// repository (`<repo>/../shared/data`, present on the development machines, absent in a
/// user's clone: tests that need it are skipped with a message saying so).
enum TestData {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let recordings = repository.appendingPathComponent("Recordings")
    static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared/data")

    static func recording(_ name: String) -> String { recordings.appendingPathComponent(name).path }
    static func sharedFile(_ relative: String) -> String { shared.appendingPathComponent(relative).path }

    /// True if `../shared/data/<relative>` exists.
    static func hasShared(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: sharedFile(relative))
    }

    /// The reason shown when a shared-data test is skipped.
    static func missing(_ relative: String) -> Comment {
        "skipped: \(sharedFile(relative)) is absent (third-party data lives in <repo>/../shared/data on development machines)"
    }
}

/// Deterministic Gaussian noise (xorshift + Box–Muller).
struct GaussianNoise {
    private var state: UInt64
    private var spare: Double?

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    private mutating func uniform() -> Double {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return (Double(state >> 11) + 0.5) / Double(1 << 53)
    }

    mutating func next() -> Double {
        if let s = spare {
            spare = nil
            return s
        }
        let r = (-2 * Foundation.log(uniform())).squareRoot(), a = 2 * Double.pi * uniform()
        spare = r * Foundation.sin(a)
        return r * Foundation.cos(a)
    }
}

/// A session in memory: channels and their whole signals.
struct MemorySession {
    var channels: [SessionChannel]
    var signals: [[Float]]
    var annotations: [Annotation] = []

    /// Reads a (small) EDF file whole, converting mV to µV as `crampd features` does.
    init(edf path: String) throws {
        let reader = try EDFReader(path: FilePath(path))
        defer { reader.close() }
        var channels: [SessionChannel] = []
        var scales: [Float] = []
        for (i, s) in reader.header.signals.enumerated() {
            var c = SessionChannel(label: s.label, sampleRate: reader.header.sampleRate(of: i))
            let scale: Float = s.physicalDimension == "mV" ? 1000 : 1
            if c.kind == .emg {
                c.physicalRange = (s.physicalMinimum * Double(scale))...(s.physicalMaximum * Double(scale))
            }
            channels.append(c)
            scales.append(scale)
        }
        var signals = [[Float]](repeating: [], count: channels.count)
        var annotations: [Annotation] = []
        while try reader.nextRecord() {
            for i in channels.indices { signals[i] += reader.samples(of: i).map { $0 * scales[i] } }
            annotations += reader.recordAnnotations
        }
        self.channels = channels
        self.signals = signals
        self.annotations = annotations
    }

    init(channels: [SessionChannel], signals: [[Float]]) {
        self.channels = channels
        self.signals = signals
    }

    func index(of label: String) -> Int? { channels.firstIndex { $0.label == label } }

    /// Without the channels whose label is in `labels`.
    func removing(_ labels: Set<String>) -> MemorySession {
        let keep = channels.indices.filter { !labels.contains(channels[$0].label) }
        return MemorySession(channels: keep.map { channels[$0] }, signals: keep.map { signals[$0] })
    }
}

/// Everything a pipeline run reported, by kind.
struct PipelineOutput {
    var events: [SessionFeatureEvent] = []
    var mains: MainsDecision?
    var statuses: [Int: EMGChannelStatus] = [:]
    var windows: [EMGWindowRecord] = []
    var bursts: [EMGBurstRecord] = []
    var strides: [EMGStrideRecord] = []

    mutating func add(_ e: SessionFeatureEvent) {
        events.append(e)
        switch e {
        case .mains(let m): mains = m
        case .channel(let c): statuses[c.channel] = c
        case .window(let w): windows.append(w)
        case .burst(let b): bursts.append(b)
        case .stride(let s): strides.append(s)
        }
    }

    func windows(_ channel: Int) -> [EMGWindowRecord] { windows.filter { $0.channel == channel } }
    func bursts(_ channel: Int) -> [Burst] { bursts.filter { $0.channel == channel }.map(\.burst) }
    func strides(_ channel: Int) -> [StrideFeatures] { strides.filter { $0.channel == channel }.map(\.stride) }
}

/// Feeds `session` to a new pipeline, `block` samples of EMG per channel per call (cadence and
/// other regular signals in proportion: the same time span), channel after channel, as an EDF
/// reader would.
func runPipeline(
    _ session: MemorySession, configuration: SessionFeatureConfiguration = .init(), blockSeconds: Double = 1
) throws -> PipelineOutput {
    var pipeline = try SessionFeaturePipeline(channels: session.channels, configuration: configuration)
    var out = PipelineOutput()
    let duration = session.channels.indices.map { i -> Double in
        guard let r = session.channels[i].sampleRate else { return 0 }
        return Double(session.signals[i].count) / r.value
    }.max() ?? 0
    var t = 0.0
    while t < duration - 1e-9 {
        // Non-EMG (cadence) first within a block, as `crampd features` feeds EDF records.
        let order = session.channels.indices.sorted { (session.channels[$0].kind == .emg ? 1 : 0) < (session.channels[$1].kind == .emg ? 1 : 0) }
        for i in order {
            guard let rate = session.channels[i].sampleRate else { continue }
            let lo = Int((t * rate.value).rounded()), hi = min(session.signals[i].count, Int(((t + blockSeconds) * rate.value).rounded()))
            guard hi > lo else { continue }
            session.signals[i][lo..<hi].withUnsafeBufferPointer { pipeline.process(samples: $0, channel: i) { out.add($0) } }
        }
        t += blockSeconds
    }
    pipeline.finish { out.add($0) }
    return out
}

func seconds(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) + Double(c.attoseconds) * 1e-18
}

func median(_ xs: [Double]) -> Double? {
    guard !xs.isEmpty else { return nil }
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func mean(_ xs: [Double]) -> Double? { xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count) }

/// Synthetic running EMG: gait-locked bursts of Gaussian noise (`burstRMS` µV at the envelope
/// peak, a half-sine envelope over `burstSeconds`) every `periodSeconds`, on a baseline of
/// `baselineRMS` µV, plus optional extras.
struct SyntheticEMG {
    var rate = 2000.0
    var seconds = 30.0
    var periodSeconds = 0.7
    var burstSeconds = 0.3
    var burstRMS = 300.0
    var baselineRMS = 3.0
    var phaseSeconds = 0.2
    var seed: UInt64 = 1

    /// The onsets (s) of the bursts.
    var burstOnsets: [Double] {
        stride(from: phaseSeconds, to: seconds - burstSeconds, by: periodSeconds).map { $0 }
    }

    func signal(baselineScale: (Double) -> Double = { _ in 1 }) -> [Float] {
        var noise = GaussianNoise(seed: seed)
        let n = Int(seconds * rate)
        var x = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let t = Double(i) / rate
            let p = (t - phaseSeconds).truncatingRemainder(dividingBy: periodSeconds)
            var amplitude = baselineRMS * baselineScale(t)
            if t >= phaseSeconds, p < burstSeconds, t < seconds - burstSeconds {
                amplitude += burstRMS * Foundation.sin(Double.pi * p / burstSeconds) * 2.squareRoot()
            }
            x[i] = Float(amplitude * noise.next())
        }
        return x
    }
}
