// SPDX-License-Identifier: MIT
// Throughput of the per-window EMG feature stage (conditioning + sliding features) on
// deterministic synthetic data: 8 channels at 2 kHz, window 500 / hop 125, 50 Hz notches.
// With --pipeline: the whole SessionFeaturePipeline (window stage + signal quality + bursts +
// strides + the runner's baseline) on gait-like bursts, fed per channel in blocks as an EDF
// reader would. Prints; asserts nothing. Build and run in release:
//
//     swift build -c release --product crampd-dsp-throughput
//     .build/release/crampd-dsp-throughput [seconds-of-signal] [--notch|--no-notch] [--pipeline]
//
// Not the project benchmark (`make bench`), which compares with the Python peers.
import CrampCore

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments.dropFirst()
let seconds = arguments.first.flatMap(Int.init) ?? 600
let notch = !arguments.contains("--no-notch")
let wholePipeline = arguments.contains("--pipeline")
let channels = 8
let rate = Hertz(2000)
let block = 256  // frames per call, as a BLE/EDF adapter might deliver

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

// Deterministic input: one minute of xorshift noise with a 50 Hz line and a slow amplitude
// modulation, reused for the whole run so that generation is not timed.
var state: UInt64 = 0x9E37_79B9_7F4A_7C15
var minute = [Float](repeating: 0, count: 60 * 2000 * channels)
for i in minute.indices {
    state ^= state << 13
    state ^= state >> 7
    state ^= state << 17
    let frame = i / channels
    let noise = Float(Double(state >> 11) / Double(1 << 52) - 1)
    let envelope: Float = 50 + 40 * Float(frame % 4000) / 4000
    minute[i] = envelope * noise + 20 * sinf(2 * .pi * 50 * Float(frame) / 2000)
}

/// The timed loop, in a function so that its state is local (no global-variable access checks).
func run(seconds: Int, notch: Bool, minute: [Float]) throws
    -> (elapsed: Double, windows: Int, checksum: Double, design: EMGConditioningDesign, window: WindowConfiguration)
{
    let design = try EMGConditioningDesign(sampleRate: rate, configuration: .init(mains: notch ? .hz50 : nil))
    var extractor = try MultiChannelEMGFeatureExtractor(design: design, channelCount: channels)
    var work = [Float](repeating: 0, count: block * channels)
    var windows = 0
    var checksum: Double = 0
    let totalFrames = seconds * 2000
    let minuteFrames = minute.count / channels

    let start = now()
    var frame = 0
    minute.withUnsafeBufferPointer { minute in
        work.withUnsafeMutableBufferPointer { work in
            while frame < totalFrames {
                let offset = frame % minuteFrames
                let n = min(block, totalFrames - frame, minuteFrames - offset)
                let chunk = UnsafeMutableBufferPointer(rebasing: work[0..<(n * channels)])
                _ = chunk.update(fromContentsOf: minute[(offset * channels)..<((offset + n) * channels)])
                extractor.process(interleaved: chunk) { _, f in
                    windows += 1
                    checksum += Double(f.rms) + (f.spectral?.medianFrequency.value ?? 0)
                }
                frame += n
            }
        }
    }
    return (now() - start, windows, checksum, design, extractor.window)
}

/// `x` with `digits` decimals (no Foundation here).
func fixed(_ x: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let v = (x * scale).rounded() / scale
    let whole = Int(v)
    var frac = String(Int(((v - Double(whole)) * scale).rounded()))
    while frac.count < digits { frac = "0" + frac }
    return digits == 0 ? "\(whole)" : "\(whole).\(frac)"
}

