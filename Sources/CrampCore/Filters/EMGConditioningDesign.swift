// SPDX-License-Identifier: MIT

/// The filters that condition one EMG channel at one sample rate, designed once and shared by
/// every channel at that rate: the band-pass (or, at a rate too low for the band, a high-pass)
/// followed by the mains notches, as one list of second-order sections.
///
/// **DC removal.** There is no separate DC stage: the Butterworth band-pass has N zeros at
/// z = 1, so its gain at DC is exactly zero and a constant offset decays with the band-pass's
/// own time constant (≈ 0.1 s at 20 Hz). The high-pass used at low rates has the same zeros.
///
/// The reference for the whole chain is
/// `scipy.signal.sosfilt(np.vstack([butter_sos] + [iirnotch(f, Q, fs) as sos rows]), x)`.
public struct EMGConditioningDesign: Hashable, Sendable {
    /// The rate the filters run at.
    public let sampleRate: Hertz
    /// The configuration this design implements.
    public let configuration: EMGConditioningConfiguration
    /// What the design could do at this rate.
    public let status: EMGConditioningStatus
    /// The band-pass sections (or the high-pass sections when spectral features are
    /// unavailable).
    public let bandSections: [BiquadCoefficients]
    /// The centre frequencies of the notches, ascending (empty without `mains`).
    public let notchFrequencies: [Hertz]
    /// One notch section per entry of `notchFrequencies`.
    public let notchSections: [BiquadCoefficients]

    /// All sections in processing order: band, then notches.
    public var sections: [BiquadCoefficients] { bandSections + notchSections }

    /// Designs the conditioning for `sampleRate`.
    ///
    /// A rate too low for the band is not an error here: the design then reports
    /// `.spectralFeaturesUnavailable(.rateTooLowForBand(…))` in `status`. Errors are for
    /// configurations that cannot be run at all.
    ///
    /// - Throws: `FilterDesignError.invalidSampleRate`, `.invalidOrder`,
    ///   `.invalidQualityFactor`, or `.rateTooLowForBand` when even the band's lower edge is
    ///   above 90 % of Nyquist (nothing of the band is left to high-pass).
    public init(sampleRate: Hertz, configuration: EMGConditioningConfiguration = .init())
        throws(FilterDesignError)
    {
        try BiquadCoefficients.validate(sampleRate: sampleRate)
        let config = configuration
        guard config.notchQualityFactor.isFinite, config.notchQualityFactor > 0 else {
            throw .invalidQualityFactor(config.notchQualityFactor)
        }
        let nyquist = sampleRate.value / 2
        let ceiling = EMGConditioningConfiguration.maximumUpperEdgeFractionOfNyquist * nyquist
        let requested = config.band

        let status: EMGConditioningStatus
        let bandSections: [BiquadCoefficients]
        if requested.upper.value <= ceiling {
            status = .fullBand(requested)
            bandSections = try Butterworth.bandPass(order: config.bandPassOrder, band: requested, sampleRate: sampleRate)
        } else if ceiling >= config.minimumSpectralUpperEdge.value, requested.lower.value < ceiling {
            let lowered = try FrequencyBand(lower: requested.lower, upper: Hertz(ceiling))
            status = .upperEdgeLowered(band: lowered, requested: requested)
            bandSections = try Butterworth.bandPass(order: config.bandPassOrder, band: lowered, sampleRate: sampleRate)
        } else {
            let reason = FilterDesignError.rateTooLowForBand(rate: sampleRate, band: requested)
            guard requested.lower.value < ceiling else { throw reason }
            status = .spectralFeaturesUnavailable(reason)
            bandSections = try Butterworth.highPass(order: config.bandPassOrder, cutoff: requested.lower, sampleRate: sampleRate)
        }

        var notchFrequencies: [Hertz] = []
        if let mains = config.mains {
            let f0 = mains.frequency.value
            let limit: Double = switch config.notchHarmonics {
            case .fundamentalOnly: f0
            case .withinPassBand: status.spectralBand?.upper.value ?? nyquist
            case .belowNyquist: nyquist
            }
            var k = 1.0
            while k * f0 <= limit && k * f0 < nyquist {
                notchFrequencies.append(Hertz(k * f0))
                k += 1
            }
        }
        var notchSections: [BiquadCoefficients] = []
        for f in notchFrequencies {
            notchSections.append(try .notch(frequency: f, qualityFactor: config.notchQualityFactor, sampleRate: sampleRate))
        }

        self.sampleRate = sampleRate
        self.configuration = config
        self.status = status
        self.bandSections = bandSections
        self.notchFrequencies = notchFrequencies
        self.notchSections = notchSections
    }
}
