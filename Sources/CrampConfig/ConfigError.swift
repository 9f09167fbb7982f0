// SPDX-License-Identifier: MIT

/// A configuration file that cannot be used: which file, which line and key, what was wrong.
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    /// 1-based line, when known.
    public var line: Int?
    /// The dotted key (`advice.calf.warning.step`), when the problem is a key's.
    public var key: String?
    public var what: String

    public init(path: String, line: Int?, key: String?, what: String) {
        self.path = path
        self.line = line
        self.key = key
        self.what = what
    }

    /// `crampd: FILE: line N: key 'K': WHAT`.
    public var description: String {
        "crampd: \(path)" + (line.map { ": line \($0)" } ?? "") + (key.map { ": key '\($0)'" } ?? "") + ": \(what)"
    }
}
