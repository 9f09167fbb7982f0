// SPDX-License-Identifier: MIT
import SystemPackage

/// Reads a FIT activity file: its structure up front, its records as samples on demand.
///
/// `init` reads the file whole (FIT activity files are small: a 7-hour multisport file is
/// 1 MB), checks its CRCs and decodes it once for its structure: sessions (→ segments with
/// sports), laps, timer stop/start events (→ pauses), the `activity` local time. ``samples()``
/// then decodes it again, streaming, and turns each `record` into an ``ActivitySample``;
/// ``ActivityTimeline`` makes the running activity of them.
///
/// Segments from sessions: a session ends at its `timestamp` and starts at the earlier of its
/// `start_time` and `timestamp − total_elapsed_time` (a fēnix 2 multisport file has a
/// session whose `start_time` is 45 minutes after its first record), never before the
/// previous session's end. A file with one session extends it to its first and last record. A
/// file without sessions is one segment with the sport of its `sport` message, or, without
/// that, of unknown sport taken as running (``ActivityStructure/sportAssumed``).
public struct FITActivityReader: Sendable {
    /// The file.
    public let path: FilePath
    /// Segments, laps, pauses.
    public let structure: ActivityStructure
    /// What the file says about itself.
    public let info: FITActivityInfo
    private let bytes: [UInt8]

    /// Reads and checks `path`, and decodes its structure.
    ///
    /// - Throws: ``FITError`` for a file that is not FIT, is corrupt or truncated.
    public init(path: FilePath) throws(FITError) {
        try self.init(bytes: try FITDecoder.readFile(path), path: path)
    }

    /// Checks `bytes` and decodes their structure (`path` names them in errors).
    public init(bytes: [UInt8], path: FilePath) throws(FITError) {
        self.path = path
        self.bytes = bytes
        var decoder = try FITDecoder(bytes: bytes, path: path)
        var scan = StructureScan()
        while let m = try decoder.next() { scan.add(m) }
        structure = scan.structure()
        info = scan.info
    }

    /// The `record` messages as samples, in file order, all sports.
    public func samples() -> Samples {
        // The CRCs were checked in init; the bytes have not changed since.
        Samples(decoder: try! FITDecoder(bytes: bytes, path: path, verifyingChecksums: false))
    }

    /// Iterates over the records of a FIT file as ``ActivitySample``s.
    public struct Samples {
        var decoder: FITDecoder
        /// Records without a timestamp (skipped).
        public private(set) var untimedRecords = 0

        /// The next record as a sample; `nil` at the end of the file.
        ///
        /// - Throws: ``FITError`` for a malformed message.
        public mutating func next() throws(FITError) -> ActivitySample? {
            while let m = try decoder.next() {
                guard m.globalNumber == FITProfile.Message.record else { continue }
                guard let t = m.timestamp else {
                    untimedRecords += 1
                    continue
                }
                return Self.sample(m, time: t)
            }
            return nil
        }

        /// One `record` in crampd's units.
        static func sample(_ m: FITMessage, time: UInt32) -> ActivitySample {
            typealias R = FITProfile.Record
            var cadence: Float?
            if let strides = m.value(R.cadence) {
                let fraction = m.value(R.fractionalCadence, scale: R.fractionalCadenceScale) ?? 0
                cadence = Float(2 * (strides + fraction))
            }
            let speed = m.value(R.enhancedSpeed, scale: R.speedScale) ?? m.value(R.speed, scale: R.speedScale)
            return ActivitySample(
                time: UTCInstant(fitTimestamp: time),
                heartRateBPM: m.value(R.heartRate).map(Float.init),
                cadenceStepsPerMinute: cadence,
                speedMetersPerSecond: speed.map(Float.init),
                distanceMeters: m.value(R.distance, scale: R.distanceScale))
        }
    }
}

/// What a FIT activity file says about itself.
public struct FITActivityInfo: Hashable, Sendable {
    /// `file_id.type` (4 = activity).
    public var fileType: UInt32?
    /// `file_id.manufacturer` (1 = Garmin).
    public var manufacturer: UInt32?
    /// `file_id.product`.
    public var product: UInt32?
    /// `file_id.time_created`.
    public var timeCreated: UTCInstant?
    /// The device's offset from UTC (`activity.local_timestamp − activity.timestamp`), seconds.
    public var localTimeOffsetSeconds: Int?
    /// `record` messages in the file.
    public var records = 0
    /// Sessions, in file order, with their sports.
    public var sessionSports: [String] = []
}

/// The first decoding pass: everything but the records' values.
private struct StructureScan {
    struct Session {
        var start: UInt32?
        var end: UInt32?
        var elapsed: Double?
        var sport: UInt32?
    }

