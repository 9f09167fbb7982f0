// SPDX-License-Identifier: MIT
import CrampCore
import SystemPackage

/// Writes an EDF+C file (16-bit, continuous), or an EDF+D file (discontinuous: records with
/// gaps between them), one data record at a time.
///
/// The header is written when the file is opened, with the record count `-1` ("-1 during
/// recording", EDF spec); ``close()`` writes the true count into it. A file whose writer was
/// never closed therefore says so, and ``EDFReader`` refuses it with a clear error.
///
/// Every data record ends with the `EDF Annotations` signal: the time-keeping TAL
/// `+<onset>\x14\x14\0`, then as many of the pending annotations as fit, in the order given.
/// Annotations that do not fit are carried to the next records, never dropped.
///
/// In EDF+C each record starts where the previous one ended. In EDF+D
/// (``EDFWriterHeader/discontinuous``) ``writeRecord(_:annotations:onsetSeconds:)`` places a
/// record at any onset not before the end of the previous one; the time-keeping TAL carries it.
///
/// Physical values map onto the digital range by rounding to the nearest step; values outside
/// `[physicalMinimum, physicalMaximum]` are clamped and counted in ``clippedSamples``.
/// The output depends only on the header and the samples: identical input gives identical bytes.
///
/// - Important: Physical minimum, maximum and the record duration are stored in 8 characters.
///   A value that needs more digits is rounded to what fits, and the samples are converted with
///   the rounded value (the one a reader will see).
public final class EDFWriter {
    /// The file being written.
    public let path: FilePath
    /// The header the file was opened with.
    public let header: EDFWriterHeader
    /// Data records written so far.
    public private(set) var recordsWritten: Int = 0
    /// Physical samples that were outside the signal's physical range and clamped.
    public private(set) var clippedSamples: Int = 0
    /// Where the next record starts if it follows the previous one without a gap, in seconds
    /// from the file start.
    public private(set) var nextContiguousOnsetSeconds: Double = 0

    private var fd: FileDescriptor?
    private let conversions: [Conversion]
    private let recordBytes: Int
    private let annotationOffset: Int
    private var record: [UInt8]
    /// Encoded TALs waiting for room in a record, oldest first, from `pendingHead` on.
    private var pending: [[UInt8]] = []
    private var pendingHead = 0

    /// Per-signal mapping from physical to digital values, computed once.
    private struct Conversion {
        var physicalMinimum: Double
        var physicalMaximum: Double
        var digitalMinimum: Double
        var digitalMaximum: Double
        var digitalPerPhysical: Double
        var samples: Int
        var byteOffset: Int
    }

