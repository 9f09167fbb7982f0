// SPDX-License-Identifier: MIT

/// A band of frequencies between two edges, `lower < upper`, both in hertz.
public struct FrequencyBand: Hashable, Sendable, CustomStringConvertible {
    /// The lower edge.
    public let lower: Hertz
    /// The upper edge.
    public let upper: Hertz

    /// Creates a band.
    ///
    /// - Throws: `FilterDesignError.invalidBand` unless `0 < lower < upper` and both are finite.
    public init(lower: Hertz, upper: Hertz) throws(FilterDesignError) {
        guard lower.value.isFinite, upper.value.isFinite, lower.value > 0, lower < upper else {
            throw .invalidBand(lower: lower, upper: upper)
        }
        self.lower = lower
        self.upper = upper
    }

    /// For constants known to be valid.
    init(uncheckedLower lower: Double, upper: Double) {
        self.lower = Hertz(lower)
        self.upper = Hertz(upper)
    }

    /// The conventional surface-EMG band, 20–450 Hz (SENIAM; De Luca et al. 2010 recommend a
    /// 20 Hz high-pass corner against movement artefact; 450 Hz keeps nearly all sEMG power).
    public static let surfaceEMG = FrequencyBand(uncheckedLower: 20, upper: 450)

    /// Whether `frequency` lies in the band, edges included.
    public func contains(_ frequency: Hertz) -> Bool { lower <= frequency && frequency <= upper }

    public var description: String { "\(lower)–\(upper)" }
}
