// SPDX-License-Identifier: MIT
import CrampCore
import SystemPackage

/// Streams a CSV session file row by row (format: `Recordings/README.md`, "CSV format").
///
/// ```
/// # any leading comment lines
/// time_s,EMG gastroc L [uV],HR [bpm],Cadence [spm],annotation
/// 0.0000,12.5,,,
/// 0.0005,-3.1,,,
/// 0.2500,8.0,142,172,"tightness gastroc L"
/// ```
///
/// The header names the columns: `time_s` first, one column per channel (`label [unit]`), and an
/// optional last `annotation` column. In each row an empty cell means "no sample of this channel
/// at this time", so channels at different rates share one file. Memory is bounded by one line.
public final class CSVSessionReader {
    /// The file being read.
    public let path: FilePath
    /// The channel columns, in file order (without `time_s` and `annotation`).
    public let columns: [CSVColumn]
    /// True if the header ends with an `annotation` column.
    public let hasAnnotationColumn: Bool
    /// The leading `#` comment lines, without the `#` and one following space.
    public let comments: [String]

    /// The current row's time, in seconds from the session start.
    public private(set) var timeSeconds: Double = 0
    /// The current row's values, one per column of ``columns``; `nil` where the cell is empty.
    /// The array is reused by the next ``nextRow()``.
    public private(set) var values: [Float?]
    /// The current row's annotation (onset = ``timeSeconds``), if its annotation cell has text.
    public private(set) var rowAnnotation: Annotation?
    /// The line number (from 1) of the current row.
    public private(set) var lineNumber = 0
    /// Rows read so far.
    public private(set) var rowsRead = 0

    private var fd: FileDescriptor?
    private var lines: LineReader
    private let headerNames: [String]
    private var cells: [Cell] = []

