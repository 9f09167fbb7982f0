// SPDX-License-Identifier: MIT

/// The most recent samples of one channel, addressed by their stream index (0 = first sample):
/// what the stride stage reads back when a burst or a stride is decided, a second or two after
/// its samples arrived.
///
/// A ring of a power-of-two capacity; appending overwrites the oldest samples. Nothing is
/// allocated after `init`. A value type: copying a history copies its samples.
public struct SampleHistory: Sendable {
    /// How many samples are kept.
    public let capacity: Int
    /// Samples appended since creation or `reset()`.
    public private(set) var count = 0

    private var storage: [Float]
    private let mask: Int

    /// A history of at least `minimumCapacity` samples (rounded up to a power of two).
    public init(minimumCapacity: Int) {
        var size = 1
        while size < max(1, minimumCapacity) { size *= 2 }
        capacity = size
        mask = size - 1
        storage = Array(repeating: 0, count: size)
    }

    /// The stream index of the oldest sample still held.
    public var oldestIndex: Int { max(0, count - capacity) }

    /// The indices held, `oldestIndex ..< count`.
    public var heldRange: Range<Int> { oldestIndex..<count }

    /// The sample at stream index `index`, which must be in `heldRange`.
    @inline(__always)
    public subscript(index: Int) -> Float {
        storage.withUnsafeBufferPointer { $0[index & mask] }
    }

    /// Appends `count` samples spaced `stride` apart from `base`.
    public mutating func append(from base: UnsafePointer<Float>, stride: Int, count n: Int) {
        let mask = self.mask
        var write = count & mask
        storage.withUnsafeMutableBufferPointer { s in
            var p = base
            for _ in 0..<n {
                s[write] = p.pointee
                write = (write + 1) & mask
                p += stride
            }
        }
        count += n
    }

    /// Forgets every sample, without allocating.
    public mutating func reset() { count = 0 }
}
