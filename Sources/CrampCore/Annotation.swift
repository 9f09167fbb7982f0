// SPDX-License-Identifier: MIT

/// A timed text note on a session: an EDF+ TAL entry or a CSV annotation row.
///
/// Time is session time, in seconds from the start of the recording. The text follows
/// DESIGN.md (`cramp onset gastroc L`, `tightness gastroc L`, …); ``GroundTruth`` parses it.
public struct Annotation: Hashable, Sendable {
    /// Seconds from the session start.
    public var onsetSeconds: Double
    /// Duration in seconds, when the event has one.
    public var durationSeconds: Double?
    /// The annotation text (UTF-8, no control characters).
    public var text: String

    public init(onsetSeconds: Double, durationSeconds: Double? = nil, text: String) {
        self.onsetSeconds = onsetSeconds
        self.durationSeconds = durationSeconds
        self.text = text
    }
}