    /// Opens `path` and reads its comment lines and header.
    ///
    /// - Throws: ``CSVError`` `.io` if it cannot be opened or read, `.emptyFile` without a
    ///   header line, `.missingTimeColumn` if the first column is not `time_s`,
    ///   `.invalidHeader` for an empty or duplicate column name or a misplaced `annotation`
    ///   column, `.invalidUTF8`, `.unterminatedQuote`.
    public init(path: FilePath) throws(CSVError) {
        self.path = path
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(path, .readOnly)
        } catch {
            throw CSVError(.io, path: path, line: nil, what: "cannot open the file: \(error)", expected: "", found: "")
        }
        lines = LineReader(fd: fd)
        do throws(CSVError) {
            var comments: [String] = []
            var header: [String]?
            var number = 0
            while header == nil {
                guard let line = try Self.next(&lines, path: path, line: number + 1) else { break }
                number += 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                if line.first == 0x23 {
                    var text = String(try Self.text(line.dropFirst(), path: path, line: number))
                    if text.hasPrefix(" ") { text.removeFirst() }
                    comments.append(text)
                    continue
                }
                var cells: [Cell] = []
                try Self.split(line, into: &cells, path: path, line: number)
                header = try cells.map { cell throws(CSVError) in
                    String(try Self.text(cell.unescaped(line), path: path, line: number).trimmingSpaces())
                }
            }
            guard let header else {
                throw CSVError(.emptyFile, path: path, line: nil, what: "the file has no header line",
                               expected: "a header line starting with time_s", found: number == 0 ? "an empty file" : "only comments and blank lines")
            }
            let first = header[0]
            guard first == "time_s" || CSVColumn(headerCell: first) == CSVColumn(label: "time_s", unit: "s") else {
                throw CSVError(.missingTimeColumn, path: path, line: number, column: first, what: "the first column must be the time",
                               expected: "\"time_s\"", found: "\"\(first)\"")
            }
            var columns: [CSVColumn] = []
            var hasAnnotation = false
            for (i, name) in header.enumerated().dropFirst() {
                if name.lowercased() == "annotation" {
                    guard i == header.count - 1 else {
                        throw CSVError(.invalidHeader, path: path, line: number, column: name, what: "the annotation column must be the last one",
                                       expected: "annotation as column \(header.count)", found: "column \(i + 1)")
                    }
                    hasAnnotation = true
                    continue
                }
                let column = CSVColumn(headerCell: name)
                guard !column.label.isEmpty else {
                    throw CSVError(.invalidHeader, path: path, line: number, what: "column \(i + 1) has no name",
                                   expected: "a channel label such as \"HR [bpm]\"", found: "\"\(name)\"")
                }
                guard !columns.contains(where: { $0.label == column.label }), column.label != "time_s" else {
                    throw CSVError(.invalidHeader, path: path, line: number, column: name, what: "column name appears twice",
                                   expected: "one column per channel", found: "a second \"\(column.label)\"")
                }
                columns.append(column)
            }
            self.comments = comments
            self.columns = columns
            hasAnnotationColumn = hasAnnotation
            headerNames = header
            values = [Float?](repeating: nil, count: columns.count)
            lineNumber = number
            self.fd = fd
        } catch {
            try? fd.close()
            throw error
        }
    }

    deinit {
        try? fd?.close()
    }

    /// Closes the file; ``nextRow()`` then returns `false`. Calling it again does nothing.
    public func close() {
        try? fd?.close()
        fd = nil
    }

    /// Reads the next row (blank lines are skipped).
    ///
    /// - Returns: `false` at the end of the file.
    /// - Throws: ``CSVError`` `.wrongColumnCount`, `.invalidNumber`, `.nonFiniteNumber`,
    ///   `.timeNotIncreasing`, `.unterminatedQuote`, `.invalidUTF8`, `.io`, with the line and column.
    public func nextRow() throws(CSVError) -> Bool {
        guard fd != nil else { return false }
        var line: ArraySlice<UInt8>
        repeat {
            guard let next = try Self.next(&lines, path: path, line: lineNumber + 1) else { return false }
            line = next
            lineNumber += 1
        } while line.allSatisfy({ $0 == 0x20 || $0 == 0x09 })
        try Self.split(line, into: &cells, path: path, line: lineNumber)
        guard cells.count == headerNames.count else {
            throw CSVError(.wrongColumnCount, path: path, line: lineNumber,
                           what: cells.count < headerNames.count ? "row has missing columns" : "row has extra columns",
                           expected: "\(headerNames.count) cells (as in the header)", found: "\(cells.count)")
        }
        let time = try number(cells[0], in: line, column: 0)
        if rowsRead > 0 && !(time > timeSeconds) {
            throw CSVError(.timeNotIncreasing, path: path, line: lineNumber, column: headerNames[0],
                           what: "timestamps must be strictly increasing", expected: "a time after \(timeSeconds) s", found: "\(time)")
        }
        for i in 0..<columns.count {
            let cell = cells[i + 1]
            if cell.isBlank(in: line) {
                values[i] = nil
                continue
            }
            let v = try number(cell, in: line, column: i + 1)
            let f = Float(v)
            guard f.isFinite else {
                throw CSVError(.nonFiniteNumber, path: path, line: lineNumber, column: headerNames[i + 1],
                               what: "value does not fit in a 32-bit float", expected: "a magnitude below 3.4e38", found: "\(v)")
            }
            values[i] = f
        }
        rowAnnotation = nil
        if hasAnnotationColumn, let cell = cells.last, !cell.isBlank(in: line) {
            let text = try Self.text(cell.unescaped(line), path: path, line: lineNumber)
            let trimmed = text.trimmingSpaces()
            if !trimmed.isEmpty { rowAnnotation = Annotation(onsetSeconds: time, text: String(trimmed)) }
        }
        timeSeconds = time
        rowsRead += 1
        return true
    }

    /// Reads every annotation of the CSV file at `path`, validating the whole file on the way.
    public static func readAllAnnotations(path: FilePath) throws(CSVError) -> [Annotation] {
        let reader = try CSVSessionReader(path: path)
        defer { reader.close() }
        var all: [Annotation] = []
        while try reader.nextRow() {
            if let a = reader.rowAnnotation { all.append(a) }
        }
        return all
    }

    // MARK: - Cells

    /// One cell of a line: its byte range, and whether it was quoted.
    struct Cell {
        var range: Range<Int>
        var quoted: Bool

        func isBlank(in line: ArraySlice<UInt8>) -> Bool {
            !quoted && line[range].allSatisfy { $0 == 0x20 || $0 == 0x09 }
        }

        /// The cell's bytes, with the quotes removed and `""` turned into `"`.
        func unescaped(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            guard quoted else { return line[range] }
            var out: [UInt8] = []
            var i = range.lowerBound
            while i < range.upperBound {
                out.append(line[i])
                i += line[i] == 0x22 ? 2 : 1
            }
            return out[...]
        }
    }

    /// Splits `line` on commas outside quotes. A quoted cell is `"…"` (with `""` for a quote),
    /// optionally surrounded by spaces.
    private static func split(_ line: ArraySlice<UInt8>, into cells: inout [Cell], path: FilePath, line number: Int) throws(CSVError) {
        cells.removeAll(keepingCapacity: true)
        var i = line.startIndex
        let end = line.endIndex
        while true {
            var j = i
            while j < end, line[j] == 0x20 || line[j] == 0x09 { j += 1 }
            if j < end, line[j] == 0x22 {
                let open = j + 1
                var k = open
                while true {
                    guard k < end else {
                        throw CSVError(.unterminatedQuote, path: path, line: number, what: "a quoted cell has no closing quote",
                                       expected: "\"…\" on one line", found: "the end of the line")
                    }
                    if line[k] == 0x22 {
                        if k + 1 < end, line[k + 1] == 0x22 { k += 2; continue }
                        break
                    }
                    k += 1
                }
                cells.append(Cell(range: open..<k, quoted: true))
                k += 1
                while k < end, line[k] == 0x20 || line[k] == 0x09 { k += 1 }
                guard k == end || line[k] == 0x2C else {
                    throw CSVError(.unterminatedQuote, path: path, line: number, what: "text after a closing quote",
                                   expected: "a comma or the end of the line", found: "\"\(String(decoding: line[k..<end].prefix(20), as: UTF8.self))\"")
                }
                if k == end { return }
                i = k + 1
            } else {
                var k = i
                while k < end, line[k] != 0x2C { k += 1 }
                cells.append(Cell(range: i..<k, quoted: false))
                if k == end { return }
                i = k + 1
            }
        }
    }

    /// A cell as a finite number.
    private func number(_ cell: Cell, in line: ArraySlice<UInt8>, column: Int) throws(CSVError) -> Double {
        var bytes = line[cell.range]
        while let f = bytes.first, f == 0x20 || f == 0x09 { bytes.removeFirst() }
        while let l = bytes.last, l == 0x20 || l == 0x09 { bytes.removeLast() }
        let text = String(decoding: bytes, as: UTF8.self)
        let numeric = !bytes.isEmpty && bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 == 0x45 || $0 == 0x65 }
        if numeric, let v = Double(text) {
            if v.isFinite { return v }
        } else if !["nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"].contains(text.lowercased()) {
            throw CSVError(.invalidNumber, path: path, line: lineNumber, column: headerNames[column], what: "value is not a number",
                           expected: column == 0 ? "a time in seconds" : "a decimal number or an empty cell", found: "\"\(text)\"")
        }
        throw CSVError(.nonFiniteNumber, path: path, line: lineNumber, column: headerNames[column], what: "value is not a finite number",
                       expected: column == 0 ? "a finite time in seconds" : "a finite decimal number or an empty cell", found: "\"\(text)\"")
    }

    // MARK: - Lines

    private static func next(_ lines: inout LineReader, path: FilePath, line: Int) throws(CSVError) -> ArraySlice<UInt8>? {
        do {
            return try lines.nextLine()
        } catch {
            throw CSVError(.io, path: path, line: line, what: "cannot read the file: \(error)", expected: "", found: "")
        }
    }

    private static func text(_ bytes: ArraySlice<UInt8>, path: FilePath, line: Int) throws(CSVError) -> Substring {
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw CSVError(.invalidUTF8, path: path, line: line, what: "the line is not UTF-8", expected: "UTF-8 text",
                           found: "bytes " + EDFField.quoted(bytes))
        }
        return s[...]
    }
}
