// SPDX-License-Identifier: MIT
import CrampCore

/// One signal of a simulated session and how it should be stored (the EDF+ per-signal fields).
public struct SimulatedSignal: Hashable, Sendable {
    /// What the signal is (`EMG gastroc L`, `HR`, `Cadence`, `Speed`).
    public var descriptor: ChannelDescriptor
    /// Physical unit (``ChannelKind/canonicalUnit``: `uV`, `bpm`, `spm`, `m/s`).
    public var unit: String
    /// Sample rate. Always a whole number of hertz, so a 1-s data record holds
    /// ``samplesPerRecord`` samples.
    public var sampleRate: Hertz
    /// The physical range of the (simulated) sensor. EMG is ±5000 µV, the input range of a
    /// typical sEMG amplifier; the saturation artifact clips exactly there.
    public var physicalMinimum: Double
    public var physicalMaximum: Double
    /// Transducer description for the file header.
    public var transducer: String
    /// Prefiltering description for the file header.
    public var prefiltering: String

    /// Samples of this signal in one 1-s data record.
    public var samplesPerRecord: Int { Int(sampleRate.value) }

    /// The canonical label (`EMG gastroc L`, `HR`, …).
    public var label: String { descriptor.label }
}
