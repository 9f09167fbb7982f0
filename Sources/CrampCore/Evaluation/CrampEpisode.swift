// SPDX-License-Identifier: MIT

/// One cramp in the ground truth: a muscle, a side, and when it started and ended.
public struct CrampEpisode: Hashable, Sendable {
    public var site: MuscleSite
    public var side: BodySide
    public var onsetSeconds: Double
    public var endSeconds: Double

    public init(site: MuscleSite, side: BodySide, onsetSeconds: Double, endSeconds: Double) {
        self.site = site
        self.side = side
        self.onsetSeconds = onsetSeconds
        self.endSeconds = endSeconds
    }

    /// Pairs each `cramp onset <site> <side>` annotation with the next `cramp end` of the same
    /// muscle and side. An onset without an end lasts to `sessionEndSeconds`, or to the end of
    /// the annotation's own duration when it has one.
    public static func episodes(from annotations: [Annotation], sessionEndSeconds: Double) -> [CrampEpisode] {
        let sorted = annotations.sorted { $0.onsetSeconds < $1.onsetSeconds }
        var open: [(site: MuscleSite, side: BodySide, onset: Double, duration: Double?)] = []
        var out: [CrampEpisode] = []
        for a in sorted {
            switch GroundTruth(text: a.text) {
            case let .crampOnset(site, side):
                open.append((site, side, a.onsetSeconds, a.durationSeconds))
            case let .crampEnd(site, side):
                if let i = open.firstIndex(where: { $0.site == site && $0.side == side }) {
                    let o = open.remove(at: i)
                    out.append(CrampEpisode(site: site, side: side, onsetSeconds: o.onset, endSeconds: a.onsetSeconds))
                }
            default:
                continue
            }
        }
        for o in open {
            let end = o.duration.map { o.onset + $0 } ?? sessionEndSeconds
            out.append(CrampEpisode(site: o.site, side: o.side, onsetSeconds: o.onset, endSeconds: end))
        }
        return out.sorted { ($0.onsetSeconds, $0.site.rawValue, $0.side.rawValue) < ($1.onsetSeconds, $1.site.rawValue, $1.side.rawValue) }
    }
}
