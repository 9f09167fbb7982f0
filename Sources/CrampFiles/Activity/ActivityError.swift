// SPDX-License-Identifier: MIT
import SystemPackage

/// Why an activity file (FIT or TCX) could not be read or imported.
public enum ActivityError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The FIT decoder rejected the file.
    case fit(FITError)
    /// The TCX reader rejected the file.
    case tcx(TCXError)
    /// The file's name and content say neither FIT nor TCX.
    case unknownFormat(path: FilePath, found: String)
    /// The file holds no sample of a running segment.
    case noRunningSamples(path: FilePath, sports: [String], samples: Int)
    /// Writing the result failed.
    case edf(EDFError)

    public var description: String {
        switch self {
        case .fit(let e): e.description
        case .tcx(let e): e.description
        case .edf(let e): e.description
        case let .unknownFormat(path, found):
            "crampd: \(path.string): not a FIT or TCX activity; expected a .fit file (\".FIT\" in its header) or a .tcx file (TrainingCenterDatabase XML), found \(found)"
        case let .noRunningSamples(path, sports, samples):
            "crampd: \(path.string): no running samples to import; expected a running session with records, found "
                + (sports.isEmpty ? "no sessions" : "sessions: " + sports.joined(separator: ", ")) + " and \(samples) samples"
        }
    }
}