    var info = FITActivityInfo()
    var sessions: [Session] = []
    var laps: [ActivityLap] = []
    var timerEvents: [(time: UInt32, start: Bool)] = []
    var sports: [UInt32] = []
    var firstRecord: UInt32?
    var lastRecord: UInt32?

    mutating func add(_ m: FITMessage) {
        typealias P = FITProfile
        switch m.globalNumber {
        case P.Message.record:
            info.records += 1
            if let t = m.timestamp {
                if firstRecord == nil { firstRecord = t }
                lastRecord = max(lastRecord ?? t, t)
            }
        case P.Message.event:
            guard m.integer(P.Event.event) == P.Event.timer, let t = m.timestamp, let type = m.integer(P.Event.eventType) else { return }
            if type == P.Event.start {
                timerEvents.append((t, true))
            } else if P.Event.stopTypes.contains(type) {
                timerEvents.append((t, false))
            }
        case P.Message.session:
            sessions.append(Session(start: m.integer(P.Session.startTime), end: m.timestamp,
                                    elapsed: m.value(P.Session.totalElapsedTime, scale: P.Session.elapsedTimeScale),
                                    sport: m.integer(P.Session.sport)))
        case P.Message.lap:
            let elapsed = m.value(P.Lap.totalElapsedTime, scale: P.Session.elapsedTimeScale)
            let start = m.integer(P.Lap.startTime).map { UTCInstant(fitTimestamp: $0) }
                ?? m.timestamp.flatMap { t in elapsed.map { UTCInstant(fitTimestamp: t).adding(seconds: -$0) } }
            if let start { laps.append(ActivityLap(number: laps.count + 1, start: start, durationSeconds: elapsed)) }
        case P.Message.sport:
            if let s = m.integer(P.SportMessage.sport) { sports.append(s) }
        case P.Message.fileID:
            info.fileType = m.integer(P.FileID.type)
            info.manufacturer = m.integer(P.FileID.manufacturer)
            info.product = m.integer(P.FileID.product)
            info.timeCreated = m.integer(P.FileID.timeCreated).map { UTCInstant(fitTimestamp: $0) }
        case P.Message.activity:
            if let t = m.timestamp, let local = m.integer(P.Activity.localTimestamp) {
                info.localTimeOffsetSeconds = Int(Int64(local) - Int64(t))
            }
        default:
            break
        }
    }

    mutating func structure() -> ActivityStructure {
        info.sessionSports = sessions.map { $0.sport.map(FITProfile.sportName) ?? "unknown" }
        var segments: [ActivitySegment] = []
        var assumed = false
        var previousEnd: Double = -.infinity
        for s in sessions {
            guard let endTime = s.end ?? s.start.flatMap({ start in s.elapsed.map { UInt32(start) + UInt32($0.rounded()) } }) else { continue }
            let end = Double(UTCInstant(fitTimestamp: endTime).secondsSince1970)
            var start = s.start.map { UTCInstant(fitTimestamp: $0).secondsSince1970 } ?? end - (s.elapsed ?? 0)
            if let elapsed = s.elapsed { start = min(start, end - elapsed) }
            start = max(start, previousEnd)
            guard start <= end else { continue }
            let sport = s.sport.map { ActivitySport(name: FITProfile.sportName($0)) } ?? .unknown
            segments.append(ActivitySegment(index: segments.count, sport: sport, start: UTCInstant(secondsSince1970: start),
                                            end: UTCInstant(secondsSince1970: end)))
            previousEnd = end
        }
        if let first = firstRecord, let last = lastRecord {
            let firstT = UTCInstant(fitTimestamp: first), lastT = UTCInstant(fitTimestamp: last)
            if segments.isEmpty {
                let sport: ActivitySport
                if let s = sports.first {
                    sport = ActivitySport(name: FITProfile.sportName(s))
                } else {
                    sport = .running
                    assumed = true
                }
                segments = [ActivitySegment(index: 0, sport: sport, start: firstT, end: lastT)]
            } else if segments.count == 1 {
                segments[0].start = min(segments[0].start, firstT)
                segments[0].end = max(segments[0].end, lastT)
            }
        }
        // Timer stop … start pairs, in time order; a stop without a start runs to the end.
        var pauses: [ActivityPause] = []
        var open: UInt32?
        for e in timerEvents.sorted(by: { $0.time < $1.time }) {
            if e.start {
                if let s = open, e.time > s {
                    pauses.append(ActivityPause(start: UTCInstant(fitTimestamp: s), end: UTCInstant(fitTimestamp: e.time)))
                }
                open = nil
            } else if open == nil {
                open = e.time
            }
        }
        if let s = open { pauses.append(ActivityPause(start: UTCInstant(fitTimestamp: s), end: nil)) }
        return ActivityStructure(segments: segments, laps: laps.sorted { $0.start < $1.start }, pauses: pauses, sportAssumed: assumed)
    }
}
