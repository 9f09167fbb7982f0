// SPDX-License-Identifier: MIT

/// How one EMG channel is conditioned before its features are computed: band-pass, then mains
/// notches. Every property has a default; the defaults are crampd's documented filter
/// (docs/FEATURES.md).
public struct EMGConditioningConfiguration: Hashable, Sendable {
    /// The band kept, and over which spectral features are computed. Default 20–450 Hz.
    public var band: FrequencyBand
    /// The Butterworth prototype order N of the band-pass (N sections, 2N poles; see
    /// `Butterworth`). Default 4, as `butter(4, [20, 450], "bandpass")` in SciPy and LibEMG.
    public var bandPassOrder: Int
    /// The mains frequency to notch out, or `nil` for no notch (the default, until
    /// `MainsDetector` or the user says which grid the recording comes from).
    public var mains: MainsFrequency?
    /// The notches' quality factor `Q = f0 / bandwidth(−3 dB)`. Default 30: the fundamental's
    /// notch is 1.7 Hz wide at 50 Hz (2 Hz at 60 Hz), wide enough for the grid's normal drift
    /// (±0.2 Hz in Europe) and narrow enough to remove almost no EMG. Because Q is the same for
    /// every harmonic, the notch at `k·f0` is `k` times wider, just as the harmonic drifts `k`
    /// times as far. Q = 30 is also SciPy's documented `iirnotch` example.
    public var notchQualityFactor: Double
    /// Which harmonics get a notch. Default `.withinPassBand`.
    public var notchHarmonics: NotchHarmonics
    /// The lowest upper band edge at which spectral features still mean something. When the
    /// configured upper edge is above `maximumUpperEdgeFractionOfNyquist` of Nyquist it is
    /// lowered to that fraction; if that leaves less than this, the rate is too low for the
    /// band and spectral features are unavailable. Default 200 Hz: the bulk of sEMG power lies
    /// below 200–250 Hz, so 500 Hz EMG (band 20–225 Hz) still gives usable MNF/MDF, while 200 Hz
    /// EMG (20–90 Hz) would cut the spectrum in half and bias them.
    public var minimumSpectralUpperEdge: Hertz

    /// The highest upper edge a band-pass is designed with, as a fraction of Nyquist: 0.9.
    /// SciPy rejects an edge at Nyquist; closer than this the bilinear warping squeezes the
    /// upper transition band into a few bins.
    public static let maximumUpperEdgeFractionOfNyquist = 0.9

    /// The defaults, overridden where given.
    public init(
        band: FrequencyBand = .surfaceEMG,
        bandPassOrder: Int = 4,
        mains: MainsFrequency? = nil,
        notchQualityFactor: Double = 30,
        notchHarmonics: NotchHarmonics = .withinPassBand,
        minimumSpectralUpperEdge: Hertz = Hertz(200)
    ) {
        self.band = band
        self.bandPassOrder = bandPassOrder
        self.mains = mains
        self.notchQualityFactor = notchQualityFactor
        self.notchHarmonics = notchHarmonics
        self.minimumSpectralUpperEdge = minimumSpectralUpperEdge
    }
}
