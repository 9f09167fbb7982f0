// SPDX-License-Identifier: MIT

/// The meaning of a ground-truth annotation, parsed from its text.
///
/// Grammar (DESIGN.md, extended by the simulator):
/// - `cramp onset <site> <side>`, `cramp end <site> <side>`: the cramp itself;
/// - `tightness <site> <side>`: what the runner felt before it (the prodrome);
/// - `artifact <type>` or `artifact <type> <site> <side>`: a known artifact
///   (`mains`, `motion`, `dead`, `saturation`, `dropout`);
/// - anything else is kept as ``other(_:)``.
public enum GroundTruth: Hashable, Sendable {
    case crampOnset(MuscleSite, BodySide)
    case crampEnd(MuscleSite, BodySide)
    case tightness(MuscleSite, BodySide)
    case artifact(kind: String, site: MuscleSite?, side: BodySide?)
    case other(String)

    public init(text: String) {
        let words = text.split(separator: " ").map(String.init)
        func muscle(_ i: Int) -> (MuscleSite, BodySide)? {
            guard words.count == i + 2, let site = MuscleSite(rawValue: words[i]),
                  let side = BodySide(rawValue: words[i + 1]) else { return nil }
            return (site, side)
        }
        if words.count >= 2, words[0] == "cramp", words[1] == "onset", let (m, s) = muscle(2) {
            self = .crampOnset(m, s)
        } else if words.count >= 2, words[0] == "cramp", words[1] == "end", let (m, s) = muscle(2) {
            self = .crampEnd(m, s)
        } else if words.first == "tightness", let (m, s) = muscle(1) {
            self = .tightness(m, s)
        } else if words.first == "artifact", words.count == 2 {
            self = .artifact(kind: words[1], site: nil, side: nil)
        } else if words.first == "artifact", words.count >= 2, let (m, s) = muscle(2) {
            self = .artifact(kind: words[1], site: m, side: s)
        } else {
            self = .other(text)
        }
    }

    /// The canonical text of this event.
    public var text: String {
        switch self {
        case let .crampOnset(m, s): "cramp onset \(m.rawValue) \(s.rawValue)"
        case let .crampEnd(m, s): "cramp end \(m.rawValue) \(s.rawValue)"
        case let .tightness(m, s): "tightness \(m.rawValue) \(s.rawValue)"
        case let .artifact(kind, site?, side?): "artifact \(kind) \(site.rawValue) \(side.rawValue)"
        case let .artifact(kind, _, _): "artifact \(kind)"
        case let .other(text): text
        }
    }
}
