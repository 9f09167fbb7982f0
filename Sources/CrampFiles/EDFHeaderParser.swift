// SPDX-License-Identifier: MIT
import SystemPackage

/// Where one signal's samples sit in a data record, and how to turn them into physical values.
struct EDFSignalLayout {
    /// True for an annotation signal (its bytes are TALs, not samples).
    var isAnnotation: Bool
    /// Byte offset of the signal's first sample within a data record.
    var byteOffset: Int
    /// Samples per data record.
    var samples: Int
    /// `physical = digital × gain + offset` (EDF spec, computed once per signal).
    var gain: Double
    var offset: Double
    /// Index among the data signals (`-1` for annotation signals).
    var dataIndex: Int
}

/// Parses and validates an EDF/BDF header record, naming the field and byte of every problem.
struct EDFHeaderParser {
    let path: FilePath
    let fileSize: Int

    func error(_ kind: EDFError.Kind, _ offset: Int?, _ what: String, _ expected: String, _ found: String) -> EDFError {
        EDFError(kind, path: path, byteOffset: offset, what: what, expected: expected, found: found)
    }

    /// The fixed 256-byte part: returns the format and the number of signals, after checking the
    /// version, the numeric fields and the header size. `bytes` holds at least the first 256 bytes.
    func parseFixedPart(_ bytes: [UInt8]) throws(EDFError) -> (format: EDFFormat, signalCount: Int) {
        let version = bytes[0..<8]
        let isBDF = version.first == 0xFF && Array(version.dropFirst()) == Array("BIOSEMI".utf8)
        let isEDF = Array(version) == Array("0       ".utf8)
        guard isBDF || isEDF else {
            throw error(.notEDF, 0, "not an EDF or BDF file (bad version field)", "\"0       \" (EDF) or \"\\xFFBIOSEMI\" (BDF)",
                        EDFField.quoted(version))
        }
        let reserved = EDFField.text(bytes[EDFLayout.reserved.offset..<(EDFLayout.reserved.offset + EDFLayout.reserved.width)])
        let format: EDFFormat
        switch (isBDF, reserved) {
        case (false, let r) where r.hasPrefix("EDF+C"): format = .edfPlusC
        case (false, let r) where r.hasPrefix("EDF+D"): format = .edfPlusD
        case (false, _): format = .edf
        case (true, let r) where r.hasPrefix("BDF+C"): format = .bdfPlusC
        case (true, let r) where r.hasPrefix("BDF+D"): format = .bdfPlusD
        case (true, _): format = .bdf
        }
        let ns = try integer(bytes, EDFLayout.signalCount, "number of signals")
        guard ns > 0 else {
            throw error(.invalidSignalCount, EDFLayout.signalCount.offset, "the file declares no signals", "a number of signals ≥ 1", "\(ns)")
        }
        let declared = try integer(bytes, EDFLayout.headerBytes, "number of bytes in header record")
        let required = EDFLayout.headerBytes(signalCount: ns)
        guard declared == required else {
            throw error(.headerSizeMismatch, EDFLayout.headerBytes.offset, "header size does not match the number of signals (\(ns))",
                        "256 × (\(ns) + 1) = \(required) bytes", "\(declared)")
        }
        guard fileSize >= required else {
            throw error(.truncatedHeader, fileSize, "the file ends inside the header",
                        "at least \(required) bytes of header for \(ns) signals", "\(fileSize) bytes")
        }
        return (format, ns)
    }

