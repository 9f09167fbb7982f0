// SPDX-License-Identifier: MIT

/// The last `length` samples of a stream, always readable as one contiguous buffer without
/// copying — the sliding window an FFT needs.
///
/// liquid-dsp's double-buffer trick (`window.proto.c`): the storage holds `2·length` samples;
/// samples are appended at a write index; when the index reaches the end, the last
/// `length − 1` samples are moved once to the front and writing continues from there. The
/// newest `length` samples therefore always sit at `storage[write − length ..< write]`. The
/// move costs `length − 1` copies every `length + 1` appends: under one copy per sample,
/// amortised, and no per-window copy at all.
///
/// Before `length` samples have arrived, the window holds zeros in front of them (the storage
/// starts zeroed). A value type: copying a window copies its samples. Appending never
/// allocates (the storage is uniquely owned unless the window was copied).
public struct RingWindow: Sendable {
    /// The window length, in samples.
    public let length: Int
    /// How many samples have been appended since creation or the last `reset()`.
    public private(set) var appendedCount = 0

    private var storage: [Float]
    private var write: Int

    /// An empty (all-zero) window of `length` samples.
    ///
    /// - Parameter length: At least 1 (a programming error otherwise).
    public init(length: Int) {
        precondition(length >= 1, "a window needs at least one sample")
        self.length = length
        storage = Array(repeating: 0, count: 2 * length)
        write = length
    }

    /// Whether `length` samples have arrived, so the window holds no initial zeros.
    public var isFull: Bool { appendedCount >= length }

    /// Appends one sample, dropping the oldest.
    public mutating func append(_ x: Float) {
        withUnsafePointer(to: x) { append(from: $0, stride: 1, count: 1) }
    }

    /// Appends a block of samples, oldest first.
    public mutating func append(contentsOf block: UnsafeBufferPointer<Float>) {
        guard let base = block.baseAddress else { return }
        append(from: base, stride: 1, count: block.count)
    }

    /// Appends every `stride`-th sample of `base`, starting at `base[0]`, `count` samples in
    /// all: one channel out of interleaved frames.
    public mutating func append(from source: UnsafePointer<Float>, stride: Int, count: Int) {
        let capacity = 2 * length
        let keep = length - 1
        var source = source
        var remaining = count
        appendedCount &+= count
        storage.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            while remaining > 0 {
                if write == capacity {
                    // Move the newest `length − 1` samples to the front; no overlap because
                    // the storage is twice the window.
                    base.update(from: base + (capacity - keep), count: keep)
                    write = keep
                }
                let run = min(remaining, capacity - write)
                let destination = base + write
                if stride == 1 {
                    destination.update(from: source, count: run)
                } else {
                    for i in 0..<run { destination[i] = source[i * stride] }
                }
                source += run * stride
                write += run
                remaining -= run
            }
        }
    }

    /// Gives `body` the last `length` samples, oldest first, contiguous.
    public func withContiguousSamples<R>(_ body: (UnsafeBufferPointer<Float>) -> R) -> R {
        storage.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[(write - length)..<write]))
        }
    }

    /// Gives `body` the last `count` samples (`count ≤ length`), oldest first, contiguous.
    public func withLastSamples<R>(_ count: Int, _ body: (UnsafeBufferPointer<Float>) -> R) -> R {
        precondition(count >= 0 && count <= length, "at most `length` samples are kept")
        return storage.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[(write - count)..<write]))
        }
    }

    /// Clears the window back to zeros, without allocating.
    public mutating func reset() {
        storage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        write = length
        appendedCount = 0
    }
}
