// SPDX-License-Identifier: MIT

/// The part of the FIT profile (FIT SDK `Profile.xlsx`, "Messages" and "Types") that crampd
/// reads: message numbers, field numbers, scales and the enum values it branches on.
///
/// Field values come out of ``FITMessage/value(_:)`` raw; physical value = raw / scale − offset.
public enum FITProfile {
    /// `timestamp`, field 253 of every message that has one: seconds since the FIT epoch.
    public static let timestampField: UInt8 = 253
    /// Seconds from 1970-01-01T00:00:00Z to the FIT epoch 1989-12-31T00:00:00Z.
    public static let epochUnixSeconds: Int64 = 631_065_600
    /// date_time values below this are seconds since the device powered on, not since the
    /// epoch (profile type `date_time`, "min").
    public static let systemTimeLimit: UInt32 = 0x1000_0000

    /// Global message numbers (profile type `mesg_num`).
    public enum Message {
        /// `file_id`: file type, manufacturer, product, creation time.
        public static let fileID: UInt16 = 0
        /// `sport`: the sport of a file without sessions.
        public static let sport: UInt16 = 12
        /// `session`: one per sport of an activity (several in a multisport file).
        public static let session: UInt16 = 18
        /// `lap`.
        public static let lap: UInt16 = 19
        /// `record`: the samples.
        public static let record: UInt16 = 20
        /// `event`: timer start and stop among others.
        public static let event: UInt16 = 21
        /// `activity`: one per file, with the local time.
        public static let activity: UInt16 = 34
    }

    /// `file_id` fields.
    public enum FileID {
        /// enum `file`: 4 = activity.
        public static let type: UInt8 = 0
        /// uint16 `manufacturer` (1 = garmin).
        public static let manufacturer: UInt8 = 1
        /// uint16 `product`.
        public static let product: UInt8 = 2
        /// date_time `time_created`.
        public static let timeCreated: UInt8 = 4
        /// `file` value of an activity file.
        public static let activityFile: UInt32 = 4
    }

    /// `record` fields (one per recording interval, usually 1 s).
    public enum Record {
        /// uint8 bpm.
        public static let heartRate: UInt8 = 3
        /// uint8 rpm; for running, strides (one foot) per minute.
        public static let cadence: UInt8 = 4
        /// uint32, scale 100: metres.
        public static let distance: UInt8 = 5
        /// uint16, scale 1000: m/s.
        public static let speed: UInt8 = 6
        /// uint8, scale 128: fractions of `cadence` (rpm).
        public static let fractionalCadence: UInt8 = 53
        /// uint32, scale 1000: m/s (the 32-bit speed; `speed` is its 16-bit component).
        public static let enhancedSpeed: UInt8 = 73

        /// Scale of `distance`: raw / 100 = metres.
        public static let distanceScale = 100.0
        /// Scale of `speed` and `enhanced_speed`: raw / 1000 = m/s.
        public static let speedScale = 1000.0
        /// Scale of `fractional_cadence`: raw / 128 = rpm.
        public static let fractionalCadenceScale = 128.0
    }

    /// `event` fields.
    public enum Event {
        /// enum `event`: 0 = timer.
        public static let event: UInt8 = 0
        /// enum `event_type`: 0 start, 1 stop, 4 stop_all, 8 stop_disable, 9 stop_disable_all.
        public static let eventType: UInt8 = 1

        /// `event` value of the timer.
        public static let timer: UInt32 = 0
        /// `event_type` value of a start.
        public static let start: UInt32 = 0
        /// `event_type` values that stop the timer.
        public static let stopTypes: Set<UInt32> = [1, 4, 8, 9]
    }

    /// `session` and `lap` fields (both messages number them alike).
    public enum Session {
        /// date_time `start_time`.
        public static let startTime: UInt8 = 2
        /// enum `sport` (profile type `sport`: 1 = running).
        public static let sport: UInt8 = 5
        /// enum `sub_sport`.
        public static let subSport: UInt8 = 6
        /// uint32, scale 1000: seconds from start to end, pauses included.
        public static let totalElapsedTime: UInt8 = 7
        /// Scale of `total_elapsed_time`: raw / 1000 = seconds.
        public static let elapsedTimeScale = 1000.0
    }

    /// `lap` fields that differ from `session`.
    public enum Lap {
        /// date_time `start_time`.
        public static let startTime: UInt8 = 2
        /// uint32, scale 1000: seconds.
        public static let totalElapsedTime: UInt8 = 7
        /// enum `sport`.
        public static let sport: UInt8 = 25
    }

    /// `sport` message fields.
    public enum SportMessage {
        /// enum `sport`.
        public static let sport: UInt8 = 0
        /// enum `sub_sport`.
        public static let subSport: UInt8 = 1
    }

    /// `activity` fields.
    public enum Activity {
        /// local_date_time `local_timestamp`: the timestamp in the device's local time.
        public static let localTimestamp: UInt8 = 5
    }

    /// Names of the profile type `sport` values an activity file commonly holds.
    public static func sportName(_ value: UInt32) -> String {
        switch value {
        case 0: "generic"
        case 1: "running"
        case 2: "cycling"
        case 3: "transition"
        case 4: "fitness_equipment"
        case 5: "swimming"
        case 10: "training"
        case 11: "walking"
        case 13: "e_biking"
        case 15: "rowing"
        case 16: "mountaineering"
        case 17: "hiking"
        case 18: "multisport"
        case 19: "paddling"
        default: "sport_\(value)"
        }
    }

    /// The `sport` value of running.
    public static let running: UInt32 = 1
}