    /// The whole header (`bytes` holds all `256 × (ns + 1)` bytes): returns it with the record layout.
    func parse(_ bytes: [UInt8], format: EDFFormat, signalCount ns: Int) throws(EDFError) -> (EDFHeader, [EDFSignalLayout]) {
        let recordCount = try integer(bytes, EDFLayout.recordCount, "number of data records")
        let duration = try number(bytes, EDFLayout.recordDuration, "duration of a data record")
        guard let start = EDFDateTime(dateField: slice(bytes, EDFLayout.startDate), timeField: slice(bytes, EDFLayout.startTime)) else {
            throw error(.invalidField, EDFLayout.startDate.offset, "start date/time is not a valid date and time",
                        "\"dd.mm.yy\" and \"hh.mm.ss\"",
                        EDFField.quoted(slice(bytes, EDFLayout.startDate)) + " " + EDFField.quoted(slice(bytes, EDFLayout.startTime)))
        }

        var signals: [EDFSignalSpec] = []
        var layouts: [EDFSignalLayout] = []
        var byteOffset = 0
        for i in 0..<ns {
            func at(_ f: EDFLayout.SignalField) -> (offset: Int, width: Int) { (f.offset(signal: i, signalCount: ns), f.width) }
            let label = Self.latin1(slice(bytes, at(.label)))
            let isAnnotation = format.isPlus && label == format.annotationLabel
            let samples = try integer(bytes, at(.samplesPerRecord), "\(EDFLayout.SignalField.samplesPerRecord.name) of signal \(i) (\(label))")
            guard samples > 0 else {
                throw error(.invalidSamplesPerRecord, at(.samplesPerRecord).offset, "signal \(i) (\(label)) has no samples in a data record",
                            "a number of samples ≥ 1", "\(samples)")
            }
            let pmin = try number(bytes, at(.physicalMinimum), "physical minimum of signal \(i) (\(label))")
            let pmax = try number(bytes, at(.physicalMaximum), "physical maximum of signal \(i) (\(label))")
            let dmin = try integer(bytes, at(.digitalMinimum), "digital minimum of signal \(i) (\(label))")
            let dmax = try integer(bytes, at(.digitalMaximum), "digital maximum of signal \(i) (\(label))")
            let limits = format.digitalLimits
            var gain = 1.0, offset = 0.0
            if !isAnnotation {
                guard dmin < dmax, dmin >= Int(limits.lowerBound), dmax <= Int(limits.upperBound) else {
                    throw error(.invalidDigitalRange, at(.digitalMinimum).offset, "digital range of signal \(i) (\(label)) is empty or out of range",
                                "\(limits.lowerBound) ≤ digital minimum < digital maximum ≤ \(limits.upperBound)", "\(dmin)…\(dmax)")
                }
                guard pmin != pmax else {
                    throw error(.invalidPhysicalRange, at(.physicalMinimum).offset, "physical minimum equals physical maximum for signal \(i) (\(label))",
                                "two different values", "\(pmin)…\(pmax)")
                }
                gain = (pmax - pmin) / Double(dmax - dmin)
                offset = pmax - gain * Double(dmax)
                signals.append(EDFSignalSpec(
                    label: label, transducer: Self.latin1(slice(bytes, at(.transducer))),
                    physicalDimension: Self.latin1(slice(bytes, at(.physicalDimension))),
                    physicalMinimum: pmin, physicalMaximum: pmax, digitalMinimum: Int32(dmin), digitalMaximum: Int32(dmax),
                    prefiltering: Self.latin1(slice(bytes, at(.prefiltering))), samplesPerRecord: samples))
            }
            layouts.append(EDFSignalLayout(isAnnotation: isAnnotation, byteOffset: byteOffset, samples: samples,
                                           gain: gain, offset: offset, dataIndex: isAnnotation ? -1 : signals.count - 1))
            byteOffset += samples * format.bytesPerSample
        }
        let annotationCount = layouts.count - signals.count
        if format.isPlus && annotationCount == 0 {
            throw error(.malformedAnnotation, EDFLayout.SignalField.label.offset(signal: 0, signalCount: ns),
                        "\(format) file has no annotation signal", "a signal labelled \"\(format.annotationLabel)\"", "none of \(ns) signals")
        }
        guard duration > 0 || (duration == 0 && signals.isEmpty) else {
            throw error(.invalidRecordDuration, EDFLayout.recordDuration.offset, "data-record duration must be positive when the file has data signals",
                        "a duration > 0 s", EDFField.quoted(slice(bytes, EDFLayout.recordDuration)))
        }
        guard recordCount != -1 else {
            let whole = (fileSize - bytes.count) / max(byteOffset, 1)
            throw error(.unfinishedRecording, EDFLayout.recordCount.offset, "record count is -1 (the file was never closed)",
                        "a record count ≥ 0", "-1 (the file holds \(whole) whole data records)")
        }
        guard recordCount >= 0 else {
            throw error(.invalidNumber, EDFLayout.recordCount.offset, "number of data records is negative", "a record count ≥ 0", "\(recordCount)")
        }
        let recordBytes = byteOffset
        let dataBytes = fileSize - bytes.count
        let (product, overflow) = recordCount.multipliedReportingOverflow(by: recordBytes)
        let expectedSize = overflow ? "more than \(Int.max)" : "\(bytes.count + product)"
        let expectation = "\(expectedSize) bytes (header \(bytes.count) + \(recordCount) records × \(recordBytes) bytes)"
        if dataBytes % recordBytes != 0 {
            let partial = dataBytes / recordBytes
            throw error(.truncatedData, bytes.count + partial * recordBytes,
                        "the file ends inside data record \(partial) (truncated?)", expectation, "\(fileSize) bytes")
        }
        guard dataBytes / recordBytes == recordCount else {
            throw error(.recordCountMismatch, EDFLayout.recordCount.offset,
                        "the header's record count (\(recordCount)) disagrees with the file size, which holds \(dataBytes / recordBytes) records",
                        expectation, "\(fileSize) bytes")
        }
        let header = EDFHeader(
            format: format,
            patientIdentification: Self.latin1(slice(bytes, EDFLayout.patient)),
            recordingIdentification: Self.latin1(slice(bytes, EDFLayout.recording)),
            start: start, headerBytes: bytes.count, recordCount: recordCount, recordDurationSeconds: duration,
            signals: signals, annotationSignalCount: annotationCount, recordBytes: recordBytes)
        return (header, layouts)
    }

