// SPDX-License-Identifier: MIT

/// The span of session time in which the runner's own baselines are measured: heart rate per
/// cadence band, running cadence and running speed.
///
/// The default, 10–15 min, starts after the warm-up: heart rate reaches its steady state at a
/// constant pace within a few minutes, and cardiovascular drift is described from about the
/// 10th minute of prolonged moderate exercise on (Coyle & González-Alonso 2001). Starting
/// later captures more drift in the baseline; starting earlier catches the heart rate still
/// rising. Only running time inside the window counts (see `CardioGaitTracker`).
public struct BaselineWindow: Hashable, Sendable {
    /// Session time at which the window opens, in seconds. Default 600 (10 min).
    public var startSeconds: Double
    /// Length of the window, in seconds. Default 300 (5 min).
    public var durationSeconds: Double

    /// The defaults, overridden where given.
    public init(startSeconds: Double = 600, durationSeconds: Double = 300) {
        self.startSeconds = startSeconds
        self.durationSeconds = durationSeconds
    }

    /// Session time at which the window closes, in seconds.
    public var endSeconds: Double { startSeconds + durationSeconds }

    /// Whether `timeSeconds` falls inside the window (start inclusive, end exclusive).
    public func contains(_ timeSeconds: Double) -> Bool {
        timeSeconds >= startSeconds && timeSeconds < endSeconds
    }

    /// Checks the window.
    ///
    /// - Throws: `CardioGaitConfigurationError.outOfRange` for a start outside 0–24 h or a
    ///   duration outside 10 s–24 h.
    public func validate() throws(CardioGaitConfigurationError) {
        try CardioGaitConfigurationError.check("baselineWindow.startSeconds", startSeconds, in: 0...86_400)
        try CardioGaitConfigurationError.check("baselineWindow.durationSeconds", durationSeconds, in: 10...86_400)
    }
}
