// SPDX-License-Identifier: MIT
import SystemPackage

/// The one-line form every file error of crampd takes, whatever the format:
/// `crampd: PATH: PLACE: WHAT; expected E, found F` (PLACE is `byte N`, `line N`, … or absent).
enum FileProblem {
    static func line(path: FilePath, places: [String], what: String, expected: String, found: String) -> String {
        var s = "crampd: \(path.string): "
        for place in places { s += place + ": " }
        s += what
        if !expected.isEmpty || !found.isEmpty { s += "; expected \(expected), found \(found)" }
        return s
    }
}
