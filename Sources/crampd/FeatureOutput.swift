// SPDX-License-Identifier: MIT
import CrampCore
import CrampSinks
import SystemPackage

/// Formats `SessionFeatureEvent`s as CSV rows or JSON lines (docs/FEATURES.md, "crampd
/// features"): fixed columns and keys, fixed decimals, nothing that depends on the machine or
/// the clock.
struct FeatureFormatter {
    enum Format { case csv, jsonl }

    /// The CSV columns, in order. Each row fills the columns of its class and leaves the others
    /// empty.
    static let csvColumns = [
        "class", "channel", "start_s", "end_s",
        "rms_uv", "mav_uv", "zc_per_s", "tke_uv2", "mnf_hz", "mdf_hz", "finsm5",
        "quality", "quant_levels", "rail_fraction", "constant_run_s", "lf_rms_uv", "mains_fraction",
        "peak_uv", "noise_floor_uv",
        "stride", "active_end_s", "baseline_rms_uv", "extra_bursts", "period_s", "period_source",
        "rel_rms", "rel_mnf", "rel_mdf", "rel_baseline_rms", "rel_duration",
    ]

    let format: Format
    let labels: [String]
    /// Per channel, its rate in hertz (0 when irregular).
    let rates: [Double]
    private var headerWritten = false

    /// Per channel, its label as a CSV field (quoted when it needs to be), made once.
    private let csvLabels: [String]
    /// Quality flag sets as CSV text, indexed by raw value (made once: a window row needs one).
    private let flagTexts: [String] = (0...255).map { SignalQualityFlags(rawValue: UInt8($0)).description }

    init(format: Format, channels: [SessionChannel]) {
        self.format = format
        labels = channels.map(\.label)
        csvLabels = channels.map { Self.csvText($0.label) }
        rates = channels.map { $0.sampleRate?.value ?? 0 }
    }

    /// Appends the line(s) for one event to `out` (none, one, or the CSV header first).
    mutating func write(_ event: SessionFeatureEvent, to out: inout [UInt8]) {
        switch format {
        case .jsonl:
            out.append(contentsOf: json(event).utf8)
            out.append(0x0A)
        case .csv:
            csv(event, into: &out)
        }
    }

    /// What is still owed at the end (the CSV header of an output with no rows).
    mutating func finish(to out: inout [UInt8]) {
        guard format == .csv, !headerWritten else { return }
        headerWritten = true
        out.append(contentsOf: (Self.csvColumns.joined(separator: ",") + "\n").utf8)
    }

    // MARK: - CSV