/// The whole session pipeline on gait-like input: per channel, noise shaped by a stride
/// envelope (a 0.3 s burst of about 300 µV RMS every 0.7 s, left and right half a stride apart,
/// 3 µV between bursts) plus 20 µV of 50 Hz; fed per channel in blocks of `block` samples.
func runPipeline(seconds: Int, notch: Bool) throws -> (elapsed: Double, counts: [Int], checksum: Double) {
    let rate = 2000
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    var minute = [[Float]](repeating: [], count: channels)
    for c in 0..<channels {
        var x = [Float](repeating: 0, count: 60 * rate)
        for i in x.indices {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            let noise = Float(Double(state >> 11) / Double(1 << 52) - 1) * 1.7
            let t = Double(i) / Double(rate) + (c % 2 == 0 ? 0 : 0.35)
            let phase = t.truncatingRemainder(dividingBy: 0.7) / 0.3
            let envelope: Float = phase < 1 ? 300 * Float(sin(Double.pi * phase)) + 3 : 3
            x[i] = envelope * noise + 20 * sinf(2 * .pi * 50 * Float(i) / Float(rate))
        }
        minute[c] = x
    }
    let sessionChannels = (0..<channels).map {
        SessionChannel(label: "EMG gastroc \($0 % 2 == 0 ? "L" : "R")", kind: .emg, sampleRate: Hertz(Double(rate)),
                       physicalRange: -5000...5000)
    }
    var configuration = SessionFeatureConfiguration()
    configuration.mains = notch ? .fixed(.hz50) : .off
    configuration.strides.baseline = .sessionTime(from: .seconds(10), to: .seconds(60))
    var pipeline = try SessionFeaturePipeline(channels: sessionChannels, configuration: configuration)
    var counts = [0, 0, 0]  // windows, bursts, strides
    var checksum = 0.0
    let total = seconds * rate
    let start = now()
    var frame = 0
    while frame < total {
        let offset = frame % (60 * rate)
        let n = min(block, total - frame, 60 * rate - offset)
        for c in 0..<channels {
            minute[c].withUnsafeBufferPointer { x in
                pipeline.process(samples: UnsafeBufferPointer(rebasing: x[offset..<(offset + n)]), channel: c) { event in
                    switch event {
                    case .window(let w):
                        counts[0] += 1
                        checksum += Double(w.features.rms)
                    case .burst(let b):
                        counts[1] += 1
                        checksum += Double(b.burst.rms)
                    case .stride(let s):
                        counts[2] += 1
                        checksum += Double(s.stride.baselineRMS ?? 0)
                    default: break
                    }
                }
            }
        }
        frame += n
    }
    pipeline.finish { _ in }
    return (now() - start, counts, checksum)
}

if wholePipeline {
    let (elapsed, counts, checksum) = try runPipeline(seconds: seconds, notch: notch)
    let samples = Double(seconds * 2000 * channels)
    print("crampd session feature pipeline: \(channels) ch × 2000 Hz, window 500 / hop 125, \(notch ? "50 Hz notches" : "no notch")")
    print("  stages: conditioning, window features, signal quality, bursts (with spectra), strides, runner's baseline")
    print("  signal: \(seconds) s, \(Int(samples)) samples: \(counts[0]) windows, \(counts[1]) bursts, \(counts[2]) strides (checksum \(Int(checksum)))")
    print("  wall time: \(fixed(elapsed, 3)) s")
    print("  real-time factor: \(Int(Double(seconds) / elapsed))×")
    print("  throughput: \(fixed(samples / elapsed / 1e6, 1)) M samples/s, \(fixed(elapsed / samples * 1e9, 1)) ns/sample")
} else {
    let (elapsed, windows, checksum, design, window) = try run(seconds: seconds, notch: notch, minute: minute)
    let samples = Double(seconds * 2000 * channels)
    print("crampd per-window EMG features: \(channels) ch × \(Int(rate.value)) Hz, window \(window.length) / hop \(window.hop)")
    print("  sections per channel: \(design.sections.count) (\(design.bandSections.count) band-pass + \(design.notchSections.count) notch)")
    print("  signal: \(seconds) s, \(Int(samples)) samples, \(windows) channel-windows (checksum \(Int(checksum)))")
    print("  wall time: \(fixed(elapsed, 3)) s")
    print("  real-time factor: \(Int(Double(seconds) / elapsed))×")
    print("  throughput: \(fixed(samples / elapsed / 1e6, 1)) M samples/s, \(fixed(elapsed / samples * 1e9, 1)) ns/sample")
}
