// SPDX-License-Identifier: MIT

/// Everything `SessionFeaturePipeline` can be told. Every property has a default; the defaults
/// are crampd's documented behaviour (docs/FEATURES.md).
public struct SessionFeatureConfiguration: Hashable, Sendable {
    /// The sliding window, in samples, for every EMG rate; `nil` (default) for
    /// `WindowConfiguration.standard(sampleRate:)` at each rate (250 ms, 75 % overlap).
    public var window: WindowConfiguration?
    /// The band-pass and notch design (its `mains` is ignored: see `mains`).
    public var conditioning: EMGConditioningConfiguration
    /// How the notches are chosen. Default `.automatic`.
    public var mains: MainsSetting
    /// The burst detector.
    public var bursts: BurstDetectorConfiguration
    /// Strides, their baseline, and the runner's baseline.
    public var strides: StrideConfiguration
    /// The signal-quality thresholds.
    public var quality: SignalQualityConfiguration
    /// How much conditioned signal each EMG channel keeps for the features of bursts and
    /// strides decided after their samples arrived. Default 6 s (three walking strides and
    /// their decision delay).
    public var history: Duration
    /// The longest burst segment analysed spectrally (rounded up to a power-of-two sample count);
    /// longer bursts are analysed over their centre. Default 250 ms — 256 samples at 1 kHz, 512
    /// at 2 kHz: the resolution of the window features, and the whole of most stance bursts of
    /// running.
    public var burstSpectrumDuration: Duration
    /// The zero-crossing threshold ε of the window features, µV. Default 1.
    public var zeroCrossingThreshold: Float

    /// The defaults, overridden where given.
    public init(
        window: WindowConfiguration? = nil, conditioning: EMGConditioningConfiguration = .init(),
        mains: MainsSetting = .automatic, bursts: BurstDetectorConfiguration = .init(),
        strides: StrideConfiguration = .init(), quality: SignalQualityConfiguration = .init(),
        history: Duration = .seconds(6), burstSpectrumDuration: Duration = .milliseconds(250),
        zeroCrossingThreshold: Float = 1
    ) {
        self.window = window
        self.conditioning = conditioning
        self.mains = mains
        self.bursts = bursts
        self.strides = strides
        self.quality = quality
        self.history = history
        self.burstSpectrumDuration = burstSpectrumDuration
        self.zeroCrossingThreshold = zeroCrossingThreshold
    }
}
