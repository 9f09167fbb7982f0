// SPDX-License-Identifier: MIT
import CrampCore
import SystemPackage

/// What ``ActivityImport`` did, for the user.
public struct ActivityImportReport: Hashable, Sendable {
    /// The input's format.
    public var format: ActivityFile.Format
    /// The first second written: the EDF start (UTC).
    public var start: UTCInstant
    /// The device's offset from UTC, when the file gives it.
    public var localTimeOffsetSeconds: Int?
    /// From the start to the end of the last second written.
    public var spanSeconds: Int
    /// Seconds with data.
    public var secondsWritten: Int
    /// Seconds written as a fill between them (EDF+C only).
    public var secondsFilled: Int
    /// True for EDF+C (``ActivityImportOptions/continuous``), false for EDF+D.
    public var continuous: Bool
    /// The signals written, in file order.
    public var channels: [ActivityChannel]
    /// The sports of the file's segments, in time order.
    public var sports: [String]
    /// Running segments imported.
    public var segments: Int
    /// Laps announced (in running segments).
    public var laps: Int
    /// `pause` annotations: timer stops between samples.
    public var pauses: Int
    /// `gap` annotations: samples further apart than the gap threshold.
    public var gaps: Int
    /// Stretches in which one channel had no value (written as 0, or the last distance).
    public var dropouts: Int
    /// What the timeline dropped (samples of other sports, in pauses, out of order, empty).
    public var counts: ActivityTimeline.Counts
    /// Values outside a signal's physical range, clamped.
    public var clippedSamples: Int
    /// True if the file did not say its sport and it was taken as running.
    public var sportAssumed: Bool

    /// Human-readable notes, one per thing worth saying.
    public var notes: [String] {
        var out: [String] = []
        if sportAssumed { out.append("the file names no sport; it was imported as running") }
        if counts.notRunning > 0 {
            out.append("\(counts.notRunning) samples of other sports or outside the sessions left out (sports: \(sports.joined(separator: ", ")))")
        }
        if counts.paused > 0 { out.append("\(counts.paused) samples recorded while the timer was stopped left out") }
        if counts.outOfOrder > 0 { out.append("\(counts.outOfOrder) samples not later than the previous one left out") }
        if counts.empty > 0 { out.append("\(counts.empty) samples without heart rate, cadence, speed or distance left out") }
        if dropouts > 0 { out.append("\(dropouts) channel dropouts longer than the gap threshold, annotated \"dropout <label>\"") }
        if clippedSamples > 0 { out.append("\(clippedSamples) values clipped to the signals' physical ranges") }
        return out
    }
}

/// Options of ``ActivityImport``.
public struct ActivityImportOptions: Hashable, Sendable {
    /// Samples (and values of one channel) further apart than this are not bridged: a gap, or a
    /// dropout of that channel.
    public var gapThresholdSeconds: Double
    /// TAL bytes per 1 s data record; annotations that do not fit wait for the next records.
    public var annotationBytesPerRecord: Int
    /// `false` (default): EDF+D, seconds without data are absent. `true`: EDF+C for readers
    /// that refuse EDF+D (EDFlib, hence pyedflib): seconds without data are written as a fill,
    /// 0 for HR, cadence and speed and the last distance, inside their `pause`, `gap` or
    /// `not running` annotation.
    public var continuous: Bool

    public init(gapThresholdSeconds: Double = 10, annotationBytesPerRecord: Int = 96, continuous: Bool = false) {
        self.gapThresholdSeconds = gapThresholdSeconds
        self.annotationBytesPerRecord = annotationBytesPerRecord
        self.continuous = continuous
    }
}

/// Writes the running part of a FIT or TCX activity as EDF+D (or EDF+C on request).
///
/// The file: one data record per second that has data, each 1 s long with one sample per
/// signal (1 Hz), at its own onset (EDF+D), so pauses and gaps are absent records, not
/// invented samples. (With ``ActivityImportOptions/continuous``: EDF+C, the seconds between
/// filled as that option says.) Signals, only those the activity has: `HR` (bpm), `Cadence`
/// (steps/min, both feet), `Speed` (m/s), `Distance` (m; carried, not analysed), with the
/// ranges and steps of `signalSpec`. The start is the first second written,
/// in UTC. Annotations: `segment running` (each running segment, with its duration),
/// `lap N` (with its duration), `pause` and `gap` (the seconds without records, from the end of
/// the last second with data to the next one), `not running` (between two running segments of a multisport file), and
/// `dropout HR` (`Cadence`, …) where one channel has no value for longer than the gap
/// threshold while the others go on: its samples there are 0 (distance: its last value).
///
/// Two streaming passes over the activity (the first finds the start, the channels and the
/// distance range); memory does not grow with its length.
public enum ActivityImport {
    /// Imports `input` (FIT or TCX) into the EDF+ file `output`.
    ///
    /// - Throws: ``ActivityError``: the file cannot be read, is corrupt, has no running samples,
    ///   or the EDF+ file cannot be written.
    public static func importToEDF(from input: FilePath, to output: FilePath,
                                   options: ActivityImportOptions = ActivityImportOptions()) throws(ActivityError) -> ActivityImportReport {
        let file = try ActivityFile(path: input)
        return try writeEDF(file, to: output, options: options)
    }

