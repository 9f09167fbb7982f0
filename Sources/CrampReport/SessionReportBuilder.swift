// SPDX-License-Identifier: MIT
import CrampCore

/// Reduces a session to a ``SessionReport`` while it streams: bin medians of the context
/// signals and of every EMG channel's window features, stride sums per stride bin, fault bins.
///
/// Memory is O(duration / bin) plus one bin's values per series, whatever the sample count:
/// feed it every `SessionFeatureEvent` of a `SessionFeaturePipeline` (``add(_:)``), the heart
/// rate, cadence and speed samples (``add(_:timeSeconds:value:)``), the annotations and the
/// gaps, then call ``finish()``.
///
/// ```swift
/// var builder = SessionReportBuilder(session: description)
/// pipeline.process(samples: emg, channel: 0) { builder.add($0) }
/// builder.add(.heartRate, timeSeconds: 12.25, value: 141)
/// let report = builder.finish()
/// ```
///
/// - Important: Channel numbers in the pipeline's events are indices into
///   `session.channels`: build the pipeline's channel list from the same signals in the same
///   order. Each series must be fed in time order; a value older than its series' current bin
///   is counted in the current bin.
public struct SessionReportBuilder: Sendable {
    /// The session being reduced.
    public let session: SessionDescription
    /// The bin of the context, RMS and MDF series, seconds.
    public let binSeconds: Double
    /// The bin of the stride series, seconds.
    public let strideBinSeconds: Double

    private let binCount: Int
    private let strideBinCount: Int
    private var context: [ContextSignal: BinnedMedian] = [:]
    private var muscles: [Int: MuscleAccumulator] = [:]
    private let muscleOrder: [Int]
    private var annotations: [Annotation] = []
    private var gaps: [TimeSpan] = []

    /// Starts a report of `session`.
    ///
    /// - Parameters:
    ///   - session: the session; its duration sets the bins unless `binSeconds` is given.
    ///   - binSeconds: the bin of the context, RMS and MDF series (default
    ///     ``binSeconds(forDurationSeconds:)``).
    public init(session: SessionDescription, binSeconds: Double? = nil) {
        self.session = session
        let duration = max(session.durationSeconds, 0)
        let bin = binSeconds.flatMap { $0 > 0 && $0.isFinite ? $0 : nil } ?? Self.binSeconds(forDurationSeconds: duration)
        self.binSeconds = bin
        strideBinSeconds = Self.strideBinSeconds(forDurationSeconds: duration, binSeconds: bin)
        binCount = max(1, Int((duration / bin).rounded(.up)))
        strideBinCount = max(1, Int((duration / strideBinSeconds).rounded(.up)))
        var order: [Int] = []
        for (i, c) in session.channels.enumerated() where c.kind == .emg {
            order.append(i)
            muscles[i] = MuscleAccumulator(binSeconds: bin, binCount: binCount, strideBinSeconds: strideBinSeconds,
                                           strideBinCount: strideBinCount)
        }
        muscleOrder = order
    }

    // MARK: - Bins

    /// The widths a bin may have, seconds: round numbers on a time axis.
    static let binSteps: [Double] = [0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600]

    /// The narrowest round bin that keeps a session of `durationSeconds` within 400 bins, and
    /// at least 2 s from 2 minutes on: 2 s for 8 minutes, 10 s for an hour, 120 s for 7 hours
    /// — a few pixels per bin on a report about 1000 pixels wide, and medians over tens of
    /// feature windows. Under 2 s a bin holds one or two strides, and the medians of the
    /// window features swing with the gait cycle (a 1 s bin aliases a 0.7 s stride).
    public static func binSeconds(forDurationSeconds d: Double) -> Double {
        let fitting = binSteps.first(where: { d / $0 <= 400 }) ?? binSteps.last!
        return d >= 120 ? max(fitting, 2) : fitting
    }