    /// Appends the CSV row(s) for `event` to `out` (bytes, no intermediate strings: a session
    /// has hundreds of thousands of window rows).
    private mutating func csv(_ event: SessionFeatureEvent, into out: inout [UInt8]) {
        // Swap the buffer in and out rather than copy it (a copy would duplicate up to 64 KiB
        // per event once the row writes into it).
        var row = CSVRow(out: [])
        swap(&row.out, &out)
        defer { swap(&row.out, &out) }
        switch event {
        case .mains(let m):
            row.out.append(contentsOf: ("# mains: " + mainsText(m) + "\n").utf8)
            return
        case .channel(let c):
            row.out.append(contentsOf: ("# channel: " + channelText(c) + "\n").utf8)
            return
        default:
            break
        }
        if !headerWritten {
            headerWritten = true
            row.out.append(contentsOf: (Self.csvColumns.joined(separator: ",") + "\n").utf8)
        }
        switch event {
        case .mains, .channel:
            return
        case .window(let w):
            let f = w.features, q = w.quality
            row.text("WINDOW")
            row.text(csvLabels[w.channel])
            row.number(Double(f.sampleRange.lowerBound) / rates[w.channel], 6)
            row.number(seconds(f.endTime), 6)
            row.number(Double(f.rms), 3)
            row.number(Double(f.meanAbsoluteValue), 3)
            row.number(Double(f.zeroCrossingsPerSecond), 2)
            row.number(Double(f.teagerKaiserEnergy), 3)
            row.number(f.spectral?.meanFrequency.value, 3)
            row.number(f.spectral?.medianFrequency.value, 3)
            row.scientific(f.spectral?.dimitrovIndexFInsm5)
            row.text(flagTexts[Int(q.flags.rawValue)])
            row.number(Double(q.quantisationLevels), 1)
            row.number(q.railFraction.map(Double.init), 4)
            row.number(seconds(q.longestConstantRun), 6)
            row.number(Double(q.lowFrequencyRMS), 3)
            row.number(Double(q.mainsFraction), 4)
            row.empty(13)  // peak_uv … rel_duration
        case .burst(let b):
            let burst = b.burst
            row.text("BURST")
            row.text(csvLabels[b.channel])
            row.number(seconds(burst.onsetTime), 6)
            row.number(seconds(burst.offsetTime), 6)
            row.number(Double(burst.rms), 3)
            row.empty(3)  // mav_uv, zc_per_s, tke_uv2
            row.number(burst.spectral?.meanFrequency.value, 3)
            row.number(burst.spectral?.medianFrequency.value, 3)
            row.scientific(burst.spectral?.dimitrovIndexFInsm5)
            row.empty(6)  // quality … mains_fraction
            row.number(Double(burst.peakAmplitude), 3)
            row.number(Double(burst.noiseFloor), 3)
            row.empty(11)  // stride … rel_duration
        case .stride(let s):
            let st = s.stride, burst = st.activeBurst
            row.text("STRIDE")
            row.text(csvLabels[s.channel])
            row.number(seconds(st.startTime), 6)
            row.number(seconds(st.endTime), 6)
            row.number(Double(burst.rms), 3)
            row.empty(3)  // mav_uv, zc_per_s, tke_uv2
            row.number(burst.spectral?.meanFrequency.value, 3)
            row.number(burst.spectral?.medianFrequency.value, 3)
            row.scientific(burst.spectral?.dimitrovIndexFInsm5)
            row.text(flagTexts[Int(st.quality.rawValue)])
            row.empty(5)  // quant_levels … mains_fraction
            row.number(Double(burst.peakAmplitude), 3)
            row.number(Double(burst.noiseFloor), 3)
            row.text(String(st.index))
            row.number(seconds(burst.offsetTime), 6)
            row.number(st.baselineRMS.map(Double.init), 3)
            row.text(String(st.extraBursts))
            row.number(seconds(st.expectedPeriod), 4)
            row.text(st.periodSource.rawValue)
            let r = st.relative
            row.number(r?.activeRMS, 4)
            row.number(r?.meanFrequency, 4)
            row.number(r?.medianFrequency, 4)
            row.number(r?.baselineRMS, 4)
            row.number(r?.duration, 4)
        }
        row.end()
    }

    // MARK: - JSON lines

