// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
import SystemPackage

/// A recorded session as the detector sees it: its channels, then its samples in recording
/// order. Annotations stay in the file: nothing here hands them to the detector.
///
/// - EDF/EDF+/BDF: record by record; in each record HR, RR, cadence and speed first, merged by
///   time (each sample at its record's onset + index / rate), then every EMG signal as a block.
/// - CSV (a file, or `-` for standard input): row by row; each column's rate comes from its
///   first 2 s of samples (the same for a file and a pipe, so both give the same output); EMG
///   in blocks of 256 samples per column, the other channels as their rows come.
/// - FIT/TCX (`ActivityFile`): the running segments' HR, cadence and speed as they come,
///   session time from the first sample; pauses and gaps are simply absent.
struct ReplaySource {
    private enum Kind {
        case edf(EDFReader, scales: [Float])
        case csv(CSVSessionReader, ReplayCSVState)
        case activity(ActivityFile)
    }

    /// The session's channels, for `CrampDetector(channels:)`.
    let channels: [SessionChannel]
    /// What the user should know (units converted, a duration guessed), for stderr.
    private(set) var notes: [String] = []
    /// The file's name as given (`-` for standard input).
    let name: String
    private let kind: Kind

    /// Opens `path`: `.csv` (or `-`) as CSV, `.fit`/`.tcx` as an activity, anything else as
    /// EDF/BDF.
    ///
    /// - Throws: `EDFError`, `CSVError` or `ActivityError`.
    init(path: String) throws {
        name = path
        let lower = path.lowercased()
        if path == "-" || lower.hasSuffix(".csv") {
            let reader = try CSVSessionReader(path: FilePath(path == "-" ? "/dev/stdin" : path))
            var state = ReplayCSVState(columns: reader.columns.count)
            try state.readPrefix(reader)
            var channels: [SessionChannel] = []
            var notes: [String] = []
            for (i, column) in reader.columns.enumerated() {
                let channel = SessionChannel(label: column.label, sampleRate: state.rates[i].map { Hertz($0) })
                if channel.kind == .emg {
                    if let unit = column.unit {
                        if let s = FeatureSource.microvoltScale(unit) { state.scales[i] = s } else {
                            notes.append("column \"\(column.label)\": unit \"\(unit)\" is not a voltage; read as µV")
                        }
                    }
                    state.emg[i] = true
                    state.pending[i].reserveCapacity(ReplayCSVState.block)
                }
                channels.append(channel)
            }
            self.channels = channels
            self.notes = notes
            kind = .csv(reader, state)
        } else if lower.hasSuffix(".fit") || lower.hasSuffix(".tcx") {
            let file = try ActivityFile(path: FilePath(path))
            channels = [
                SessionChannel(label: "HR", sampleRate: nil), SessionChannel(label: "Cadence", sampleRate: nil),
                SessionChannel(label: "Speed", sampleRate: nil),
            ]
            kind = .activity(file)
        } else {
            let reader = try EDFReader(path: FilePath(path))
            var channels: [SessionChannel] = []
            var scales: [Float] = []
            var notes: [String] = []
            for (i, s) in reader.header.signals.enumerated() {
                var channel = SessionChannel(label: s.label, sampleRate: reader.header.sampleRate(of: i))
                var scale: Float = 1
                if channel.kind == .emg {
                    if let sc = FeatureSource.microvoltScale(s.physicalDimension) { scale = sc } else {
                        notes.append("signal \"\(s.label)\": unit \"\(s.physicalDimension)\" is not a voltage; read as µV")
                    }
                    let a = s.physicalMinimum * Double(scale), b = s.physicalMaximum * Double(scale)
                    channel.physicalRange = min(a, b)...max(a, b)
                }
                channels.append(channel)
                scales.append(scale)
            }
            self.channels = channels
            self.notes = notes
            kind = .edf(reader, scales: scales)
        }
    }

    /// Streams every sample into `detector`.
    ///
    /// - Parameters:
    ///   - pace: Called with the session time about to be fed (before each EDF record, CSV row
    ///     or activity sample), so a caller can hold a replay to real time.
    ///   - emit: The detector's events.
    func stream(
        into detector: inout CrampDetector, pace: (Double) -> Void, emit: (DetectorEvent) -> Void
    ) throws {
        switch kind {
        case let .edf(reader, scales):
            try streamEDF(reader, scales: scales, into: &detector, pace: pace, emit: emit)
        case let .csv(reader, state):
            var state = state
            try state.stream(reader, channels: channels, into: &detector, pace: pace, emit: emit)
        case let .activity(file):
            var events = file.events()
            var first: UTCInstant?
            while let e = try events.next() {
                guard case .sample(let s) = e else { continue }
                let t0 = first ?? s.time
                first = t0
                let t = s.time.seconds(since: t0)
                pace(t)
                if let v = s.heartRateBPM { detector.process(value: v, timeSeconds: t, channel: 0, emit: emit) }
                if let v = s.cadenceStepsPerMinute { detector.process(value: v, timeSeconds: t, channel: 1, emit: emit) }
                if let v = s.speedMetersPerSecond { detector.process(value: v, timeSeconds: t, channel: 2, emit: emit) }
            }
        }
    }