    /// The stride series' bin: at least 10 s (about a dozen strides at running cadence, so a
    /// rate per minute is not one stride's 0 or 60) and never narrower than the main bin;
    /// for sessions under 2 minutes, a twelfth of the session.
    public static func strideBinSeconds(forDurationSeconds d: Double, binSeconds: Double) -> Double {
        let wanted = d >= 120 ? 10 : d / 12
        let step = binSteps.first(where: { $0 >= wanted }) ?? binSteps.last!
        return max(step, binSeconds)
    }

    // MARK: - Feeding

    /// One event of the feature pipeline.
    public mutating func add(_ event: SessionFeatureEvent) {
        switch event {
        case let .channel(status):
            muscles[status.channel]?.hasSpectra = status.design.status.spectralBand != nil
        case let .window(record):
            muscles[record.channel]?.add(record)
        case let .stride(record):
            muscles[record.channel]?.add(record)
        case .mains, .burst:
            break
        }
    }

    /// One sample of heart rate (bpm), cadence (steps/min) or speed (m/s) at `timeSeconds`.
    /// Non-finite values are ignored.
    public mutating func add(_ signal: ContextSignal, timeSeconds: Double, value: Double) {
        guard value.isFinite, timeSeconds.isFinite else { return }
        context[signal, default: BinnedMedian(binSeconds: binSeconds, binCount: binCount)].add(timeSeconds, value)
    }

    /// An annotation of the session (ground truth, notes).
    public mutating func add(_ annotation: Annotation) {
        annotations.append(annotation)
    }

    /// A span without data.
    public mutating func addGap(_ span: TimeSpan) {
        guard span.endSeconds > span.startSeconds else { return }
        gaps.append(span)
    }

    /// The report.
    public func finish() -> SessionReport {
        var contextSeries: [ContextSeries] = []
        for signal in ContextSignal.allCases {
            guard let c = context[signal] else { continue }
            contextSeries.append(ContextSeries(signal: signal, series: c.finished()))
        }
        var trends: [MuscleTrend] = []
        for i in muscleOrder {
            let c = session.channels[i]
            trends.append(muscles[i]!.finished(label: c.label, descriptor: c.descriptor))
        }
        let sorted = annotations.enumerated().sorted {
            ($0.element.onsetSeconds, $0.offset) < ($1.element.onsetSeconds, $1.offset)
        }.map(\.element)
        return SessionReport(session: session, binSeconds: binSeconds, strideBinSeconds: strideBinSeconds,
                             context: contextSeries, muscles: trends, annotations: sorted, gaps: gaps)
    }
}

// MARK: - Accumulators

/// The median of each bin of one series, computed when the series moves past the bin.
struct BinnedMedian: Sendable {
    let binSeconds: Double
    let binCount: Int
    private var current = -1
    private var pending: [Double] = []
    private var values: [Double?] = []

    init(binSeconds: Double, binCount: Int) {
        self.binSeconds = binSeconds
        self.binCount = binCount
    }

    func bin(_ t: Double) -> Int { min(max(Int((t / binSeconds).rounded(.down)), 0), binCount - 1) }

    mutating func add(_ t: Double, _ value: Double) {
        let b = bin(t)
        if b > current {
            flush()
            current = b
        }
        pending.append(value)
    }

    private mutating func flush() {
        guard current >= 0, !pending.isEmpty else { return }
        while values.count < current { values.append(nil) }
        values.append(Self.median(&pending))
        pending.removeAll(keepingCapacity: true)
    }

    func finished() -> BinnedSeries {
        var copy = self
        copy.flush()
        while copy.values.count < binCount { copy.values.append(nil) }
        return BinnedSeries(binSeconds: binSeconds, values: copy.values)
    }

    /// The median (mean of the two middle values for an even count); sorts `values`.
    static func median(_ values: inout [Double]) -> Double {
        values.sort()
        let n = values.count
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2
    }
}

