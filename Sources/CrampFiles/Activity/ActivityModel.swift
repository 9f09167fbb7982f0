// SPDX-License-Identifier: MIT

/// The sport of a session, as the file names it (`running`, `cycling`, `transition`, …).
public struct ActivitySport: Hashable, Sendable, CustomStringConvertible {
    /// Lower-case name: FIT profile names (`running`, `cycling`), TCX `Sport` attributes in
    /// lower case (`running`, `biking`, `other`).
    public var name: String

    public init(name: String) { self.name = name }

    /// Running: FIT sport 1, TCX `Sport="Running"`.
    public static let running = ActivitySport(name: "running")
    /// No session or sport message said what the activity was.
    public static let unknown = ActivitySport(name: "unknown")

    /// True for running, the sport crampd imports.
    public var isRunning: Bool { name == "running" }

    public var description: String { name }
}

/// One sample of an activity: what one FIT `record` or TCX `Trackpoint` holds, in crampd's
/// units. A missing or invalid value is `nil`.
public struct ActivitySample: Hashable, Sendable {
    /// When the sample was taken.
    public var time: UTCInstant
    /// Heart rate, beats per minute.
    public var heartRateBPM: Float?
    /// Running cadence in steps per minute, both feet: 2 × the file's strides per minute
    /// (FIT: 2 × (cadence + fractional_cadence / 128); TCX: 2 × RunCadence).
    public var cadenceStepsPerMinute: Float?
    /// Speed, metres per second.
    public var speedMetersPerSecond: Float?
    /// Distance since the start of the session, metres.
    public var distanceMeters: Double?

    public init(time: UTCInstant, heartRateBPM: Float? = nil, cadenceStepsPerMinute: Float? = nil,
                speedMetersPerSecond: Float? = nil, distanceMeters: Double? = nil) {
        self.time = time
        self.heartRateBPM = heartRateBPM
        self.cadenceStepsPerMinute = cadenceStepsPerMinute
        self.speedMetersPerSecond = speedMetersPerSecond
        self.distanceMeters = distanceMeters
    }

    /// The value of `channel`, as a `Double`.
    public func value(_ channel: ActivityChannel) -> Double? {
        switch channel {
        case .heartRate: heartRateBPM.map(Double.init)
        case .cadence: cadenceStepsPerMinute.map(Double.init)
        case .speed: speedMetersPerSecond.map(Double.init)
        case .distance: distanceMeters
        }
    }
}

/// The channels an activity file gives crampd.
public enum ActivityChannel: Int, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case heartRate, cadence, speed, distance

    /// The EDF+/CSV label (DESIGN.md): `HR`, `Cadence`, `Speed`; `Distance` is carried, not
    /// analysed.
    public var label: String {
        switch self {
        case .heartRate: "HR"
        case .cadence: "Cadence"
        case .speed: "Speed"
        case .distance: "Distance"
        }
    }

    /// The unit, as EDF writes it.
    public var unit: String {
        switch self {
        case .heartRate: "bpm"
        case .cadence: "spm"
        case .speed: "m/s"
        case .distance: "m"
        }
    }

    public var description: String { label }
}

/// A stretch of the activity with one sport: a FIT session, a TCX Activity.
public struct ActivitySegment: Hashable, Sendable {
    /// Position among the file's segments, from 0.
    public var index: Int
    /// What the segment was.
    public var sport: ActivitySport
    /// Start and end as the file gives them (see ``FITActivityReader`` for FIT's sessions).
    public var start: UTCInstant
    /// See ``start``.
    public var end: UTCInstant

    public init(index: Int, sport: ActivitySport, start: UTCInstant, end: UTCInstant) {
        self.index = index
        self.sport = sport
        self.start = start
        self.end = end
    }
}

/// A lap: FIT `lap`, TCX `Lap`.
public struct ActivityLap: Hashable, Sendable {
    /// The lap number in the file, from 1.
    public var number: Int
    /// When the lap started.
    public var start: UTCInstant
    /// FIT `total_elapsed_time`, TCX `TotalTimeSeconds`.
    public var durationSeconds: Double?

    public init(number: Int, start: UTCInstant, durationSeconds: Double?) {
        self.number = number
        self.start = start
        self.durationSeconds = durationSeconds
    }
}

/// A stop of the recording timer: FIT timer stop … start events, a new TCX Track in a Lap.
public struct ActivityPause: Hashable, Sendable {
    /// When the timer stopped.
    public var start: UTCInstant
    /// When it started again; `nil` if it never did.
    public var end: UTCInstant?

    public init(start: UTCInstant, end: UTCInstant?) {
        self.start = start
        self.end = end
    }
}

/// Where samples are missing, and why.
public struct ActivityGap: Hashable, Sendable {
    /// Why there are no samples; the raw value is the EDF+ annotation text.
    public enum Reason: String, Hashable, Sendable {
        /// The timer was stopped (a pause).
        case pause
        /// Records are further apart than the gap threshold (lost signal, device off).
        case noRecords = "gap"
        /// The time between belongs to another sport (a multisport transition or leg) or to no
        /// session.
        case notRunning = "not running"
    }

    /// The last sample before the gap.
    public var from: UTCInstant
    /// The first sample after it.
    public var to: UTCInstant
    /// Why.
    public var reason: Reason

    public init(from: UTCInstant, to: UTCInstant, reason: Reason) {
        self.from = from
        self.to = to
        self.reason = reason
    }

    /// Seconds from ``from`` to ``to``.
    public var durationSeconds: Double { to.seconds(since: from) }
}

/// What an activity says, in time order: the stream that ``ActivityTimeline`` makes from a
/// file's samples and structure, for replay or for writing EDF+.
public enum ActivityEvent: Hashable, Sendable {
    /// A running segment begins; its first sample follows.
    case segment(ActivitySegment)
    /// A lap begins (emitted before the first sample at or after its start).
    case lap(ActivityLap)
    case sample(ActivitySample)
    /// No samples between the two around it.
    case gap(ActivityGap)
}

/// The structure of an activity, known before its samples are streamed: segments with their
/// sports, laps, timer pauses.
public struct ActivityStructure: Hashable, Sendable {
    /// In time order, not overlapping.
    public var segments: [ActivitySegment]
    /// In time order.
    public var laps: [ActivityLap]
    /// In time order.
    public var pauses: [ActivityPause]
    /// True if the file says nothing about its sport: its one segment is then given the sport
    /// running, and importing says so.
    public var sportAssumed: Bool

    public init(segments: [ActivitySegment], laps: [ActivityLap] = [], pauses: [ActivityPause] = [], sportAssumed: Bool = false) {
        self.segments = segments
        self.laps = laps
        self.pauses = pauses
        self.sportAssumed = sportAssumed
    }

    /// The running segments.
    public var runningSegments: [ActivitySegment] { segments.filter(\.sport.isRunning) }
}
