// SPDX-License-Identifier: MIT

/// Turns a file's samples, in file order, into the running activity: samples of running
/// segments only, with pauses and gaps made explicit.
///
/// Pure and streaming: one sample in, at most a few events out; memory does not grow with
/// the activity. The rules:
///
/// - **Order.** A sample not later than the previous one (a duplicate time, a clock step
///   back) is dropped and counted; so is a sample with no value at all (a record that holds
///   only a position, a Trackpoint with only a Time).
/// - **Segments.** A sample belongs to the last segment that starts at or before it, if it is
///   not after that segment's end; at a shared boundary the segment that starts there wins.
///   Samples of non-running segments, and samples outside every segment, are dropped and
///   counted. The first sample of each running segment is preceded by `.segment`.
/// - **Pauses.** Samples strictly inside a timer pause (after the stop, before the start) are
///   dropped and counted. The samples at the stop and the start are kept.
/// - **Gaps.** Between two consecutive kept samples comes a `.gap` when they lie in different
///   running segments (reason `.notRunning`), a pause starts between them (`.pause`), or they
///   are more than `gapThresholdSeconds` apart (`.noRecords`). Closer samples are one run.
/// - **Laps** of a running segment are announced before the first kept sample at or after
///   their start.
public struct ActivityTimeline: Sendable {
    /// What the timeline did with the samples it was given.
    public struct Counts: Hashable, Sendable {
        /// Samples given to ``process(_:into:)``.
        public var samplesIn = 0
        /// Samples passed on.
        public var samplesOut = 0
        /// Dropped: at or before the previous sample's time.
        public var outOfOrder = 0
        /// Dropped: no heart rate, cadence, speed or distance.
        public var empty = 0
        /// Dropped: in a segment of another sport, or in no segment.
        public var notRunning = 0
        /// Dropped: inside a timer pause.
        public var paused = 0
        /// `.gap` events with reason `.pause`.
        public var pauses = 0
        /// `.gap` events with reason `.noRecords`.
        public var gaps = 0
        /// `.gap` events with reason `.notRunning`.
        public var segmentChanges = 0
        /// Running segments that had samples (`.segment` events).
        public var segments = 0
        /// `.lap` events.
        public var laps = 0
    }

    /// The structure the samples are placed in.
    public let structure: ActivityStructure
    /// Samples further apart than this are separated by a gap.
    public let gapThresholdSeconds: Double
    /// What happened to the samples so far.
    public private(set) var counts = Counts()

    private var lastSeen: UTCInstant?
    private var lastKept: (time: UTCInstant, segment: Int)?
    private var segmentCursor = 0
    private var pauseCursor = 0
    private var lapCursor = 0

    /// - Parameters:
    ///   - structure: segments, laps and pauses of the file.
    ///   - gapThresholdSeconds: the longest interval between two samples of one run (> 0).
    public init(structure: ActivityStructure, gapThresholdSeconds: Double = 10) {
        self.structure = structure
        self.gapThresholdSeconds = gapThresholdSeconds
    }

    /// Takes the next sample in file order and appends what it causes to `events`.
    public mutating func process(_ sample: ActivitySample, into events: inout [ActivityEvent]) {
        counts.samplesIn += 1
        let t = sample.time
        if let lastSeen, t <= lastSeen {
            counts.outOfOrder += 1
            return
        }
        lastSeen = t
        guard ActivityChannel.allCases.contains(where: { sample.value($0) != nil }) else {
            counts.empty += 1
            return
        }
        guard let segment = segment(at: t), segment.sport.isRunning else {
            counts.notRunning += 1
            return
        }
        if isPaused(at: t) {
            counts.paused += 1
            return
        }
        if let last = lastKept {
            if last.segment != segment.index {
                events.append(.gap(ActivityGap(from: last.time, to: t, reason: .notRunning)))
                counts.segmentChanges += 1
                startSegment(segment, into: &events)
            } else if pauseStarts(from: last.time, before: t) {
                events.append(.gap(ActivityGap(from: last.time, to: t, reason: .pause)))
                counts.pauses += 1
            } else if t.seconds(since: last.time) > gapThresholdSeconds {
                events.append(.gap(ActivityGap(from: last.time, to: t, reason: .noRecords)))
                counts.gaps += 1
            }
        } else {
            startSegment(segment, into: &events)
        }
        let laps = structure.laps
        while lapCursor < laps.count, laps[lapCursor].start <= t {
            let lap = laps[lapCursor]
            // A lap of this segment: it starts inside it (to a second: FIT rounds start times).
            if lap.start.seconds(since: segment.start) >= -1, lap.start <= segment.end {
                events.append(.lap(lap))
                counts.laps += 1
            }
            lapCursor += 1
        }
        events.append(.sample(sample))
        counts.samplesOut += 1
        lastKept = (t, segment.index)
    }

    private mutating func startSegment(_ segment: ActivitySegment, into events: inout [ActivityEvent]) {
        events.append(.segment(segment))
        counts.segments += 1
    }

    /// The segment a sample at `t` belongs to (see the type's rules), advancing the cursor.
    private mutating func segment(at t: UTCInstant) -> ActivitySegment? {
        let segments = structure.segments
        while segmentCursor < segments.count,
              segments[segmentCursor].end < t
                || (segmentCursor + 1 < segments.count && segments[segmentCursor + 1].start <= t) {
            segmentCursor += 1
        }
        guard segmentCursor < segments.count, segments[segmentCursor].start <= t else { return nil }
        return segments[segmentCursor]
    }

    /// True if `t` is strictly inside a pause.
    private mutating func isPaused(at t: UTCInstant) -> Bool {
        let pauses = structure.pauses
        while pauseCursor < pauses.count, let end = pauses[pauseCursor].end, end <= t { pauseCursor += 1 }
        var i = pauseCursor
        while i < pauses.count, pauses[i].start < t {
            if pauses[i].end.map({ t < $0 }) ?? true { return true }
            i += 1
        }
        return false
    }

    /// True if a pause (of any length) starts at or after `from` and before `to`.
    private func pauseStarts(from: UTCInstant, before to: UTCInstant) -> Bool {
        // Pauses that ended before `from` were skipped by `isPaused`; scan from there.
        var i = max(0, pauseCursor - 1)
        let pauses = structure.pauses
        while i < pauses.count, pauses[i].start < to {
            if pauses[i].start >= from, (pauses[i].end ?? to) > pauses[i].start { return true }
            i += 1
        }
        return false
    }
}
