// SPDX-License-Identifier: MIT
import CrampCore
import CrampFiles
import CrampReport
import SystemPackage

/// A session file read for a report: EDF/EDF+/BDF and CSV through the feature pipeline (EMG
/// and cadence) with HR, cadence and speed binned alongside, FIT and TCX for HR, cadence and
/// speed only. One streaming pass over the samples (plus a cheap first pass where the duration
/// is not in the header), reduced by `SessionReportBuilder` as it goes.
///
/// EMG and cadence are fed to the pipeline exactly as `crampd features` feeds them
/// (`FeatureSource`): EDF records cadence first, then EMG; CSV in blocks of 256 samples.
struct ReportSession {
    enum Source {
        case edf(path: FilePath, scales: [Float], discontinuous: Bool)
        case csv(path: FilePath, scales: [Float])
        case activity(ActivityFile, originSeconds: Double)
    }

    let description: SessionDescription
    /// The pipeline's channels (EDF/CSV: one per signal, in file order; activity files: none).
    let channels: [SessionChannel]
    let source: Source
    /// What the user should know (units converted, first CSV sample not at 0).
    private(set) var notes: [String] = []

    /// Opens `path`: `.csv` as CSV, `.fit`/`.tcx` as an activity, anything else as EDF/BDF.
    static func open(_ path: String) throws(ReportSessionError) -> ReportSession {
        let lower = path.lowercased()
        do {
            if lower.hasSuffix(".csv") { return try csv(FilePath(path)) }
            if lower.hasSuffix(".fit") || lower.hasSuffix(".tcx") { return try activity(FilePath(path)) }
            return try edf(FilePath(path))
        } catch let e as EDFError {
            throw ReportSessionError(message: e.description)
        } catch let e as CSVError {
            throw ReportSessionError(message: e.description)
        } catch let e as ActivityError {
            throw ReportSessionError(message: e.description)
        } catch {
            throw ReportSessionError(message: "crampd: \(path): \(error)")
        }
    }

    private init(description: SessionDescription, channels: [SessionChannel], source: Source, notes: [String]) {
        self.description = description
        self.channels = channels
        self.source = source
        self.notes = notes
    }

    static func fileName(_ path: FilePath) -> String { path.lastComponent?.string ?? path.string }

    // MARK: - EDF

    private static func edf(_ path: FilePath) throws(EDFError) -> ReportSession {
        let reader = try EDFReader(path: path)
        defer { reader.close() }
        let header = reader.header
        var channels: [SessionChannel] = [], scales: [Float] = [], listed: [ReportChannel] = [], notes: [String] = []
        for (i, s) in header.signals.enumerated() {
            let rate = header.sampleRate(of: i)
            var channel = SessionChannel(label: s.label, sampleRate: rate)
            var scale: Float = 1
            if channel.kind == .emg {
                if let known = FeatureSource.microvoltScale(s.physicalDimension) { scale = known } else {
                    notes.append("signal \"\(s.label)\": unit \"\(s.physicalDimension)\" is not a voltage; read as µV")
                }
                let a = s.physicalMinimum * Double(scale), b = s.physicalMaximum * Double(scale)
                channel.physicalRange = min(a, b)...max(a, b)
            }
            channels.append(channel)
            scales.append(scale)
            listed.append(ReportChannel(label: s.label, kind: channel.kind, descriptor: channel.descriptor,
                                        sampleRateHz: rate.value, unit: s.physicalDimension))
        }
        // EDF+D: the span is the last record's end, not the record count × duration.
        var duration = header.durationSeconds
        if header.format.isDiscontinuous {
            var end = 0.0
            while try reader.nextRecord(decodingSamples: false) {
                end = reader.recordOnsetSeconds + header.recordDurationSeconds
            }
            duration = end
        }
        let description = SessionDescription(
            name: fileName(path), format: header.format.description, start: header.start.description,
            durationSeconds: duration, channels: listed, family: family(header.recordingIdentification))
        return ReportSession(description: description, channels: channels,
                             source: .edf(path: path, scales: scales, discontinuous: header.format.isDiscontinuous), notes: notes)
    }

    /// The scenario of a simulated session: its recording field ends with
    /// `crampd-simulate_<scenario>_seed<N>` (`crampd simulate`).
    static func family(_ recording: String) -> String? {
        guard let tag = recording.split(separator: " ").last else { return nil }
        let parts = tag.split(separator: "_")
        guard parts.count >= 3, parts[0] == "crampd-simulate", parts.last!.hasPrefix("seed") else { return nil }
        return parts[1..<(parts.count - 1)].joined(separator: "_")
    }

    // MARK: - CSV