    private func streamEDF(
        _ reader: EDFReader, scales: [Float], into detector: inout CrampDetector, pace: (Double) -> Void,
        emit: (DetectorEvent) -> Void
    ) throws {
        let scalarKinds: Set<ChannelKind> = [.hr, .rr, .cadence, .speed]
        let scalars = channels.indices.filter { channels[$0].kind.map(scalarKinds.contains) ?? false }
        let emg = channels.indices.filter { channels[$0].kind == .emg }
        var merged: [(t: Double, channel: Int, value: Float)] = []
        var scratch: [Float] = []
        var firstOnset: Double?
        while try reader.nextRecord() {
            let onset = reader.recordOnsetSeconds - (firstOnset ?? reader.recordOnsetSeconds)
            if firstOnset == nil { firstOnset = reader.recordOnsetSeconds }
            pace(onset)
            merged.removeAll(keepingCapacity: true)
            for i in scalars {
                let rate = channels[i].sampleRate?.value ?? 1
                reader.withSamples(of: i) { samples in
                    for j in 0..<samples.count { merged.append((onset + Double(j) / rate, i, samples[j])) }
                }
            }
            // By time, then by channel: the same order whatever the signals' order in the file.
            merged.sort { ($0.t, $0.channel) < ($1.t, $1.channel) }
            for m in merged { detector.process(value: m.value, timeSeconds: m.t, channel: m.channel, emit: emit) }
            for i in emg {
                reader.withSamples(of: i) { samples in
                    if scales[i] == 1 {
                        detector.process(samples: samples, channel: i, emit: emit)
                    } else {
                        scratch.removeAll(keepingCapacity: true)
                        for x in samples { scratch.append(x * scales[i]) }
                        scratch.withUnsafeBufferPointer { detector.process(samples: $0, channel: i, emit: emit) }
                    }
                }
            }
        }
        reader.close()
    }
}

/// The CSV side of a replay: rates from the first 2 s of each column, then the stream.
struct ReplayCSVState {
    /// EMG samples per block handed to the detector.
    static let block = 256
    /// Session time each column's rate is measured over.
    static let prefixSeconds = 2.0

    var rates: [Double?]
    var scales: [Float]
    var emg: [Bool]
    var pending: [[Float]]
    private var prefix: [(time: Double, values: [Float?])] = []
    private var exhausted = false

    init(columns: Int) {
        rates = Array(repeating: nil, count: columns)
        scales = Array(repeating: 1, count: columns)
        emg = Array(repeating: false, count: columns)
        pending = Array(repeating: [], count: columns)
    }

    /// Reads rows until 2 s of session time have passed (or the file ends) and measures each
    /// column's rate from them.
    mutating func readPrefix(_ reader: CSVSessionReader) throws {
        var firstTime: Double?
        while true {
            guard try reader.nextRow() else {
                exhausted = true
                break
            }
            prefix.append((reader.timeSeconds, reader.values))
            if firstTime == nil { firstTime = reader.timeSeconds }
            if reader.timeSeconds - firstTime! >= Self.prefixSeconds { break }
        }
        for c in rates.indices {
            var count = 0
            var first: Double?, last = 0.0
            for row in prefix where row.values[c] != nil {
                count += 1
                if first == nil { first = row.time }
                last = row.time
            }
            if count >= 2, let f = first, last > f {
                rates[c] = FeatureSource.niceRate(Double(count - 1) / (last - f))
            }
        }
    }

    /// Feeds the rows read for the rates, then the rest of the file.
    mutating func stream(
        _ reader: CSVSessionReader, channels: [SessionChannel], into detector: inout CrampDetector,
        pace: (Double) -> Void, emit: (DetectorEvent) -> Void
    ) throws {
        defer { reader.close() }
        let held = prefix
        prefix = []
        for row in held { feed(time: row.time, values: row.values, into: &detector, pace: pace, emit: emit) }
        if !exhausted {
            while try reader.nextRow() {
                feed(time: reader.timeSeconds, values: reader.values, into: &detector, pace: pace, emit: emit)
            }
        }
        for i in pending.indices where !pending[i].isEmpty {
            pending[i].withUnsafeBufferPointer { detector.process(samples: $0, channel: i, emit: emit) }
            pending[i].removeAll(keepingCapacity: true)
        }
    }

    private mutating func feed(
        time: Double, values: [Float?], into detector: inout CrampDetector, pace: (Double) -> Void,
        emit: (DetectorEvent) -> Void
    ) {
        pace(time)
        for i in values.indices {
            guard let v = values[i] else { continue }
            if emg[i] {
                pending[i].append(v * scales[i])
                if pending[i].count == Self.block {
                    pending[i].withUnsafeBufferPointer { detector.process(samples: $0, channel: i, emit: emit) }
                    pending[i].removeAll(keepingCapacity: true)
                }
            } else {
                detector.process(value: v, timeSeconds: time, channel: i, emit: emit)
            }
        }
    }
}
