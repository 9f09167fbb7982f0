// SPDX-License-Identifier: MIT

/// The sliding window over which features are computed: `length` samples, advanced by `hop`
/// samples (the overlap is `length − hop`).
public struct WindowConfiguration: Hashable, Sendable {
    /// The shortest window accepted, in samples.
    public static let minimumLength = 16

    /// Samples per window.
    public let length: Int
    /// Samples between the ends of consecutive windows, `1...length`.
    public let hop: Int

    /// A window of `length` samples moved by `hop` samples.
    ///
    /// - Throws: `FeatureConfigurationError.invalidWindowLength` for fewer than
    ///   `minimumLength` samples, `.invalidHop` for a hop outside `1...length`.
    public init(length: Int, hop: Int) throws(FeatureConfigurationError) {
        guard length >= Self.minimumLength else {
            throw .invalidWindowLength(length, minimum: Self.minimumLength)
        }
        guard (1...length).contains(hop) else { throw .invalidHop(hop, length: length) }
        self.length = length
        self.hop = hop
    }

    /// crampd's default at `sampleRate`: a window of about 250 ms with 75 % overlap — the
    /// length is 250 ms rounded to a multiple of 4 samples (`4·round(fs/16)`, halves away from
    /// zero) and the hop is exactly a quarter of it: 500/125 samples at 2 kHz, 1000/250 at
    /// 4 kHz, 252/63 at 1 kHz, 124/31 at 500 Hz, 52/13 at 200 Hz. A whole number of hops per
    /// window lets `SlidingFeatureExtractor` sum each block once instead of four times.
    ///
    /// Why 250 ms: EMG is treated as quasi-stationary over 0.25–0.5 s in dynamic contractions,
    /// and a stance-phase calf burst in running lasts about 150–300 ms, so a longer window would
    /// smear bursts with the silence between them. 250 ms gives 4 Hz spectral bins — MNF/MDF
    /// (60–150 Hz) resolved to a few percent — and 250 ms is the usual upper bound for
    /// myoelectric feature windows (Englehart & Hudgins 2003). The 75 % overlap gives a new
    /// feature vector every 62.5 ms (16 per second, about 5 per stride) for 4× the work of
    /// non-overlapping windows. At other rates the duration is kept, not the sample count.
    ///
    /// - Throws: `FeatureConfigurationError.invalidSampleRate` if the rate is not finite and
    ///   positive, `.invalidWindowLength` if 250 ms is fewer than `minimumLength` samples.
    public static func standard(sampleRate: Hertz) throws(FeatureConfigurationError) -> WindowConfiguration {
        guard sampleRate.value.isFinite, sampleRate.value > 0 else { throw .invalidSampleRate(sampleRate) }
        let quarter = Int((sampleRate.value / 16).rounded(.toNearestOrAwayFromZero))
        return try WindowConfiguration(length: 4 * quarter, hop: quarter)
    }
}
