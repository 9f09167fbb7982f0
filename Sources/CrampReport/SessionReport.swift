// SPDX-License-Identifier: MIT
import CrampCore

/// A session reduced for drawing: what the report shows, in O(duration / bin) values, whatever
/// the number of samples. Made by ``SessionReportBuilder`` while the session streams; drawn by
/// ``ReportRenderer``.
public struct SessionReport: Hashable, Sendable {
    /// What the session is (name, format, start, duration, channels).
    public var session: SessionDescription
    /// The width of one bin of the HR, cadence, speed, RMS and MDF series, seconds.
    public var binSeconds: Double
    /// The width of one bin of the stride series (twitch rate, inter-stride baseline), seconds:
    /// at least 10 s, so that each holds about a dozen strides.
    public var strideBinSeconds: Double
    /// Heart rate, cadence and speed (those the session has), bin medians.
    public var context: [ContextSeries]
    /// One per EMG channel, in the session's channel order.
    public var muscles: [MuscleTrend]
    /// The session's annotations (ground truth and notes), in time order.
    public var annotations: [Annotation]
    /// Spans without data (an activity file's pauses and gaps; EDF+D's missing records).
    public var gaps: [TimeSpan]

    public init(session: SessionDescription, binSeconds: Double, strideBinSeconds: Double, context: [ContextSeries],
                muscles: [MuscleTrend], annotations: [Annotation], gaps: [TimeSpan]) {
        self.session = session
        self.binSeconds = binSeconds
        self.strideBinSeconds = strideBinSeconds
        self.context = context
        self.muscles = muscles
        self.annotations = annotations
        self.gaps = gaps
    }
}

/// What a session file is, for the report's header.
public struct SessionDescription: Hashable, Sendable {
    /// The session's name (its file name).
    public var name: String
    /// The file format as a reader names it (`EDF+C`, `BDF+`, `CSV`, `FIT`, `TCX`).
    public var format: String
    /// The start as the file states it (`2026-01-01T00:00:00`, `2015-08-15T14:45:08Z`), if it does.
    public var start: String?
    /// Seconds from the first sample to the end of the last.
    public var durationSeconds: Double
    /// Every signal of the file, in file order.
    public var channels: [ReportChannel]
    /// The scenario family of a simulated session (`calf-cramp`), when the file names it.
    public var family: String?

    public init(name: String, format: String, start: String?, durationSeconds: Double, channels: [ReportChannel],
                family: String? = nil) {
        self.name = name
        self.format = format
        self.start = start
        self.durationSeconds = durationSeconds
        self.channels = channels
        self.family = family
    }
}

/// One signal of the session as the header lists it.
public struct ReportChannel: Hashable, Sendable {
    /// The label as recorded.
    public var label: String
    /// What crampd reads it as (`nil`: not a crampd channel; carried, not analysed).
    public var kind: ChannelKind?
    /// The muscle and side of an EMG channel, when the label names them.
    public var descriptor: ChannelDescriptor?
    /// The nominal rate, Hz (`nil` for irregular signals).
    public var sampleRateHz: Double?
    /// The unit as recorded (`uV`, `bpm`, `spm`).
    public var unit: String

    public init(label: String, kind: ChannelKind?, descriptor: ChannelDescriptor?, sampleRateHz: Double?, unit: String) {
        self.label = label
        self.kind = kind
        self.descriptor = descriptor
        self.sampleRateHz = sampleRateHz
        self.unit = unit
    }
}

/// A span of session time, seconds.
public struct TimeSpan: Hashable, Sendable {
    public var startSeconds: Double
    public var endSeconds: Double

    public init(startSeconds: Double, endSeconds: Double) {
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
    }
}

/// Values on a regular grid of bins: bin `i` covers `[i·binSeconds, (i+1)·binSeconds)` and its
/// value is drawn at the bin's centre. `nil` means no data in that bin (the line breaks).
public struct BinnedSeries: Hashable, Sendable {
    public var binSeconds: Double
    public var values: [Double?]

    public init(binSeconds: Double, values: [Double?]) {
        self.binSeconds = binSeconds
        self.values = values
    }

