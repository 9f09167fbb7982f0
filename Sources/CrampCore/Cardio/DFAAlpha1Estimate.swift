// SPDX-License-Identifier: MIT

/// One DFA α1 value over the last clean RR intervals (`DFAAlpha1Tracker`).
public struct DFAAlpha1Estimate: Hashable, Sendable {
    /// The short-term scaling exponent α1 (box sizes 4–16 beats by default): about 1.0 at rest
    /// and easy running, falling towards 0.5 and below as intensity rises; 0.75 has been
    /// proposed as the aerobic threshold (Rogers et al. 2021).
    public var alpha1: Double
    /// Session time of the newest beat in the window, in seconds.
    public var timeSeconds: Double
    /// Clean intervals in the window.
    public var windowBeats: Int
    /// Rejected intervals among all that arrived between the window's oldest and newest beat,
    /// in percent. α1 is sensitive to artifacts; see `isReliable`.
    public var artifactPercent: Double
    /// Whether `artifactPercent` is at most the tracker's `maximumArtifactPercent`.
    public var isReliable: Bool

    /// An estimate with the given values.
    public init(alpha1: Double, timeSeconds: Double, windowBeats: Int, artifactPercent: Double, isReliable: Bool) {
        self.alpha1 = alpha1
        self.timeSeconds = timeSeconds
        self.windowBeats = windowBeats
        self.artifactPercent = artifactPercent
        self.isReliable = isReliable
    }
}