    private func json(_ event: SessionFeatureEvent) -> String {
        switch event {
        case .mains(let m):
            var o = JSONLine(class: "MAINS")
            o.add("setting", m.setting.description)
            if let f = m.frequency { o.add("mains_hz", f.rawValue) } else { o.addNull("mains_hz") }
            optional(&o, "line_ratio_50", m.lineRatio50, 3)
            optional(&o, "line_ratio_60", m.lineRatio60, 3)
            optional(&o, "examined_s", m.examinedUntil.map(seconds), 6)
            return o.rendered
        case .channel(let c):
            var o = JSONLine(class: "CHANNEL")
            o.add("channel", c.label)
            o.add("index", c.channel)
            o.add("rate_hz", c.design.sampleRate.value, decimals: 3)
            o.add("conditioning", statusName(c.design.status))
            let filter = c.design.status.spectralBand ?? c.design.configuration.band
            o.add("filter_low_hz", filter.lower.value, decimals: 3)
            if c.design.status.spectralBand != nil {
                o.add("filter_high_hz", filter.upper.value, decimals: 3)
            } else {
                o.addNull("filter_high_hz")
            }
            o.add("spectral", c.design.status.spectralBand != nil)
            o.add("notch_hz", c.design.notchFrequencies.map(\.value), decimals: 3)
            o.add("window", c.window.length)
            o.add("hop", c.window.hop)
            o.add("burst_frame", c.burstFrameLength)
            return o.rendered
        case .window(let w):
            let f = w.features, q = w.quality
            var o = JSONLine(class: "WINDOW")
            o.add("channel", labels[w.channel])
            o.add("start_s", Double(f.sampleRange.lowerBound) / rates[w.channel], decimals: 6)
            o.add("end_s", seconds(f.endTime), decimals: 6)
            o.add("rms_uv", Double(f.rms), decimals: 3)
            o.add("mav_uv", Double(f.meanAbsoluteValue), decimals: 3)
            o.add("zc_per_s", Double(f.zeroCrossingsPerSecond), decimals: 2)
            o.add("tke_uv2", Double(f.teagerKaiserEnergy), decimals: 3)
            spectral(&o, f.spectral)
            o.add("quality", q.flags.names)
            o.add("quant_levels", Double(q.quantisationLevels), decimals: 1)
            optional(&o, "rail_fraction", q.railFraction.map(Double.init), 4)
            o.add("constant_run_s", seconds(q.longestConstantRun), decimals: 6)
            o.add("lf_rms_uv", Double(q.lowFrequencyRMS), decimals: 3)
            o.add("mains_fraction", Double(q.mainsFraction), decimals: 4)
            return o.rendered
        case .burst(let b):
            let burst = b.burst
            var o = JSONLine(class: "BURST")
            o.add("channel", labels[b.channel])
            o.add("start_s", seconds(burst.onsetTime), decimals: 6)
            o.add("end_s", seconds(burst.offsetTime), decimals: 6)
            o.add("duration_s", seconds(burst.duration), decimals: 6)
            o.add("rms_uv", Double(burst.rms), decimals: 3)
            o.add("peak_uv", Double(burst.peakAmplitude), decimals: 3)
            spectral(&o, burst.spectral)
            o.add("noise_floor_uv", Double(burst.noiseFloor), decimals: 3)
            o.add("peak_envelope_uv", Double(burst.peakEnvelope), decimals: 3)
            return o.rendered
        case .stride(let s):
            let st = s.stride, burst = st.activeBurst
            var o = JSONLine(class: "STRIDE")
            o.add("channel", labels[s.channel])
            o.add("stride", st.index)
            o.add("start_s", seconds(st.startTime), decimals: 6)
            o.add("end_s", seconds(st.endTime), decimals: 6)
            o.add("duration_s", seconds(st.duration), decimals: 6)
            o.add("period_s", seconds(st.expectedPeriod), decimals: 4)
            o.add("period_source", st.periodSource.rawValue)
            o.add("active_start_s", seconds(burst.onsetTime), decimals: 6)
            o.add("active_end_s", seconds(burst.offsetTime), decimals: 6)
            o.add("rms_uv", Double(burst.rms), decimals: 3)
            o.add("peak_uv", Double(burst.peakAmplitude), decimals: 3)
            spectral(&o, burst.spectral)
            optional(&o, "baseline_rms_uv", st.baselineRMS.map(Double.init), 3)
            o.add("extra_bursts", st.extraBursts)
            o.add("quality", st.quality.names)
            optional(&o, "rel_rms", st.relative?.activeRMS, 4)
            optional(&o, "rel_mnf", st.relative?.meanFrequency, 4)
            optional(&o, "rel_mdf", st.relative?.medianFrequency, 4)
            optional(&o, "rel_baseline_rms", st.relative?.baselineRMS, 4)
            optional(&o, "rel_duration", st.relative?.duration, 4)
            if let b = s.baseline { o.add("baseline_strides", b.strides) } else { o.addNull("baseline_strides") }
            return o.rendered
        }
    }