    /// The bins that hold a value.
    public var count: Int { values.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

    /// The centre of bin `i`, seconds.
    public func centreSeconds(_ i: Int) -> Double { (Double(i) + 0.5) * binSeconds }
}

/// The heart-rate, cadence and speed signals of a session (the fatigue context).
public enum ContextSignal: String, CaseIterable, Hashable, Sendable {
    case heartRate = "hr"
    case cadence
    case speed

    /// The panel title.
    public var title: String {
        switch self {
        case .heartRate: "Heart rate"
        case .cadence: "Cadence"
        case .speed: "Speed"
        }
    }

    /// The unit drawn on the axis.
    public var unit: String {
        switch self {
        case .heartRate: "bpm"
        case .cadence: "steps/min"
        case .speed: "m/s"
        }
    }

    /// The crampd channel kind it comes from.
    public var kind: ChannelKind {
        switch self {
        case .heartRate: .hr
        case .cadence: .cadence
        case .speed: .speed
        }
    }
}

/// One context signal's bin medians.
public struct ContextSeries: Hashable, Sendable {
    public var signal: ContextSignal
    public var series: BinnedSeries

    public init(signal: ContextSignal, series: BinnedSeries) {
        self.signal = signal
        self.series = series
    }
}

/// A signal-quality fault of one EMG channel over a span (bins in which a window was flagged).
public struct FaultSpan: Hashable, Sendable {
    public var fault: SignalFault
    public var span: TimeSpan

    public init(fault: SignalFault, span: TimeSpan) {
        self.fault = fault
        self.span = span
    }
}

/// One EMG channel's trends.
public struct MuscleTrend: Hashable, Sendable {
    /// The channel's label (`EMG gastroc L`).
    public var label: String
    /// Its muscle and side, when the label names them.
    public var descriptor: ChannelDescriptor?
    /// The median window RMS per bin, µV.
    public var rms: BinnedSeries
    /// The median window MDF per bin, Hz (all `nil` when the rate is too low for spectra).
    public var medianFrequency: BinnedSeries
    /// Extra bursts per minute of striding (bursts inside a stride that are not its gait
    /// burst: twitches, pre-activation), per stride bin; `nil` where there are no strides.
    public var twitchRate: BinnedSeries
    /// The median inter-stride baseline RMS ÷ the runner's baseline, per stride bin; `nil`
    /// before the runner's baseline is established and where there are no strides.
    public var baselineRatio: BinnedSeries
    /// Where the pipeline flagged its windows, per fault.
    public var faults: [FaultSpan]
    /// Windows analysed, and how many were flagged (any fault).
    public var windows: Int
    public var flaggedWindows: Int
    /// Strides found.
    public var strides: Int
    /// When the runner's baseline was fixed, session seconds.
    public var baselineEstablishedSeconds: Double?
    /// Whether the channel's rate allows spectral features (MDF).
    public var hasSpectra: Bool

    public init(label: String, descriptor: ChannelDescriptor?, rms: BinnedSeries, medianFrequency: BinnedSeries,
                twitchRate: BinnedSeries, baselineRatio: BinnedSeries, faults: [FaultSpan], windows: Int,
                flaggedWindows: Int, strides: Int, baselineEstablishedSeconds: Double?, hasSpectra: Bool) {
        self.label = label
        self.descriptor = descriptor
        self.rms = rms
        self.medianFrequency = medianFrequency
        self.twitchRate = twitchRate
        self.baselineRatio = baselineRatio
        self.faults = faults
        self.windows = windows
        self.flaggedWindows = flaggedWindows
        self.strides = strides
        self.baselineEstablishedSeconds = baselineEstablishedSeconds
        self.hasSpectra = hasSpectra
    }
}

/// What the detector said about a session, for drawing: alerts and sensor faults, from an
/// event file (`crampd report --alerts`) or, later, from the detector run inline.
public struct ReportEvents: Hashable, Sendable {
    public var alerts: [Alert]
    public var sensorEvents: [SensorEvent]
    /// Where they came from, for the header (`alerts.jsonl`), or `nil` for none.
    public var source: String?

    public init(alerts: [Alert] = [], sensorEvents: [SensorEvent] = [], source: String? = nil) {
        self.alerts = alerts
        self.sensorEvents = sensorEvents
        self.source = source
    }

    /// No detector output.
    public static let none = ReportEvents()
}