    /// Writes the running part of `file` to `output` as EDF+D (or EDF+C, see `options`).
    public static func writeEDF(_ file: ActivityFile, to output: FilePath,
                                options: ActivityImportOptions = ActivityImportOptions()) throws(ActivityError) -> ActivityImportReport {
        // Pass 1: where the data starts and ends, which channels it has, the distance range.
        var grid = ActivityGrid(gapThresholdSeconds: options.gapThresholdSeconds)
        var events = file.events(gapThresholdSeconds: options.gapThresholdSeconds)
        var out: [ActivityGridOutput] = []
        var first: Int64?, lastSecond: Int64 = 0
        var present = Set<ActivityChannel>()
        var maxDistance = 0.0
        func scan(_ out: [ActivityGridOutput]) {
            for case .row(let row) in out {
                if first == nil { first = row.second }
                lastSecond = row.second
                for c in ActivityChannel.allCases {
                    guard let v = row.value(c) else { continue }
                    present.insert(c)
                    if c == .distance { maxDistance = max(maxDistance, v) }
                }
            }
        }
        while let e = try events.next() {
            grid.process(e, into: &out)
            scan(out)
            out.removeAll(keepingCapacity: true)
        }
        grid.finish(into: &out)
        scan(out)
        out.removeAll(keepingCapacity: true)
        guard let origin = first, !present.isEmpty else {
            throw .noRunningSamples(path: file.path, sports: file.sports, samples: events.timeline.counts.samplesIn)
        }
        let channels = ActivityChannel.allCases.filter { present.contains($0) }

        // Pass 2: write.
        let start = UTCInstant(secondsSince1970: Double(origin))
        let specs = channels.map { c in Self.signalSpec(c, format: file.format, maxDistance: maxDistance, options: options) }
        let header = EDFWriterHeader(
            signals: specs, start: start.dateTime, recordDurationSeconds: 1,
            recordingIdentification: "Startdate \(Self.edfPlusDate(start.dateTime)) X X crampd_import_\(file.format.rawValue)",
            annotationBytesPerRecord: options.annotationBytesPerRecord, discontinuous: !options.continuous)
        let writer: EDFWriter
        do { writer = try EDFWriter(path: output, header: header) } catch { throw .edf(error) }

        grid = ActivityGrid(gapThresholdSeconds: options.gapThresholdSeconds, channels: present)
        events = file.events(gapThresholdSeconds: options.gapThresholdSeconds)
        var annotations: [Annotation] = []
        var record = channels.map { _ in [Float](repeating: 0, count: 1) }
        var lastDistance: Float = 0
        var lastDistanceBefore: Float = 0  // the distance of the previous row written
        var dropouts = 0
        var filled = 0
        func onset(_ t: UTCInstant) -> Double { t.secondsSince1970 - Double(origin) }
        func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

        // Rows are written a few behind the grid, so that annotations that come after the last
        // row (a dropout that lasts to the end) still find records to go into: the writer
        // spreads what does not fit in one record over the next ones.
        let holdBack = 4
        var held: [ActivityRow] = []
        func writeRow(_ row: ActivityRow) throws(ActivityError) {
            for (i, c) in channels.enumerated() {
                if let v = row.value(c) {
                    record[i][0] = Float(v)
                    if c == .distance { lastDistance = Float(v) }
                } else {
                    record[i][0] = c == .distance ? lastDistance : 0
                }
            }
            let onset = Double(row.second - origin)
            do {
                if options.continuous, writer.nextContiguousOnsetSeconds < onset {
                    // EDF+C: fill the seconds without data (HR, cadence, speed 0; distance held).
                    var fill = record
                    for (i, c) in channels.enumerated() { fill[i][0] = c == .distance ? lastDistanceBefore : 0 }
                    while writer.nextContiguousOnsetSeconds < onset {
                        try writer.writeRecord(fill, annotations: annotations)
                        annotations.removeAll(keepingCapacity: true)
                        filled += 1
                    }
                }
                try writer.writeRecord(record, annotations: annotations, onsetSeconds: onset)
            } catch { throw .edf(error) }
            annotations.removeAll(keepingCapacity: true)
            lastDistanceBefore = lastDistance
        }
        func write(_ out: [ActivityGridOutput]) throws(ActivityError) {
            for o in out {
                switch o {
                case .row(let row):
                    held.append(row)
                    if held.count > holdBack { try writeRow(held.removeFirst()) }
                case .dropout(let d):
                    dropouts += 1
                    annotations.append(Annotation(onsetSeconds: Double(d.firstSecond - origin), durationSeconds: Double(d.seconds),
                                                  text: "dropout \(d.channel.label)"))
                }
            }
        }

        while let e = try events.next() {
            switch e {
            case .segment(let s):
                // From the segment's first sample (the event precedes it) to the segment's end.
                let from = max(s.start, UTCInstant(secondsSince1970: Double(origin)))
                annotations.append(Annotation(onsetSeconds: round3(onset(from)), durationSeconds: round3(max(0, s.end.seconds(since: from))),
                                              text: "segment \(s.sport.name)"))
            case .lap(let lap):
                annotations.append(Annotation(onsetSeconds: round3(onset(lap.start)), durationSeconds: lap.durationSeconds.map(round3),
                                              text: "lap \(lap.number)"))
            case .gap(let g):
                // The seconds without records: from the end of the last second with data to the
                // start of the next (for FIT, timer stop to timer start).
                let from = Double(g.from.wholeSecond + 1), to = g.to.secondsSince1970.rounded(.up)
                annotations.append(Annotation(onsetSeconds: from - Double(origin), durationSeconds: max(0, to - from),
                                              text: g.reason.rawValue))
            case .sample:
                break
            }
            grid.process(e, into: &out)
            try write(out)
            out.removeAll(keepingCapacity: true)
        }
        grid.finish(into: &out)
        try write(out)
        for row in held { try writeRow(row) }
        do { try writer.close() } catch { throw .edf(error) }
        let counts = events.timeline.counts
        return ActivityImportReport(
            format: file.format, start: start, localTimeOffsetSeconds: file.localTimeOffsetSeconds,
            spanSeconds: Int(lastSecond - origin) + 1, secondsWritten: writer.recordsWritten - filled,
            secondsFilled: filled, continuous: options.continuous, channels: channels,
            sports: file.sports, segments: counts.segments, laps: counts.laps, pauses: counts.pauses,
            gaps: counts.gaps, dropouts: dropouts, counts: counts, clippedSamples: writer.clippedSamples,
            sportAssumed: file.structure.sportAssumed)
    }

