// SPDX-License-Identifier: MIT
import SystemPackage

/// Why a CSV session file could not be read.
///
/// Names the file, the line (1-based) and the column where the problem is, what was expected
/// and what was found; ``description`` renders it on one line:
///
/// ```
/// crampd: run.csv: line 12: column "HR": value is not a finite number; expected a finite decimal number, found "NaN"
/// ```
public struct CSVError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The class of problem.
    public enum Kind: String, Hashable, Sendable {
        /// The file has no header line (it is empty, or holds only comments and blank lines).
        case emptyFile
        /// The header's first column is not `time_s`.
        case missingTimeColumn
        /// A header column is empty, duplicated, or `annotation` is not the last column.
        case invalidHeader
        /// A cell is not a number.
        case invalidNumber
        /// A cell is NaN or infinite (or too large for a sample).
        case nonFiniteNumber
        /// A row has more or fewer cells than the header has columns.
        case wrongColumnCount
        /// A row's time is not after the previous row's.
        case timeNotIncreasing
        /// A quoted cell has no closing quote on its line.
        case unterminatedQuote
        /// A line is not valid UTF-8.
        case invalidUTF8
        /// The operating system refused to open or read the file.
        case io
    }

    /// The class of problem.
    public var kind: Kind
    /// The file.
    public var path: FilePath
    /// The line, counting from 1, if the problem is on one line.
    public var line: Int?
    /// The column's header name, if the problem is in one cell.
    public var column: String?
    /// What is wrong, in a few words.
    public var what: String
    /// What the format requires there.
    public var expected: String
    /// What the file has there.
    public var found: String

    /// Creates an error; ``description`` renders it.
    public init(_ kind: Kind, path: FilePath, line: Int?, column: String? = nil, what: String, expected: String, found: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.column = column
        self.what = what
        self.expected = expected
        self.found = found
    }

    /// One line: `crampd: PATH: line N: column "C": WHAT; expected E, found F`.
    public var description: String {
        let places = (line.map { ["line \($0)"] } ?? []) + (column.map { ["column \"\($0)\""] } ?? [])
        return FileProblem.line(path: path, places: places, what: what, expected: expected, found: found)
    }
}
