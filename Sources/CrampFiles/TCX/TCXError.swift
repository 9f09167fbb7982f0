// SPDX-License-Identifier: MIT
import SystemPackage

/// Why a TCX file could not be read: names the file, the line (and column, for XML errors),
/// what was expected and what was found.
///
/// ```
/// crampd: run.tcx: line 31: Trackpoint has no Time; expected a <Time> element (xsd:dateTime), found none
/// ```
public struct TCXError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The class of problem, for callers (and tests) that branch on it.
    public enum Kind: String, Hashable, Sendable {
        /// The XML is not well formed (libxml2's message).
        case malformedXML
        /// The document is XML but not a TrainingCenterDatabase.
        case notTCX
        /// A Trackpoint has no Time.
        case missingTime
        /// A time is not an xsd:dateTime.
        case invalidTime
        /// A numeric element holds something else, or a value out of its range.
        case invalidNumber
        /// The file cannot be read.
        case io
    }

    /// The class of problem.
    public var kind: Kind
    /// The file.
    public var path: FilePath
    /// The line (from 1), when the problem has one.
    public var line: Int?
    /// The column (from 1), for XML errors.
    public var column: Int?
    /// What is wrong, in a few words.
    public var what: String
    /// What TCX requires there.
    public var expected: String
    /// What the file has there.
    public var found: String

    public init(_ kind: Kind, path: FilePath, line: Int?, column: Int? = nil, what: String, expected: String, found: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.column = column
        self.what = what
        self.expected = expected
        self.found = found
    }

    /// One line: `crampd: PATH: line N[, column C]: WHAT; expected E, found F`.
    public var description: String {
        let places = line.map { ["line \($0)" + (column.map { ", column \($0)" } ?? "")] } ?? []
        return FileProblem.line(path: path, places: places, what: what, expected: expected, found: found)
    }
}