    /// The EDF+ signal of `channel`. The digital ranges make the steps the files' own
    /// resolutions, so FIT values pass unchanged: HR 0.01 bpm (0…250), cadence 1/64 step/min
    /// (FIT: 2 × 1/128 stride/min; 0…300), speed 0.001 m/s (0…32.767). Distance: 0 up to
    /// 65535 steps of whole centimetres, the smallest step that holds the largest distance.
    static func signalSpec(_ channel: ActivityChannel, format: ActivityFile.Format, maxDistance: Double,
                           options: ActivityImportOptions) -> EDFSignalSpec {
        let (maximum, digitalMinimum, digitalMaximum): (Double, Int32, Int32) = switch channel {
        case .heartRate: (250, 0, 25000)
        case .cadence: (300, 0, 19200)
        case .speed: (32.767, 0, 32767)
        case .distance: (65535 * max(0.01, (maxDistance / 65535 / 0.01).rounded(.up) * 0.01), -32768, 32767)
        }
        return EDFSignalSpec(label: channel.label, transducer: "\(format.rawValue) import", physicalDimension: channel.unit,
                             physicalMinimum: 0, physicalMaximum: maximum, digitalMinimum: digitalMinimum, digitalMaximum: digitalMaximum,
                             prefiltering: "1 Hz grid; linear fill up to \(EDFField.fixed(options.gapThresholdSeconds, decimals: 3)) s",
                             samplesPerRecord: 1)
    }

    /// `15-AUG-2015`: the EDF+ recording-identification date.
    static func edfPlusDate(_ d: EDFDateTime) -> String {
        let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        return "\(EDFDateTime.twoDigits(d.day))-\(months[d.month - 1])-\(d.year)"
    }
}