/// One EMG channel's sums and medians.
struct MuscleAccumulator: Sendable {
    var rms: BinnedMedian
    var mdf: BinnedMedian
    var ratio: BinnedMedian
    let strideBinSeconds: Double
    var extraBursts: [Int]
    var strideSeconds: [Double]
    /// One bit per fault per bin (bit order of `SignalQualityFlags`).
    var faultBits: [UInt8]
    let binSeconds: Double
    var windows = 0
    var flaggedWindows = 0
    var strides = 0
    var baselineEstablished: Double?
    var hasSpectra = true

    init(binSeconds: Double, binCount: Int, strideBinSeconds: Double, strideBinCount: Int) {
        rms = BinnedMedian(binSeconds: binSeconds, binCount: binCount)
        mdf = BinnedMedian(binSeconds: binSeconds, binCount: binCount)
        ratio = BinnedMedian(binSeconds: strideBinSeconds, binCount: strideBinCount)
        self.strideBinSeconds = strideBinSeconds
        extraBursts = [Int](repeating: 0, count: strideBinCount)
        strideSeconds = [Double](repeating: 0, count: strideBinCount)
        faultBits = [UInt8](repeating: 0, count: binCount)
        self.binSeconds = binSeconds
    }

    mutating func add(_ record: EMGWindowRecord) {
        let t = seconds(record.features.endTime)
        windows += 1
        rms.add(t, Double(record.features.rms))
        if let s = record.features.spectral { mdf.add(t, s.medianFrequency.value) }
        let flags = record.quality.flags
        if !flags.isEmpty {
            flaggedWindows += 1
            faultBits[rms.bin(t)] |= flags.rawValue
        }
    }

    mutating func add(_ record: EMGStrideRecord) {
        let stride = record.stride
        let t = seconds(stride.startTime)
        let b = ratio.bin(t)
        strides += 1
        extraBursts[b] += stride.extraBursts
        strideSeconds[b] += seconds(stride.duration)
        if let r = stride.relative?.baselineRMS, r.isFinite { ratio.add(t, r) }
        if baselineEstablished == nil, let base = record.baseline { baselineEstablished = seconds(base.establishedAt) }
    }

    func finished(label: String, descriptor: ChannelDescriptor?) -> MuscleTrend {
        // A rate needs a few strides behind it: at least 3 s of striding in the bin (half the
        // bin in the short bins of a session under a minute).
        let minimum = min(3, strideBinSeconds / 2)
        let twitch = zip(extraBursts, strideSeconds).map { extra, s -> Double? in
            s >= minimum ? Double(extra) / s * 60 : nil
        }
        return MuscleTrend(
            label: label, descriptor: descriptor, rms: rms.finished(), medianFrequency: mdf.finished(),
            twitchRate: BinnedSeries(binSeconds: strideBinSeconds, values: twitch), baselineRatio: ratio.finished(),
            faults: faultSpans(), windows: windows, flaggedWindows: flaggedWindows, strides: strides,
            baselineEstablishedSeconds: baselineEstablished, hasSpectra: hasSpectra)
    }

    /// Runs of flagged bins, per fault, faults in the order of `SignalQualityFlags.named`.
    func faultSpans() -> [FaultSpan] {
        var out: [FaultSpan] = []
        for (flag, fault) in SignalFault.fromFlags {
            var start: Int?
            for i in 0...faultBits.count {
                let on = i < faultBits.count && faultBits[i] & flag.rawValue != 0
                if on, start == nil { start = i }
                if !on, let s = start {
                    out.append(FaultSpan(fault: fault, span: TimeSpan(startSeconds: Double(s) * binSeconds,
                                                                      endSeconds: Double(i) * binSeconds)))
                    start = nil
                }
            }
        }
        return out
    }
}

extension SignalFault {
    /// The pipeline's quality flags and the faults they report.
    static let fromFlags: [(SignalQualityFlags, SignalFault)] = [
        (.deadElectrode, .dead), (.saturation, .saturation), (.mainsDominance, .mains),
        (.motionArtifact, .motion), (.dropout, .dropout),
    ]
}

/// Seconds of a `Duration`, as a `Double`.
func seconds(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) + Double(c.attoseconds) * 1e-18
}