    /// Creates (or truncates) `path` and writes the header.
    ///
    /// - Parameters:
    ///   - path: the file to write.
    ///   - header: the recording's header; see ``EDFWriterHeader``.
    /// - Throws: ``EDFError`` with kind `.invalidField`, `.invalidSamplesPerRecord`,
    ///   `.invalidDigitalRange`, `.invalidPhysicalRange` or `.invalidRecordDuration` if the
    ///   header cannot be written as EDF+, or `.io` if the file cannot be created.
    public init(path: FilePath, header: EDFWriterHeader) throws(EDFError) {
        self.path = path
        self.header = header
        let (headerBytes, conversions) = try Self.encodeHeader(header, path: path)
        self.conversions = conversions
        annotationOffset = conversions.reduce(0) { $0 + $1.samples } * 2
        recordBytes = annotationOffset + header.annotationBytesPerRecord
        record = [UInt8](repeating: 0, count: recordBytes)
        do {
            let fd = try FileDescriptor.open(
                path, .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite, .groupRead, .otherRead])
            self.fd = fd
            try fd.writeAll(headerBytes)
        } catch {
            try? fd?.close()
            fd = nil
            throw EDFError.io(error, "write the header", path: path)
        }
    }

    deinit {
        // Not closed: the record count stays -1, which readers report as an unfinished file.
        try? fd?.close()
    }

    /// Appends one data record.
    ///
    /// - Parameters:
    ///   - physical: one array per data signal, in header order; `physical[i]` holds exactly
    ///     `signals[i].samplesPerRecord` values in physical units.
    ///   - annotations: annotations to store (onsets in seconds from the file start); they go
    ///     into this record, or later ones if this record's annotation space is full.
    /// - Throws: ``EDFError`` `.invalidRecord` for a wrong signal or sample count or a NaN
    ///   sample, `.malformedAnnotation` for an annotation that can never be stored (control
    ///   bytes in its text, a TAL longer than the annotation space), `.closed` after
    ///   ``close()``, `.io` if the write fails. Nothing is written when it throws.
    public func writeRecord(_ physical: [[Float]], annotations: [Annotation]) throws(EDFError) {
        try writeRecord(physical, annotations: annotations, onsetSeconds: nextContiguousOnsetSeconds)
    }

    /// Appends one data record that starts at `onsetSeconds` (EDF+D).
    ///
    /// - Parameters:
    ///   - physical: one array per data signal, as for ``writeRecord(_:annotations:)``.
    ///   - annotations: annotations to store, as for ``writeRecord(_:annotations:)``.
    ///   - onsetSeconds: the record's start in seconds from the file start: at least
    ///     ``nextContiguousOnsetSeconds`` (records never overlap). In an EDF+C file it must equal
    ///     it (to a microsecond): EDF+C has no gaps.
    /// - Throws: ``EDFError`` `.recordOnsetOutOfOrder` for an onset before the end of the
    ///   previous record, or any other one in EDF+C, or one that is not finite; otherwise as
    ///   ``writeRecord(_:annotations:)``. Nothing is written when it throws.
    public func writeRecord(_ physical: [[Float]], annotations: [Annotation], onsetSeconds onset: Double) throws(EDFError) {
        guard let fd else { throw closedError() }
        let contiguous = nextContiguousOnsetSeconds
        let tolerance = 1e-6
        guard onset.isFinite, onset >= contiguous - tolerance, onset < 1e9,
              header.discontinuous || abs(onset - contiguous) <= tolerance else {
            let expected = header.discontinuous
                ? "an onset ≥ \(EDFAnnotationEncoding.onsetText(contiguous)) s (the end of the previous record)"
                : "onset \(EDFAnnotationEncoding.onsetText(contiguous)) s (EDF+C has no gaps; write EDF+D for records with gaps)"
            throw EDFError(.recordOnsetOutOfOrder, path: path, byteOffset: nil, what: "record \(recordsWritten) cannot start at this onset",
                           expected: expected, found: "\(onset) s")
        }
        guard physical.count == conversions.count else {
            throw EDFError(.invalidRecord, path: path, byteOffset: nil, what: "record \(recordsWritten) has the wrong number of signals",
                           expected: "\(conversions.count) sample arrays", found: "\(physical.count)")
        }
        let timeKeeping = EDFAnnotationEncoding.timeKeepingTAL(onsetSeconds: onset)
        let room = header.annotationBytesPerRecord - timeKeeping.count
        var newTALs: [[UInt8]] = []
        newTALs.reserveCapacity(annotations.count)
        for a in annotations {
            if let (expected, found) = EDFAnnotationEncoding.problem(with: a) {
                throw EDFError(.malformedAnnotation, path: path, byteOffset: nil, what: "annotation cannot be stored as an EDF+ TAL",
                               expected: expected, found: found)
            }
            let tal = EDFAnnotationEncoding.tal(a)
            guard tal.count <= room else {
                throw EDFError(.malformedAnnotation, path: path, byteOffset: nil,
                               what: "annotation \"\(a.text)\" is longer than the annotation space of a data record",
                               expected: "a TAL of at most \(room) bytes (annotationBytesPerRecord \(header.annotationBytesPerRecord))",
                               found: "\(tal.count) bytes")
            }
            newTALs.append(tal)
        }
        var clipped = 0
        for (i, c) in conversions.enumerated() {
            guard physical[i].count == c.samples else {
                throw EDFError(.invalidRecord, path: path, byteOffset: nil,
                               what: "record \(recordsWritten), signal \(i) (\(header.signals[i].label)) has the wrong number of samples",
                               expected: "\(c.samples)", found: "\(physical[i].count)")
            }
            let bad: Int? = record.withUnsafeMutableBytes { raw in
                physical[i].withUnsafeBufferPointer { samples in
                    var offset = c.byteOffset
                    for (j, x) in samples.enumerated() {
                        let v = Double(x)
                        guard !v.isNaN else { return j }
                        var d = ((v - c.physicalMinimum) * c.digitalPerPhysical + c.digitalMinimum).rounded(.toNearestOrAwayFromZero)
                        if v < c.physicalMinimum || v > c.physicalMaximum { clipped += 1 }
                        d = min(max(d, c.digitalMinimum), c.digitalMaximum)
                        raw.storeBytes(of: Int16(d).littleEndian, toByteOffset: offset, as: Int16.self)
                        offset += 2
                    }
                    return nil
                }
            }
            if let bad {
                throw EDFError(.invalidRecord, path: path, byteOffset: nil,
                               what: "record \(recordsWritten), signal \(i) (\(header.signals[i].label)), sample \(bad) is NaN",
                               expected: "a number (mark a dropout with an annotation, not NaN)", found: "NaN")
            }
        }
        fillAnnotations(timeKeeping: timeKeeping, adding: newTALs)
        do {
            try fd.writeAll(record)
        } catch {
            throw EDFError.io(error, "write data record \(recordsWritten)", path: path,
                              byteOffset: EDFLayout.headerBytes(signalCount: conversions.count + 1) + recordsWritten * recordBytes)
        }
        recordsWritten += 1
        clippedSamples += clipped
        // From the records' own onsets, so that EDF+C onsets are exact multiples of the duration.
        nextContiguousOnsetSeconds = header.discontinuous
            ? onset + header.recordDurationSeconds : Double(recordsWritten) * header.recordDurationSeconds
    }

    /// Writes the time-keeping TAL and as many pending TALs as fit, zero-filling the rest.
    private func fillAnnotations(timeKeeping: [UInt8], adding newTALs: [[UInt8]]) {
        if pendingHead > 0 && pendingHead == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingHead = 0
        }
        pending += newTALs
        var at = annotationOffset
        let end = recordBytes
        record.replaceSubrange(at..<(at + timeKeeping.count), with: timeKeeping)
        at += timeKeeping.count
        while pendingHead < pending.count, pending[pendingHead].count <= end - at {
            let tal = pending[pendingHead]
            record.replaceSubrange(at..<(at + tal.count), with: tal)
            at += tal.count
            pendingHead += 1
        }
        for k in at..<end { record[k] = 0 }
    }

    /// Annotations accepted but not yet written, waiting for room in the next records.
    public var pendingAnnotationCount: Int { pending.count - pendingHead }

    /// Writes the record count into the header and closes the file. Calling it again does
    /// nothing.
    ///
    /// - Throws: ``EDFError`` `.annotationsNotWritten` if annotations are still waiting for
    ///   room (the file is complete and closed, but lacks them; write more records first),
    ///   `.io` if the header cannot be updated.
    public func close() throws(EDFError) {
        guard let fd else { return }
        self.fd = nil
        let count = EDFField.format(Double(recordsWritten), width: EDFLayout.recordCount.width) ?? "-1"
        var field: [UInt8] = []
        EDFField.append(count, width: EDFLayout.recordCount.width, to: &field)
        do {
            try fd.writeAll(toAbsoluteOffset: Int64(EDFLayout.recordCount.offset), field)
            try fd.close()
        } catch {
            try? fd.close()
            throw EDFError.io(error, "write the record count", path: path, byteOffset: EDFLayout.recordCount.offset)
        }
        if pendingAnnotationCount > 0 {
            throw EDFError(.annotationsNotWritten, path: path, byteOffset: nil,
                           what: "annotations did not fit in the data records written",
                           expected: "0 pending annotations at close", found: "\(pendingAnnotationCount)")
        }
    }

    private func closedError() -> EDFError {
        EDFError(.closed, path: path, byteOffset: nil, what: "the writer is closed", expected: "an open writer", found: "closed")
    }
}

