// SPDX-License-Identifier: MIT

/// How the pipeline chooses the mains notches.
///
/// A struct around an internal enum (swift-service-lifecycle's pattern), so that settings can
/// be added without breaking callers.
public struct MainsSetting: Hashable, Sendable, CustomStringConvertible {
    enum Kind: Hashable, Sendable {
        case automatic
        case fixed(MainsFrequency)
        case off
    }

    let kind: Kind

    /// Detect the grid from the first seconds (`MainsDetector` on every EMG channel), then
    /// notch it — or not, if no hum stands out. The pipeline holds the first
    /// `MainsDetector` estimate's worth of samples (4 s) back and processes them once the grid
    /// is known, so the whole session is conditioned with the same filters, deterministically.
    public static let automatic = MainsSetting(kind: .automatic)
    /// No notch.
    public static let off = MainsSetting(kind: .off)
    /// Notch `frequency` and its harmonics from the first sample.
    public static func fixed(_ frequency: MainsFrequency) -> MainsSetting { MainsSetting(kind: .fixed(frequency)) }

    public var description: String {
        switch kind {
        case .automatic: "auto"
        case .fixed(let f): "\(f.rawValue)"
        case .off: "off"
        }
    }
}
