// SPDX-License-Identifier: MIT

/// What a channel measures (DESIGN.md, "Data contract").
public enum ChannelKind: String, CaseIterable, Hashable, Sendable {
    /// Surface EMG of one muscle site and side, in microvolts.
    case emg
    /// Heart rate, in beats per minute.
    case hr
    /// RR (beat-to-beat) interval, in milliseconds.
    case rr
    /// Running cadence, in steps per minute (both feet).
    case cadence
    /// Running speed, in metres per second.
    case speed

    /// The physical unit that crampd writes and expects for this kind.
    public var canonicalUnit: String {
        switch self {
        case .emg: "uV"
        case .hr: "bpm"
        case .rr: "ms"
        case .cadence: "spm"
        case .speed: "m/s"
        }
    }
}
