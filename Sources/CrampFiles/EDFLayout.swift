// SPDX-License-Identifier: MIT

/// Byte layout of the EDF header (EDF spec, "header record"), shared by writer and reader.
///
/// The fixed part is 256 bytes; then each per-signal field is stored for all signals in turn
/// (all labels, then all transducer types, …), so a field's offset depends on the signal count.
enum EDFLayout {
    static let fixedHeaderBytes = 256

    // Fixed part: (offset, width).
    static let version = (offset: 0, width: 8)
    static let patient = (offset: 8, width: 80)
    static let recording = (offset: 88, width: 80)
    static let startDate = (offset: 168, width: 8)
    static let startTime = (offset: 176, width: 8)
    static let headerBytes = (offset: 184, width: 8)
    static let reserved = (offset: 192, width: 44)
    static let recordCount = (offset: 236, width: 8)
    static let recordDuration = (offset: 244, width: 8)
    static let signalCount = (offset: 252, width: 4)

    /// The per-signal fields, in header order.
    enum SignalField: Int, CaseIterable {
        case label, transducer, physicalDimension, physicalMinimum, physicalMaximum
        case digitalMinimum, digitalMaximum, prefiltering, samplesPerRecord, reserved

        var width: Int {
            switch self {
            case .label: 16
            case .transducer, .prefiltering: 80
            case .reserved: 32
            default: 8
            }
        }

        /// The field's name as the EDF spec calls it, for error messages.
        var name: String {
            switch self {
            case .label: "label"
            case .transducer: "transducer type"
            case .physicalDimension: "physical dimension"
            case .physicalMinimum: "physical minimum"
            case .physicalMaximum: "physical maximum"
            case .digitalMinimum: "digital minimum"
            case .digitalMaximum: "digital maximum"
            case .prefiltering: "prefiltering"
            case .samplesPerRecord: "number of samples in each data record"
            case .reserved: "reserved"
            }
        }

        /// Byte offset of this field of signal `index` in a header with `signalCount` signals.
        func offset(signal index: Int, signalCount: Int) -> Int {
            var before = 0
            for f in SignalField.allCases where f.rawValue < rawValue { before += f.width }
            return fixedHeaderBytes + before * signalCount + width * index
        }
    }

    /// Header size in bytes for `signalCount` signals: 256 × (ns + 1).
    static func headerBytes(signalCount: Int) -> Int { fixedHeaderBytes * (signalCount + 1) }
}
