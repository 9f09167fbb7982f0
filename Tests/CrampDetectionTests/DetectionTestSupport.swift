// SPDX-License-Identifier: MIT
import CrampCore
import CrampSimulator
import Foundation
import Testing

/// Where the test data lives: the bundled recordings and their golden streams, and the
/// third-party data next to the repository (`<repo>/../shared/data`, present on development
/// machines; tests that need it are skipped with a message saying so).
enum DetectionData {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let recordings = repository.appendingPathComponent("Recordings")
    static let golden = repository.appendingPathComponent("Tests/Golden")
    static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared/data")

    static func recording(_ name: String) -> String { recordings.appendingPathComponent(name).path }
    static func sharedFile(_ relative: String) -> String { shared.appendingPathComponent(relative).path }
    static func hasShared(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: sharedFile(relative)) }
    static func missing(_ relative: String) -> Comment {
        "skipped: \(sharedFile(relative)) is absent (third-party data lives in <repo>/../shared/data on development machines)"
    }

    /// The recordings replayed by the golden tests: every `.edf` and `.csv` under Recordings/.
    static func goldenRecordings() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: recordings.path)) ?? []
        return names.filter { $0.hasSuffix(".edf") || $0.hasSuffix(".csv") }.sorted()
    }
}

/// A simulated session held in memory, to be altered (twitches, spikes, clipping) before the
/// detector sees it.
struct MemorySession {
    var signals: [SimulatedSignal]
    var samples: [[Float]]
    var annotations: [Annotation]
    var durationSeconds: Int

    init(_ scenario: String, seed: UInt64, duration: Int? = nil, rate: Double = 1000, sites: [MuscleSite]? = nil) throws {
        var sim = try SessionSimulator(
            scenario: Scenario.named(scenario), seed: seed, durationSeconds: duration, emgRate: Hertz(rate), sites: sites)
        var all: [[Float]] = sim.signals.map { s in
            var a: [Float] = []
            a.reserveCapacity(s.samplesPerRecord * sim.durationSeconds)
            return a
        }
        var buffers: [[Float]] = []
        var notes: [Annotation] = []
        while let a = sim.nextRecord(into: &buffers) {
            for i in buffers.indices { all[i].append(contentsOf: buffers[i]) }
            notes += a
        }
        signals = sim.signals
        samples = all
        annotations = notes
        durationSeconds = sim.durationSeconds
    }

    func index(_ d: ChannelDescriptor) -> Int { signals.firstIndex { $0.descriptor == d }! }
    func rate(_ i: Int) -> Double { signals[i].sampleRate.value }

    var channels: [SessionChannel] {
        signals.map { s in
            var c = SessionChannel(label: s.label, sampleRate: s.sampleRate)
            if c.kind == .emg { c.physicalRange = s.physicalMinimum...s.physicalMaximum }
            return c
        }
    }

    /// The annotation onsets whose text is `text`.
    func onsets(_ text: String) -> [Double] { annotations.filter { $0.text == text }.map(\.onsetSeconds) }

    /// Feeds the session to a new detector one second (one EDF record) at a time, every
    /// signal in order, and returns its events.
    func detect(
        configuration: CrampDetectorConfiguration = .init(), playbook: AdvicePlaybook = .standard
    ) throws -> [DetectorEvent] {
        var detector = try CrampDetector(channels: channels, configuration: configuration, playbook: playbook)
        var events: [DetectorEvent] = []
        for second in 0..<durationSeconds {
            for i in signals.indices {
                let n = signals[i].samplesPerRecord
                samples[i].withUnsafeBufferPointer { all in
                    detector.process(samples: UnsafeBufferPointer(rebasing: all[(second * n)..<((second + 1) * n)]),
                                     channel: i) { events.append($0) }
                }
            }
        }
        detector.finish { events.append($0) }
        return events
    }
}

extension Array where Element == DetectorEvent {
    var alerts: [Alert] { compactMap { if case .alert(let a) = $0 { a } else { nil } } }
    var sensors: [SensorEvent] { compactMap { if case .sensor(let s) = $0 { s } else { nil } } }
    var summary: SessionSummary? { compactMap { if case .summary(let s) = $0 { s } else { nil } }.first }

    /// The `warning` and `cramp` alerts (what the scoring counts).
    var warningsAndCramps: [Alert] { alerts.filter { $0.level == .warning || $0.level == .cramp } }
}

/// Deterministic Gaussian noise (SplitMix64 + Box–Muller), for injected confounders.
struct InjectedNoise {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return (Double(z >> 11) + 0.5) / Double(1 << 53)
    }

    mutating func gaussian() -> Double {
        let u = uniform(), v = uniform()
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }
}
