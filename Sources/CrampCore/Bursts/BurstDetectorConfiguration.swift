// SPDX-License-Identifier: MIT

/// The parameters of `BurstDetector`. Every property has a default; the defaults are the ones
/// docs/FEATURES.md documents and the real-EMG tests check.
public struct BurstDetectorConfiguration: Hashable, Sendable {
    /// The envelope's frame: Teager–Kaiser energy is averaged over frames of this length, and
    /// onsets and offsets have this resolution. Default 5 ms (rounded to whole samples, at
    /// least one).
    public var frameDuration: Duration
    /// The centred moving average smoothing the frame energies: `2h + 1` frames with
    /// `h = round(smoothing / (2 · frame))`. Default 55 ms (11 frames of 5 ms). The envelope
    /// lags the signal by `h` frames; the detector compensates that exactly (it decides `h`
    /// frames late), so onsets are not delayed.
    public var smoothingDuration: Duration
    /// A burst starts when the envelope rises above `onsetRatio × noise floor`. Default 4.
    public var onsetRatio: Double
    /// A burst ends when the envelope falls below `offsetRatio × noise floor` (hysteresis:
    /// lower than `onsetRatio`). Default 2.5.
    public var offsetRatio: Double
    /// Bursts shorter than this (after merging) are dropped. Default 30 ms: the shortest
    /// twitches of the prodrome (DESIGN.md) still count.
    public var minimumDuration: Duration
    /// Two bursts separated by less than this are one burst. Default 50 ms.
    public var minimumGap: Duration
    /// The noise floor is built from the envelope's minimum over segments of this length.
    /// Default 250 ms: shorter than the quiet part of any gait cycle, so every segment of
    /// running or walking holds some inter-burst envelope.
    public var noiseFloorSegment: Duration
    /// The noise floor is the median of the segment minima over this span. Default 10 s: it
    /// follows a rising inter-stride baseline (a prodrome) within seconds, and a burst cannot
    /// move it because a burst raises the minimum of few segments.
    public var noiseFloorSpan: Duration
    /// The floor is never below this, in envelope units (µV). Default 0.5: a channel of exact
    /// zeros (a dropout) does not turn every quantisation step into a burst.
    public var minimumNoiseFloor: Float

    /// The defaults, overridden where given.
    public init(
        frameDuration: Duration = .milliseconds(5),
        smoothingDuration: Duration = .milliseconds(55),
        onsetRatio: Double = 4,
        offsetRatio: Double = 2.5,
        minimumDuration: Duration = .milliseconds(30),
        minimumGap: Duration = .milliseconds(50),
        noiseFloorSegment: Duration = .milliseconds(250),
        noiseFloorSpan: Duration = .seconds(10),
        minimumNoiseFloor: Float = 0.5
    ) {
        self.frameDuration = frameDuration
        self.smoothingDuration = smoothingDuration
        self.onsetRatio = onsetRatio
        self.offsetRatio = offsetRatio
        self.minimumDuration = minimumDuration
        self.minimumGap = minimumGap
        self.noiseFloorSegment = noiseFloorSegment
        self.noiseFloorSpan = noiseFloorSpan
        self.minimumNoiseFloor = minimumNoiseFloor
    }
}
