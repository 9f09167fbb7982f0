// SPDX-License-Identifier: MIT
import SystemPackage

/// An activity file, FIT or TCX, opened for import or replay.
///
/// ```swift
/// let file = try ActivityFile(path: "run.fit")
/// var events = file.events()                // running segments only, gaps explicit
/// while let e = try events.next() {
///     if case .sample(let s) = e { … s.time, s.heartRateBPM, s.cadenceStepsPerMinute … }
/// }
/// ```
///
/// ``events(gapThresholdSeconds:)`` can be called again for another pass (a FIT file is
/// decoded again from the bytes in memory, a TCX file's samples are reused).
public struct ActivityFile: Sendable {
    /// The file format; its raw value names it in messages (`FIT`, `TCX`).
    public enum Format: String, Hashable, Sendable {
        case fit = "FIT"
        case tcx = "TCX"
    }

    private enum Content: Sendable {
        case fit(FITActivityReader)
        case tcx(TCXActivityReader)
    }

    /// The file.
    public let path: FilePath
    /// FIT or TCX.
    public let format: Format
    /// Segments, laps, pauses.
    public let structure: ActivityStructure
    /// The device's offset from UTC, when the file says (FIT `activity.local_timestamp`).
    public let localTimeOffsetSeconds: Int?
    private let content: Content

    /// Opens `path` as FIT or TCX: by its extension (`.fit`, `.tcx`, any case), else by its
    /// first bytes.
    ///
    /// - Throws: ``ActivityError`` `.fit`, `.tcx` or `.unknownFormat`.
    public init(path: FilePath) throws(ActivityError) {
        let ext = path.extension?.lowercased()
        var format: Format? = ext == "fit" ? .fit : ext == "tcx" ? .tcx : nil
        let bytes: [UInt8]
        do { bytes = try FITDecoder.readFile(path) } catch { throw .fit(error) }
        if format == nil {
            if bytes.count >= 12, Array(bytes[8..<12]) == Array(".FIT".utf8) {
                format = .fit
            } else if bytes.prefix(512).contains(UInt8(ascii: "<")),
                      String(decoding: bytes.prefix(4096), as: UTF8.self).contains("TrainingCenterDatabase") {
                format = .tcx
            }
        }
        self.path = path
        switch format {
        case .fit:
            let reader: FITActivityReader
            do { reader = try FITActivityReader(bytes: bytes, path: path) } catch { throw .fit(error) }
            content = .fit(reader)
            structure = reader.structure
            localTimeOffsetSeconds = reader.info.localTimeOffsetSeconds
            self.format = .fit
        case .tcx:
            let reader: TCXActivityReader
            do { reader = try TCXActivityReader(bytes: bytes, path: path) } catch { throw .tcx(error) }
            content = .tcx(reader)
            structure = reader.structure
            localTimeOffsetSeconds = nil
            self.format = .tcx
        case nil:
            let head = bytes.prefix(12)
            let shown = head.isEmpty ? "an empty file"
                : "first bytes " + head.map { b in String(b, radix: 16, uppercase: true) }.map { $0.count < 2 ? "0" + $0 : $0 }.joined(separator: " ")
            throw .unknownFormat(path: path, found: shown)
        }
    }

    /// The sports of the file's segments, in time order.
    public var sports: [String] { structure.segments.map(\.sport.name) }

    /// The running activity: samples of running segments with segments, laps and gaps
    /// (see ``ActivityTimeline``).
    ///
    /// - Parameter gapThresholdSeconds: samples further apart than this are separated by a
    ///   gap (default 10 s: Garmin's "smart recording" leaves up to 9 s between records of a
    ///   steady run).
    public func events(gapThresholdSeconds: Double = 10) -> ActivityEvents {
        let source: ActivityEvents.Source
        switch content {
        case .fit(let r): source = .fit(r.samples())
        case .tcx(let r): source = .tcx(r.samples)
        }
        return ActivityEvents(source: source, timeline: ActivityTimeline(structure: structure, gapThresholdSeconds: gapThresholdSeconds))
    }

    /// All samples of the file in file order, every sport, before the timeline's rules.
    public func allSamples() throws(ActivityError) -> [ActivitySample] {
        var out: [ActivitySample] = []
        switch content {
        case .fit(let r):
            var it = r.samples()
            do { while let s = try it.next() { out.append(s) } } catch { throw .fit(error) }
        case .tcx(let r):
            out = r.samples
        }
        return out
    }
}

/// The events of an activity, pulled one at a time (see ``ActivityFile/events(gapThresholdSeconds:)``).
public struct ActivityEvents {
    enum Source {
        case fit(FITActivityReader.Samples)
        case tcx([ActivitySample])
    }

    private var fit: FITActivityReader.Samples?
    private let tcx: [ActivitySample]
    private var tcxIndex = 0
    /// The rules the samples went through, and what they dropped so far.
    public private(set) var timeline: ActivityTimeline
    private var buffer: [ActivityEvent] = []
    private var head = 0

    init(source: Source, timeline: ActivityTimeline) {
        switch source {
        case .fit(let samples):
            fit = samples
            tcx = []
        case .tcx(let samples):
            fit = nil
            tcx = samples
        }
        self.timeline = timeline
    }

    /// The next event; `nil` at the end.
    ///
    /// - Throws: ``ActivityError`` `.fit` for a malformed FIT message.
    public mutating func next() throws(ActivityError) -> ActivityEvent? {
        while head == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            head = 0
            guard let sample = try nextSample() else { return nil }
            timeline.process(sample, into: &buffer)
        }
        head += 1
        return buffer[head - 1]
    }

    private mutating func nextSample() throws(ActivityError) -> ActivitySample? {
        if fit != nil {
            do { return try fit!.next() } catch { throw .fit(error) }
        }
        guard tcxIndex < tcx.count else { return nil }
        tcxIndex += 1
        return tcx[tcxIndex - 1]
    }
}
