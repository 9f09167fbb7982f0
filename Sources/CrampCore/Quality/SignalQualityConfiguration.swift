// SPDX-License-Identifier: MIT

/// The thresholds of the signal-quality flags. Every property has a default (docs/FEATURES.md
/// says why each value).
public struct SignalQualityConfiguration: Hashable, Sendable {
    /// Dead electrode if the window's conditioned RMS is below this (µV). Default 1.5: below
    /// the 2–4 µV of a quiet muscle under a good amplifier; the dead lateral-gastrocnemius
    /// electrode of the elderly lower-limb recordings shows 1.3–1.5 µV.
    public var deadRMS: Float
    /// Dead electrode if the raw samples span at most this many quantisation steps. Default 12:
    /// such a signal is quantisation noise around an offset, whatever its RMS.
    public var deadQuantisationLevels: Float
    /// Saturation if at least this fraction of the raw samples is within `railMargin` of the
    /// physical minimum or maximum. Default 0.01.
    public var saturationFraction: Float
    /// "Near the rail", as a fraction of the physical range. Default 0.001 (5 µV of ±5000 µV).
    public var railMargin: Double
    /// Mains dominance if at least this fraction of the band's power is hum. Default 0.5 (hum
    /// carries as much power as everything else).
    public var mainsFraction: Float
    /// Motion artefact if the raw 1–20 Hz RMS is at least this multiple of the window's
    /// conditioned RMS … Default 2.
    public var motionRatio: Float
    /// … and at least this (µV). Default 50.
    public var motionMinimumRMS: Float
    /// Dropout if a run of exactly equal raw samples lasts this long. Default 100 ms.
    public var dropoutDuration: Duration

    /// The defaults, overridden where given.
    public init(
        deadRMS: Float = 1.5, deadQuantisationLevels: Float = 12, saturationFraction: Float = 0.01,
        railMargin: Double = 0.001, mainsFraction: Float = 0.5, motionRatio: Float = 2, motionMinimumRMS: Float = 50,
        dropoutDuration: Duration = .milliseconds(100)
    ) {
        self.deadRMS = deadRMS
        self.deadQuantisationLevels = deadQuantisationLevels
        self.saturationFraction = saturationFraction
        self.railMargin = railMargin
        self.mainsFraction = mainsFraction
        self.motionRatio = motionRatio
        self.motionMinimumRMS = motionMinimumRMS
        self.dropoutDuration = dropoutDuration
    }
}