    private static func csv(_ path: FilePath) throws(CSVError) -> ReportSession {
        // First pass: each column's rate from its sample count and span, and the duration.
        let first = try CSVSessionReader(path: path)
        var counts = [Int](repeating: 0, count: first.columns.count)
        var firstTime = [Double?](repeating: nil, count: first.columns.count)
        var lastTime = [Double](repeating: 0, count: first.columns.count)
        var end = 0.0
        while try first.nextRow() {
            end = first.timeSeconds
            for (i, v) in first.values.enumerated() where v != nil {
                counts[i] += 1
                if firstTime[i] == nil { firstTime[i] = first.timeSeconds }
                lastTime[i] = first.timeSeconds
            }
        }
        first.close()
        var channels: [SessionChannel] = [], scales: [Float] = [], listed: [ReportChannel] = [], notes: [String] = []
        for (i, column) in first.columns.enumerated() {
            var rate: Hertz?
            if counts[i] >= 2, let f = firstTime[i], lastTime[i] > f {
                rate = Hertz(FeatureSource.niceRate(Double(counts[i] - 1) / (lastTime[i] - f)))
            }
            let channel = SessionChannel(label: column.label, sampleRate: rate)
            var scale: Float = 1
            if channel.kind == .emg, let unit = column.unit {
                if let s = FeatureSource.microvoltScale(unit) { scale = s } else {
                    notes.append("column \"\(column.label)\": unit \"\(unit)\" is not a voltage; read as µV")
                }
            }
            channels.append(channel)
            scales.append(scale)
            listed.append(ReportChannel(label: column.label, kind: channel.kind, descriptor: channel.descriptor,
                                        sampleRateHz: rate?.value, unit: column.unit ?? ""))
        }
        // A sample at time t is drawn at t; a 1 kHz column's last sample ends one period later.
        let period = channels.compactMap { $0.sampleRate?.value }.max().map { 1 / $0 } ?? 0
        let description = SessionDescription(name: fileName(path), format: "CSV", start: nil,
                                             durationSeconds: end + period, channels: listed)
        return ReportSession(description: description, channels: channels, source: .csv(path: path, scales: scales), notes: notes)
    }

    // MARK: - FIT and TCX

    private static func activity(_ path: FilePath) throws(ActivityError) -> ReportSession {
        let file = try ActivityFile(path: path)
        // First pass: the first and last sample and the signals present.
        var events = file.events()
        var firstTime: UTCInstant?, lastTime: UTCInstant?
        var hr = false, cadence = false, speed = false, distance = false
        while let e = try events.next() {
            guard case let .sample(s) = e else { continue }
            if firstTime == nil { firstTime = s.time }
            lastTime = s.time
            hr = hr || s.heartRateBPM != nil
            cadence = cadence || s.cadenceStepsPerMinute != nil
            speed = speed || s.speedMetersPerSecond != nil
            distance = distance || s.distanceMeters != nil
        }
        var listed: [ReportChannel] = []
        if hr { listed.append(ReportChannel(label: "HR", kind: .hr, descriptor: .heartRate, sampleRateHz: nil, unit: "bpm")) }
        if cadence {
            listed.append(ReportChannel(label: "Cadence", kind: .cadence, descriptor: .cadence, sampleRateHz: nil, unit: "steps/min"))
        }
        if speed { listed.append(ReportChannel(label: "Speed", kind: .speed, descriptor: .speed, sampleRateHz: nil, unit: "m/s")) }
        if distance { listed.append(ReportChannel(label: "Distance", kind: nil, descriptor: nil, sampleRateHz: nil, unit: "m")) }
        // Session time counts from the first whole second with data, as `crampd import` starts
        // its EDF+ file there.
        let origin = firstTime.map { Double($0.wholeSecond) } ?? 0
        let duration = lastTime.map { $0.secondsSince1970 - origin + 1 } ?? 0
        let start = firstTime.map { _ in UTCInstant(secondsSince1970: origin).description }
        var notes: [String] = []
        if firstTime == nil { notes.append("no running samples (sports: \(file.sports.joined(separator: ", ")))") }
        let description = SessionDescription(name: fileName(path), format: file.format.rawValue, start: start,
                                             durationSeconds: duration, channels: listed)
        return ReportSession(description: description, channels: [], source: .activity(file, originSeconds: origin), notes: notes)
    }

    // MARK: - Streaming

    /// Streams the samples through `pipeline` and `builder`.
    ///
    /// - Throws: ``ReportSessionError`` for a file that turns out malformed while streaming.
    func stream(into pipeline: inout SessionFeaturePipeline, builder: inout SessionReportBuilder) throws(ReportSessionError) {
        do {
            switch source {
            case let .edf(path, scales, discontinuous):
                try streamEDF(path, scales: scales, discontinuous: discontinuous, pipeline: &pipeline, builder: &builder)
            case let .csv(path, scales):
                try streamCSV(path, scales: scales, pipeline: &pipeline, builder: &builder)
            case let .activity(file, origin):
                try streamActivity(file, origin: origin, builder: &builder)
            }
        } catch let e as EDFError {
            throw ReportSessionError(message: e.description)
        } catch let e as CSVError {
            throw ReportSessionError(message: e.description)
        } catch let e as ActivityError {
            throw ReportSessionError(message: e.description)
        } catch {
            throw ReportSessionError(message: "crampd: \(description.name): \(error)")
        }
        var b = builder
        pipeline.finish { b.add($0) }
        builder = b
    }

