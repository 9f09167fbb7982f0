// SPDX-License-Identifier: MIT
import CrampCore
import SystemPackage

/// Writes a session as CSV in the format of `Recordings/README.md` ("CSV format"), row by row.
///
/// Output is buffered (64 KiB) and deterministic: times with six decimals, sample values in
/// the shortest form that reads back as the same `Float`. Empty cells mean "no sample".
public final class CSVSessionWriter {
    public let path: FilePath
    private var fd: FileDescriptor?
    private var buffer: [UInt8] = []
    private let columnCount: Int
    private let hasAnnotationColumn: Bool
    public private(set) var rowsWritten = 0
    private var lastTime = -Double.infinity

    /// Creates (or truncates) `path` and writes the comments and the header line.
    ///
    /// - Parameters:
    ///   - columns: label and unit of each channel column, in order.
    ///   - annotationColumn: whether the last column is `annotation`.
    ///   - comments: provenance lines, written before the header with `# `.
    /// - Throws: `CSVError` of kind `.io` when the file cannot be created.
    public init(path: FilePath, columns: [(label: String, unit: String)], annotationColumn: Bool, comments: [String] = []) throws(CSVError) {
        self.path = path
        columnCount = columns.count
        hasAnnotationColumn = annotationColumn
        do {
            fd = try FileDescriptor.open(path, .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            throw CSVError(.io, path: path, line: nil, what: "cannot create file", expected: "a writable path", found: "\(error)")
        }
        buffer.reserveCapacity(1 << 16)
        for c in comments { append("# " + c + "\n") }
        var header = "time_s"
        for c in columns {
            header += "," + Self.quoted(c.unit.isEmpty ? c.label : "\(c.label) [\(c.unit)]")
        }
        if annotationColumn { header += ",annotation" }
        append(header + "\n")
    }

    deinit { try? fd?.close() }

    /// Writes one row.
    ///
    /// - Parameters:
    ///   - timeSeconds: the row time; must be greater than the previous row's.
    ///   - cells: one optional value per channel column.
    ///   - annotation: the annotation cell (ignored without an annotation column).
    /// - Important: the caller keeps times strictly increasing; a row that would not is an
    ///   invariant violation of the caller (precondition), because the reader would reject the file.
    public func writeRow(timeSeconds: Double, cells: UnsafeBufferPointer<Float?>, annotation: String?) throws(CSVError) {
        precondition(cells.count == columnCount, "one cell per column")
        precondition(timeSeconds > lastTime, "CSV rows must have strictly increasing times")
        lastTime = timeSeconds
        append(FixedDecimal.format(timeSeconds, decimals: 6) ?? "nan")
        for cell in cells {
            buffer.append(UInt8(ascii: ","))
            if let v = cell { append(v.description) }
        }
        if hasAnnotationColumn {
            buffer.append(UInt8(ascii: ","))
            if let a = annotation, !a.isEmpty { append(Self.quoted(a)) }
        }
        buffer.append(UInt8(ascii: "\n"))
        rowsWritten += 1
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Flushes and closes the file.
    public func close() throws(CSVError) {
        try flush()
        do { try fd?.close() } catch {
            throw CSVError(.io, path: path, line: nil, what: "cannot close file", expected: "success", found: "\(error)")
        }
        fd = nil
    }

    private func flush() throws(CSVError) {
        guard let fd else { return }
        do { _ = try fd.writeAll(buffer) } catch {
            throw CSVError(.io, path: path, line: nil, what: "cannot write", expected: "success", found: "\(error)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func append(_ s: String) { buffer.append(contentsOf: s.utf8) }

    static func quoted(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || s != s.trimmingSpaces else { return s }
        return "\"" + s.replacingQuotes + "\""
    }
}

private extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }

    var replacingQuotes: String {
        var out = ""
        for c in self { out += c == "\"" ? "\"\"" : String(c) }
        return out
    }
}
