// SPDX-License-Identifier: MIT

/// What one signal of a session is: its kind, and for EMG its muscle site and side.
///
/// The label form is the exchange contract with EDF+ and CSV files (DESIGN.md):
/// `EMG gastroc L`, `EMG soleus R`, `HR`, `RR`, `Cadence`, `Speed`.
public struct ChannelDescriptor: Hashable, Sendable, CustomStringConvertible {
    public var kind: ChannelKind
    /// The muscle site, for EMG channels only.
    public var site: MuscleSite?
    /// The side, for EMG channels (and per-foot sensors) only.
    public var side: BodySide?

    /// An EMG channel on `site` and `side`.
    public static func emg(_ site: MuscleSite, _ side: BodySide) -> ChannelDescriptor {
        ChannelDescriptor(kind: .emg, site: site, side: side)
    }

    public static let heartRate = ChannelDescriptor(kind: .hr, site: nil, side: nil)
    public static let rrInterval = ChannelDescriptor(kind: .rr, site: nil, side: nil)
    public static let cadence = ChannelDescriptor(kind: .cadence, site: nil, side: nil)
    public static let speed = ChannelDescriptor(kind: .speed, site: nil, side: nil)

    public init(kind: ChannelKind, site: MuscleSite?, side: BodySide?) {
        self.kind = kind
        self.site = site
        self.side = side
    }

    /// Parses a signal label as written in EDF+ and CSV headers.
    ///
    /// Accepts the canonical labels and, leniently, any letter case and runs of spaces, so
    /// labels written by other tools (`emg Gastroc l`) are still understood. Returns `nil` for a
    /// label that names no crampd channel; such signals are carried through but not analysed.
    public init?(label: String) {
        let words = label.split(whereSeparator: { $0 == " " || $0 == "_" }).map { $0.lowercased() }
        guard let first = words.first else { return nil }
        switch (first, words.count) {
        case ("emg", 3):
            guard let site = MuscleSite(rawValue: words[1]),
                  let side = BodySide(rawValue: words[2].uppercased()) else { return nil }
            self = .emg(site, side)
        case ("hr", 1): self = .heartRate
        case ("rr", 1): self = .rrInterval
        case ("cadence", 1): self = .cadence
        case ("speed", 1): self = .speed
        default: return nil
        }
    }

    /// The canonical label (`EMG gastroc L`, `HR`, `Cadence`, …).
    public var label: String {
        switch kind {
        case .emg: "EMG \(site?.rawValue ?? "unknown") \(side?.rawValue ?? "?")"
        case .hr: "HR"
        case .rr: "RR"
        case .cadence: "Cadence"
        case .speed: "Speed"
        }
    }

    public var description: String { label }
}