    // MARK: - Fields

    private func slice(_ bytes: [UInt8], _ f: (offset: Int, width: Int)) -> ArraySlice<UInt8> {
        bytes[f.offset..<(f.offset + f.width)]
    }

    private func integer(_ bytes: [UInt8], _ f: (offset: Int, width: Int), _ name: String) throws(EDFError) -> Int {
        guard let v = EDFField.integer(slice(bytes, f)) else {
            throw error(.invalidNumber, f.offset, "\(name) is not an integer", "an integer in \(f.width) ASCII characters",
                        EDFField.quoted(slice(bytes, f)))
        }
        return v
    }

    private func number(_ bytes: [UInt8], _ f: (offset: Int, width: Int), _ name: String) throws(EDFError) -> Double {
        guard let v = EDFField.number(slice(bytes, f)) else {
            throw error(.invalidNumber, f.offset, "\(name) is not a number", "a decimal number in \(f.width) ASCII characters",
                        EDFField.quoted(slice(bytes, f)))
        }
        return v
    }

    /// Header text, trailing spaces removed. EDF requires printable ASCII; files from old tools
    /// carry Latin-1 (`µV`), so bytes above 0x7F are read as Latin-1 and control bytes as `?`
    /// rather than rejecting the file for a cosmetic field.
    static func latin1(_ bytes: ArraySlice<UInt8>) -> String {
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[end - 1] == 0x20 || bytes[end - 1] == 0 { end -= 1 }
        var s = ""
        for b in bytes[bytes.startIndex..<end] {
            s.unicodeScalars.append(b < 0x20 || (b >= 0x7F && b < 0xA0) ? "?" : Unicode.Scalar(b))
        }
        return s
    }
}