    private func spectral(_ o: inout JSONLine, _ s: SpectralFeatures?) {
        optional(&o, "mnf_hz", s?.meanFrequency.value, 3)
        optional(&o, "mdf_hz", s?.medianFrequency.value, 3)
        if let f = s?.dimitrovIndexFInsm5 { o.add("finsm5", f, significantDigits: 6) } else { o.addNull("finsm5") }
    }

    private func optional(_ o: inout JSONLine, _ name: String, _ value: Double?, _ decimals: Int) {
        if let value, value.isFinite { o.add(name, value, decimals: decimals) } else { o.addNull(name) }
    }

    // MARK: - Text

    private func mainsText(_ m: MainsDecision) -> String {
        var s = "setting \(m.setting), notch " + (m.frequency.map { "\($0.rawValue) Hz" } ?? "none")
        if let r50 = m.lineRatio50, let r60 = m.lineRatio60 {
            s += ", line ratios 50 Hz \(FixedDecimal.format(r50, decimals: 2)!) 60 Hz \(FixedDecimal.format(r60, decimals: 2)!)"
        }
        if let t = m.examinedUntil { s += ", examined \(FixedDecimal.format(seconds(t), decimals: 3)!) s" }
        return s
    }

    private func channelText(_ c: EMGChannelStatus) -> String {
        let d = c.design
        var s = "\(c.label), \(FixedDecimal.format(d.sampleRate.value, decimals: 3)!) Hz, \(statusName(d.status))"
        if let band = d.status.spectralBand {
            s += " \(FixedDecimal.format(band.lower.value, decimals: 1)!)-\(FixedDecimal.format(band.upper.value, decimals: 1)!) Hz"
        } else {
            s += " (high-pass \(FixedDecimal.format(d.configuration.band.lower.value, decimals: 1)!) Hz, spectral features unavailable)"
        }
        s += ", notches \(d.notchFrequencies.count), window \(c.window.length)/\(c.window.hop)"
        return s
    }

    private func statusName(_ s: EMGConditioningStatus) -> String {
        switch s {
        case .fullBand: "full_band"
        case .upperEdgeLowered: "upper_edge_lowered"
        case .spectralFeaturesUnavailable: "rate_too_low_for_band"
        }
    }

    private static func csvText(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingQuotes() + "\"" : s
    }
}

/// One CSV row written field by field into a byte buffer: fields are separated by commas,
/// an absent value is an empty field.
private struct CSVRow {
    var out: [UInt8]
    private var first = true

    init(out: [UInt8]) { self.out = out }

    private mutating func separate() {
        if first { first = false } else { out.append(UInt8(ascii: ",")) }
    }

    mutating func text(_ s: String) {
        separate()
        out.append(contentsOf: s.utf8)
    }

    mutating func number(_ value: Double?, _ decimals: Int) {
        separate()
        if let value { FixedDecimal.append(value, decimals: decimals, to: &out) }
    }

    mutating func scientific(_ value: Double?) {
        separate()
        if let value { FixedDecimal.appendScientific(value, significantDigits: 6, to: &out) }
    }

    mutating func empty(_ count: Int) {
        for _ in 0..<count { separate() }
    }

    mutating func end() { out.append(0x0A) }
}

private func seconds(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) + Double(c.attoseconds) * 1e-18
}

private extension String {
    func replacingQuotes() -> String {
        var out = ""
        for ch in self { out += ch == "\"" ? "\"\"" : String(ch) }
        return out
    }
}

/// Buffered output to stdout or a file.
final class LineOutput {
    private let fd: FileDescriptor
    private let owned: Bool
    private var buffer: [UInt8] = []

    init(path: String?) throws {
        if let path {
            fd = try FileDescriptor.open(
                FilePath(path), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite, .groupRead, .otherRead])
            owned = true
        } else {
            fd = .standardOutput
            owned = false
        }
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Lets `body` append whole lines to the output buffer, then flushes when it is full.
    func append(_ body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try fd.writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        if owned { try fd.close() }
    }
}