// MARK: - Header encoding

extension EDFWriter {
    /// Validates `header` and encodes the header record; returns it with the sample conversions.
    private static func encodeHeader(_ header: EDFWriterHeader, path: FilePath) throws(EDFError) -> ([UInt8], [Conversion]) {
        let dataCount = header.signals.count
        let ns = dataCount + 1
        func fail(_ kind: EDFError.Kind, _ offset: Int, _ what: String, _ expected: String, _ found: String) -> EDFError {
            EDFError(kind, path: path, byteOffset: offset, what: what, expected: expected, found: found)
        }
        func text(_ value: String, _ field: (offset: Int, width: Int), _ name: String) throws(EDFError) -> String {
            guard EDFField.isPrintableASCII(value), value.utf8.count <= field.width else {
                throw fail(.invalidField, field.offset, "\(name) cannot be written", "at most \(field.width) printable ASCII characters", "\"\(value)\"")
            }
            return value
        }
        func number(_ value: Double, _ offset: Int, _ name: String) throws(EDFError) -> (String, Double) {
            guard let t = EDFField.format(value, width: 8), let v = Double(t) else {
                throw fail(.invalidField, offset, "\(name) does not fit in 8 characters", "a finite number of at most 8 characters", "\(value)")
            }
            return (t, v)
        }

        let patient = try text(header.patientIdentification, EDFLayout.patient, "patient identification")
        let recording = try text(header.recordingIdentification, EDFLayout.recording, "recording identification")
        guard recording.hasPrefix("Startdate") else {
            throw fail(.invalidField, EDFLayout.recording.offset, "EDF+ recording identification must start with \"Startdate\"",
                       "\"Startdate …\"", "\"\(recording)\"")
        }
        guard header.start.isValid else {
            throw fail(.invalidField, EDFLayout.startDate.offset, "start date/time cannot be written in EDF",
                       "a valid date and time in 1985…2084", header.start.description)
        }
        guard header.recordDurationSeconds.isFinite, header.recordDurationSeconds > 0 else {
            throw fail(.invalidRecordDuration, EDFLayout.recordDuration.offset, "record duration must be positive",
                       "a duration > 0 s", "\(header.recordDurationSeconds)")
        }
        let (durationText, duration) = try number(header.recordDurationSeconds, EDFLayout.recordDuration.offset, "record duration")
        guard duration > 0 else {
            throw fail(.invalidRecordDuration, EDFLayout.recordDuration.offset, "record duration rounds to 0 in 8 characters",
                       "a duration ≥ 0.000001 s", "\(header.recordDurationSeconds)")
        }
        let tal = header.annotationBytesPerRecord
        guard tal >= 32, tal % 2 == 0, tal / 2 <= 99_999_999 else {
            throw fail(.invalidField, EDFLayout.SignalField.samplesPerRecord.offset(signal: dataCount, signalCount: ns),
                       "annotation space per record must be an even number of bytes, at least 32", "an even number ≥ 32", "\(tal)")
        }

        var conversions: [Conversion] = []
        var byteOffset = 0
        var physicalTexts: [(String, String)] = []
        for (i, s) in header.signals.enumerated() {
            func off(_ f: EDFLayout.SignalField) -> Int { f.offset(signal: i, signalCount: ns) }
            _ = try text(s.label, (off(.label), 16), "label of signal \(i)")
            guard !s.label.isEmpty, s.label != EDFSignalSpec.annotationLabel else {
                throw fail(.invalidField, off(.label), "label of data signal \(i) is empty or reserved", "a signal label", "\"\(s.label)\"")
            }
            _ = try text(s.transducer, (off(.transducer), 80), "transducer type of \(s.label)")
            _ = try text(s.physicalDimension, (off(.physicalDimension), 8), "physical dimension of \(s.label)")
            _ = try text(s.prefiltering, (off(.prefiltering), 80), "prefiltering of \(s.label)")
            guard s.samplesPerRecord > 0, s.samplesPerRecord <= 99_999_999 else {
                throw fail(.invalidSamplesPerRecord, off(.samplesPerRecord), "\(s.label) must have samples in each data record",
                           "1…99999999 samples per record", "\(s.samplesPerRecord)")
            }
            guard s.digitalMinimum >= -32768, s.digitalMaximum <= 32767, s.digitalMinimum < s.digitalMaximum else {
                throw fail(.invalidDigitalRange, off(.digitalMinimum), "digital range of \(s.label) is not a 16-bit range",
                           "-32768 ≤ digital minimum < digital maximum ≤ 32767", "\(s.digitalMinimum)…\(s.digitalMaximum)")
            }
            let (pminText, pmin) = try number(s.physicalMinimum, off(.physicalMinimum), "physical minimum of \(s.label)")
            let (pmaxText, pmax) = try number(s.physicalMaximum, off(.physicalMaximum), "physical maximum of \(s.label)")
            guard pmin < pmax else {
                throw fail(.invalidPhysicalRange, off(.physicalMinimum), "physical range of \(s.label) is empty or inverted",
                           "physical minimum < physical maximum (in 8 characters)", "\(pminText)…\(pmaxText)")
            }
            physicalTexts.append((pminText, pmaxText))
            let dmin = Double(s.digitalMinimum), dmax = Double(s.digitalMaximum)
            conversions.append(Conversion(physicalMinimum: pmin, physicalMaximum: pmax, digitalMinimum: dmin, digitalMaximum: dmax,
                                          digitalPerPhysical: (dmax - dmin) / (pmax - pmin), samples: s.samplesPerRecord,
                                          byteOffset: byteOffset))
            byteOffset += s.samplesPerRecord * 2
        }

        var h: [UInt8] = []
        h.reserveCapacity(EDFLayout.headerBytes(signalCount: ns))
        EDFField.append("0", width: 8, to: &h)
        EDFField.append(patient, width: 80, to: &h)
        EDFField.append(recording, width: 80, to: &h)
        EDFField.append(header.start.dateField, width: 8, to: &h)
        EDFField.append(header.start.timeField, width: 8, to: &h)
        EDFField.append(String(EDFLayout.headerBytes(signalCount: ns)), width: 8, to: &h)
        EDFField.append(header.discontinuous ? "EDF+D" : "EDF+C", width: 44, to: &h)
        EDFField.append("-1", width: 8, to: &h)
        EDFField.append(durationText, width: 8, to: &h)
        EDFField.append(String(ns), width: 4, to: &h)
        let annotation = EDFSignalSpec(label: EDFSignalSpec.annotationLabel, physicalDimension: "", physicalMinimum: -1,
                                       physicalMaximum: 1, samplesPerRecord: tal / 2)
        let all = header.signals + [annotation]
        let phys = physicalTexts + [("-1", "1")]
        for s in all { EDFField.append(s.label, width: 16, to: &h) }
        for s in all { EDFField.append(s.transducer, width: 80, to: &h) }
        for s in all { EDFField.append(s.physicalDimension, width: 8, to: &h) }
        for p in phys { EDFField.append(p.0, width: 8, to: &h) }
        for p in phys { EDFField.append(p.1, width: 8, to: &h) }
        for s in all { EDFField.append(String(s.digitalMinimum), width: 8, to: &h) }
        for s in all { EDFField.append(String(s.digitalMaximum), width: 8, to: &h) }
        for s in all { EDFField.append(s.prefiltering, width: 80, to: &h) }
        for s in all { EDFField.append(String(s.samplesPerRecord), width: 8, to: &h) }
        for _ in all { EDFField.append("", width: 32, to: &h) }
        return (h, conversions)
    }
}