    private static func context(_ kind: ChannelKind?) -> ContextSignal? {
        switch kind {
        case .hr: .heartRate
        case .cadence: .cadence
        case .speed: .speed
        default: nil
        }
    }

    private func streamEDF(_ path: FilePath, scales: [Float], discontinuous: Bool, pipeline: inout SessionFeaturePipeline,
                           builder: inout SessionReportBuilder) throws {
        let reader = try EDFReader(path: path)
        defer { reader.close() }
        let recordSeconds = reader.header.recordDurationSeconds
        // Cadence before EMG within a record, as `crampd features` feeds them.
        let order = channels.indices.filter { channels[$0].kind == .cadence } + channels.indices.filter { channels[$0].kind == .emg }
        var scratch: [Float] = []
        var expectedOnset = 0.0
        var b = builder
        let emit: (SessionFeatureEvent) -> Void = { b.add($0) }
        while try reader.nextRecord() {
            let onset = reader.recordOnsetSeconds
            if discontinuous, onset > expectedOnset + 1e-6 {
                b.addGap(TimeSpan(startSeconds: expectedOnset, endSeconds: onset))
            }
            expectedOnset = onset + recordSeconds
            for a in reader.recordAnnotations { b.add(a) }
            for i in channels.indices {
                guard let signal = Self.context(channels[i].kind) else { continue }
                reader.withSamples(of: i) { samples in
                    let n = Double(samples.count)
                    for (j, v) in samples.enumerated() {
                        b.add(signal, timeSeconds: onset + Double(j) / n * recordSeconds, value: Double(v))
                    }
                }
            }
            for i in order {
                reader.withSamples(of: i) { samples in
                    if scales[i] == 1 {
                        pipeline.process(samples: samples, channel: i, emit: emit)
                    } else {
                        scratch.removeAll(keepingCapacity: true)
                        for x in samples { scratch.append(x * scales[i]) }
                        scratch.withUnsafeBufferPointer { pipeline.process(samples: $0, channel: i, emit: emit) }
                    }
                }
            }
        }
        builder = b
    }

    private func streamCSV(_ path: FilePath, scales: [Float], pipeline: inout SessionFeaturePipeline,
                           builder: inout SessionReportBuilder) throws {
        let reader = try CSVSessionReader(path: path)
        defer { reader.close() }
        let block = 256
        let emg = channels.map { $0.kind == .emg }
        let signals = channels.map { Self.context($0.kind) }
        var pending = emg.map { $0 ? [Float]() : [] }
        for i in pending.indices where emg[i] { pending[i].reserveCapacity(block) }
        var b = builder
        let emit: (SessionFeatureEvent) -> Void = { b.add($0) }
        while try reader.nextRow() {
            if let a = reader.rowAnnotation { b.add(a) }
            for (i, v) in reader.values.enumerated() {
                guard let v else { continue }
                if emg[i] {
                    pending[i].append(v * scales[i])
                    if pending[i].count == block {
                        pending[i].withUnsafeBufferPointer { pipeline.process(samples: $0, channel: i, emit: emit) }
                        pending[i].removeAll(keepingCapacity: true)
                    }
                    continue
                }
                if channels[i].kind == .cadence {
                    pipeline.process(value: v, timeSeconds: reader.timeSeconds, channel: i, emit: emit)
                }
                if let signal = signals[i] { b.add(signal, timeSeconds: reader.timeSeconds, value: Double(v)) }
            }
        }
        for i in pending.indices where !pending[i].isEmpty {
            pending[i].withUnsafeBufferPointer { pipeline.process(samples: $0, channel: i, emit: emit) }
        }
        builder = b
    }

    private func streamActivity(_ file: ActivityFile, origin: Double, builder: inout SessionReportBuilder) throws {
        var events = file.events()
        var segments = 0
        while let e = try events.next() {
            switch e {
            case let .sample(s):
                let t = s.time.secondsSince1970 - origin
                if let v = s.heartRateBPM { builder.add(.heartRate, timeSeconds: t, value: Double(v)) }
                if let v = s.cadenceStepsPerMinute { builder.add(.cadence, timeSeconds: t, value: Double(v)) }
                if let v = s.speedMetersPerSecond { builder.add(.speed, timeSeconds: t, value: Double(v)) }
            case let .gap(g):
                builder.addGap(TimeSpan(startSeconds: g.from.secondsSince1970 - origin, endSeconds: g.to.secondsSince1970 - origin))
            case let .lap(lap):
                builder.add(Annotation(onsetSeconds: max(lap.start.secondsSince1970 - origin, 0), durationSeconds: nil,
                                       text: "lap \(lap.number)"))
            case let .segment(s):
                segments += 1
                if segments > 1 || file.structure.segments.count > 1 {
                    builder.add(Annotation(onsetSeconds: max(s.start.secondsSince1970 - origin, 0), durationSeconds: nil,
                                           text: "segment \(s.sport.name)"))
                }
            }
        }
    }
}

/// A session that could not be read, with the reader's message (`crampd: FILE: byte N: …`).
struct ReportSessionError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
