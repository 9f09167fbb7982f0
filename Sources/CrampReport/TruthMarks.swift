// SPDX-License-Identifier: MIT
import CrampCore

/// A session's annotations sorted into what the report draws: spans and points on lanes.
struct TruthMark: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        /// From `cramp onset …` to its `cramp end …` (or the session end).
        case cramp
        /// `prodrome <site> <side>` with its duration.
        case prodrome
        /// `tightness <site> <side>`: what the runner felt.
        case tightness
        /// `stop`, `walk break`, `surge`, `interval`.
        case activity(String)
        /// `artifact <kind> [site side]`.
        case artifact(String)
        /// Anything else (laps, free text).
        case note
    }

    var kind: Kind
    /// The lane it is drawn on.
    var lane: TruthLane
    var startSeconds: Double
    /// `nil` for a point in time.
    var endSeconds: Double?
    /// The annotation text(s), for the tooltip.
    var text: String
    /// The short label drawn in the span, when it fits.
    var label: String

    /// The CSS class and data attribute value of the mark's kind.
    var kindName: String {
        switch kind {
        case .cramp: "cramp"
        case .prodrome: "prodrome"
        case .tightness: "tightness"
        case .activity: "activity"
        case .artifact: "artifact"
        case .note: "note"
        }
    }

    var colour: String {
        switch kind {
        case .cramp: ReportStyle.cramp
        case .prodrome: ReportStyle.prodrome
        case .tightness: ReportStyle.tightness
        case let .activity(name): ReportStyle.activityColour(name)
        case .artifact: ReportStyle.artifact
        case .note: ReportStyle.note
        }
    }
}

/// A ground-truth lane: one per muscle and side, then activity, artifacts and notes.
enum TruthLane: Hashable, Comparable, Sendable {
    case muscle(MuscleSite, BodySide)
    case activity
    case artifacts
    case notes

    var label: String {
        switch self {
        case let .muscle(site, side): "\(site.rawValue) \(side.rawValue)"
        case .activity: "activity"
        case .artifacts: "artifacts"
        case .notes: "notes"
        }
    }

    private var rank: (Int, Int, Int) {
        switch self {
        case let .muscle(site, side):
            (0, MuscleSite.allCases.firstIndex(of: site)!, BodySide.allCases.firstIndex(of: side)!)
        case .activity: (1, 0, 0)
        case .artifacts: (2, 0, 0)
        case .notes: (3, 0, 0)
        }
    }

    static func < (a: TruthLane, b: TruthLane) -> Bool { a.rank < b.rank }
}

extension TruthMark {
    /// The marks of `annotations` (in time order) for a session of `durationSeconds`.
    static func marks(_ annotations: [Annotation], durationSeconds: Double) -> [TruthMark] {
        var out: [TruthMark] = []
        for e in CrampEpisode.episodes(from: annotations, sessionEndSeconds: durationSeconds) {
            let name = "\(e.site.rawValue) \(e.side.rawValue)"
            out.append(TruthMark(
                kind: .cramp, lane: .muscle(e.site, e.side), startSeconds: e.onsetSeconds, endSeconds: e.endSeconds,
                text: "cramp \(name): \(HTML.clock(e.onsetSeconds, decimals: 1)) to \(HTML.clock(e.endSeconds, decimals: 1))",
                label: "cramp"))
        }
        for a in annotations {
            let words = a.text.split(separator: " ").map(String.init)
            let end = a.durationSeconds.flatMap { $0 > 0 ? a.onsetSeconds + $0 : nil }
            switch GroundTruth(text: a.text) {
            case .crampOnset, .crampEnd:
                continue  // drawn as episodes above
            case let .tightness(site, side):
                out.append(TruthMark(kind: .tightness, lane: .muscle(site, side), startSeconds: a.onsetSeconds,
                                     endSeconds: nil, text: a.text, label: "tightness"))
            case let .artifact(kind, site, side):
                var label = kind
                if let site, let side { label += " \(site.rawValue) \(side.rawValue)" }
                out.append(TruthMark(kind: .artifact(kind), lane: .artifacts, startSeconds: a.onsetSeconds,
                                     endSeconds: end, text: a.text, label: label))
            case .other:
                if words.count == 3, words[0] == "prodrome", let site = MuscleSite(rawValue: words[1]),
                   let side = BodySide(rawValue: words[2]) {
                    out.append(TruthMark(kind: .prodrome, lane: .muscle(site, side), startSeconds: a.onsetSeconds,
                                         endSeconds: end, text: a.text, label: "prodrome"))
                } else if ["stop", "walk break", "surge", "interval"].contains(a.text) {
                    out.append(TruthMark(kind: .activity(a.text), lane: .activity, startSeconds: a.onsetSeconds,
                                         endSeconds: end, text: a.text, label: a.text))
                } else {
                    out.append(TruthMark(kind: .note, lane: .notes, startSeconds: a.onsetSeconds, endSeconds: end,
                                         text: a.text, label: a.text))
                }
            }
        }
        return out.enumerated().sorted {
            ($0.element.lane, $0.element.startSeconds, $0.offset) < ($1.element.lane, $1.element.startSeconds, $1.offset)
        }.map(\.element)
    }
}
