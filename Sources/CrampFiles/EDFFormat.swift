// SPDX-License-Identifier: MIT

/// The flavour of a European Data Format file, from its version and reserved fields.
///
/// - EDF: version `0`, 16-bit samples; EDF+ says `EDF+C` (continuous) or `EDF+D`
///   (discontinuous) in the reserved field and carries an `EDF Annotations` signal.
/// - BDF (BioSemi): version byte `0xFF` followed by `BIOSEMI`, 24-bit samples; BDF+ says
///   `BDF+C`/`BDF+D` and carries a `BDF Annotations` signal.
public enum EDFFormat: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Plain EDF (1992): 16-bit samples, no annotations, records back to back.
    case edf = "EDF"
    /// EDF+ continuous: records back to back, annotations in `EDF Annotations`.
    case edfPlusC = "EDF+C"
    /// EDF+ discontinuous: each record's onset comes from its time-keeping TAL.
    case edfPlusD = "EDF+D"
    /// Plain BDF (BioSemi): 24-bit samples.
    case bdf = "BDF"
    /// BDF+ continuous.
    case bdfPlusC = "BDF+C"
    /// BDF+ discontinuous.
    case bdfPlusD = "BDF+D"

    /// Bytes per sample: 2 for EDF, 3 for BDF.
    public var bytesPerSample: Int { isBDF ? 3 : 2 }

    /// True for BDF and BDF+.
    public var isBDF: Bool { self == .bdf || self == .bdfPlusC || self == .bdfPlusD }

    /// True for EDF+ and BDF+ (files with annotation signals and time-keeping TALs).
    public var isPlus: Bool { self != .edf && self != .bdf }

    /// True for EDF+D and BDF+D, whose data records may have gaps between them.
    public var isDiscontinuous: Bool { self == .edfPlusD || self == .bdfPlusD }

    /// The label of this format's annotation signal (`EDF Annotations`, `BDF Annotations`).
    public var annotationLabel: String { isBDF ? "BDF Annotations" : "EDF Annotations" }

    /// The smallest and largest digital value a sample can hold.
    public var digitalLimits: ClosedRange<Int32> { isBDF ? -8_388_608...8_388_607 : -32768...32767 }

    /// The name as written in the reserved field (`EDF+C`) or, for plain files, `EDF`/`BDF`.
    public var description: String { rawValue }
}
