// SPDX-License-Identifier: MIT
import CrampCore

/// One channel column of a CSV session file: its header `label [unit]`.
public struct CSVColumn: Hashable, Sendable {
    /// The label, as in EDF (`EMG gastroc L`, `HR`, `Cadence`).
    public var label: String
    /// The unit given in brackets after the label (`bpm` for `HR [bpm]`), if any.
    public var unit: String?
    /// The crampd channel the label names, or `nil` if it names none (carried, not analysed).
    public var channel: ChannelDescriptor?

    /// Creates a column description.
    public init(label: String, unit: String?) {
        self.label = label
        self.unit = unit
        channel = ChannelDescriptor(label: label)
    }

    /// Parses a header cell: `label` or `label [unit]`.
    init(headerCell cell: String) {
        if cell.hasSuffix("]"), let open = cell.lastIndex(of: "[") {
            let label = cell[..<open].trimmingSpaces()
            let unit = cell[cell.index(after: open)..<cell.index(before: cell.endIndex)].trimmingSpaces()
            self.init(label: String(label), unit: unit.isEmpty ? nil : String(unit))
        } else {
            self.init(label: cell, unit: nil)
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
