// SPDX-License-Identifier: MIT
import TOMLKit

/// A parsed TOML file that remembers its text, so that errors about a key can name its line.
public struct TOMLDocument {
    public let path: String
    public let root: TOMLTable
    private let lines: [Substring]

    /// Parses `text` (read from `path` by the caller).
    ///
    /// - Throws: ``ConfigError`` with the line of the syntax error.
    public init(text: String, path: String) throws(ConfigError) {
        self.path = path
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(path: path, line: Int(error.source.begin.line), key: nil, what: "not valid TOML: \(error.description)")
        } catch {
            throw ConfigError(path: path, line: nil, key: nil, what: "not valid TOML: \(error)")
        }
    }

    /// The line where `key` (dotted, e.g. `advice.calf.warning.step`) is defined, found from the
    /// text: the `key = …` line inside its `[table]`, or the table header itself. Best effort:
    /// `nil` when the key is written in a form this lookup does not follow (inline tables).
    public func line(of key: String) -> Int? {
        let parts = key.split(separator: ".").map(String.init)
        guard let last = parts.last else { return nil }
        let tablePath = parts.dropLast().joined(separator: ".")
        var inTable = tablePath.isEmpty
        for (i, raw) in lines.enumerated() {
            let line = raw.trimmingSpaces
            if line.hasPrefix("[") {
                let name = line.trimmingCharacters(in: "[] ")
                if name == key { return i + 1 }
                inTable = name == tablePath
                continue
            }
            if inTable, let eq = line.firstIndex(of: "="), line[..<eq].trimmingSpaces == last {
                return i + 1
            }
        }
        return nil
    }

    /// The line of the `index`-th (0-based) `[[name]]` table, or of `key = …` inside it.
    public func line(ofArrayTable name: String, index: Int, key: String? = nil) -> Int? {
        var seen = -1
        var inside = false
        for (i, raw) in lines.enumerated() {
            let line = raw.trimmingSpaces
            if line.hasPrefix("[") {
                let isElement = line.hasPrefix("[[") && line.trimmingCharacters(in: "[] ") == name
                if isElement { seen += 1 }
                inside = isElement && seen == index
                if inside && key == nil { return i + 1 }
                continue
            }
            if inside, let key, let eq = line.firstIndex(of: "="), line[..<eq].trimmingSpaces == key {
                return i + 1
            }
        }
        // The key is absent (a missing key): the table's own line.
        return key == nil ? nil : line(ofArrayTable: name, index: index)
    }

    /// An error about `key`, with its line when it can be found.
    public func error(_ key: String, _ what: String) -> ConfigError {
        ConfigError(path: path, line: line(of: key), key: key, what: what)
    }

    /// Rejects keys of `table` (at `prefix`) that are not in `allowed`: a misspelt key is an
    /// error, never silently ignored.
    public func checkKeys(_ table: TOMLTable, at prefix: String, allowed: Set<String>) throws(ConfigError) {
        for k in table.keys.sorted() where !allowed.contains(k) {
            let full = prefix.isEmpty ? k : "\(prefix).\(k)"
            throw error(full, "unknown key; expected one of: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// The string at `key` in `table`, if present; an error if present with another type.
    public func string(_ table: TOMLTable, _ name: String, at prefix: String) throws(ConfigError) -> String? {
        guard let v = table[name] else { return nil }
        guard let s = v.string else { throw error("\(prefix).\(name)", "expected a string, found \(v.type)") }
        return s
    }

    /// The number at `key` in `table` (integer or float), if present.
    public func number(_ table: TOMLTable, _ name: String, at prefix: String) throws(ConfigError) -> Double? {
        guard let v = table[name] else { return nil }
        if let d = v.double { return d }
        if let i = v.int { return Double(i) }
        throw error("\(prefix).\(name)", "expected a number, found \(v.type)")
    }

    /// The table at `key` in `table`, if present.
    public func table(_ table: TOMLTable, _ name: String, at prefix: String) throws(ConfigError) -> TOMLTable? {
        guard let v = table[name] else { return nil }
        guard let t = v.table else { throw error(prefix.isEmpty ? name : "\(prefix).\(name)", "expected a table, found \(v.type)") }
        return t
    }

    /// The array of strings at `key` in `table`, if present.
    public func strings(_ table: TOMLTable, _ name: String, at prefix: String) throws(ConfigError) -> [String]? {
        guard let v = table[name] else { return nil }
        guard let a = v.array else { throw error("\(prefix).\(name)", "expected an array of strings, found \(v.type)") }
        var out: [String] = []
        for element in a {
            guard let s = element.string else { throw error("\(prefix).\(name)", "expected an array of strings; an element is \(element.type)") }
            out.append(s)
        }
        return out
    }
}

extension StringProtocol {
    var trimmingSpaces: String { trimmingCharacters(in: " \t\r") }

    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
