// SPDX-License-Identifier: MIT

/// The most recent samples of one or more channels at one rate, addressed by their stream index
/// (0 = first sample): what the stride stage reads back when a burst or a stride is decided, a
/// second or two after its samples arrived.
///
/// Frames (one sample per channel, interleaved) are kept in a ring of a power-of-two number of
/// frames; appending overwrites the oldest. A block of interleaved frames is appended with one
/// or two copies. Nothing is allocated after `init`. A value type: copying a history copies its
/// samples.
public struct SampleHistory: Sendable {
    /// How many frames are kept.
    public let capacity: Int
    /// The number of channels per frame.
    public let channelCount: Int
    /// Frames appended since creation or `reset()`.
    public private(set) var count = 0

    private var storage: [Float]
    private let mask: Int

    /// A history of at least `minimumCapacity` frames (rounded up to a power of two) of
    /// `channelCount` channels.
    public init(minimumCapacity: Int, channelCount: Int = 1) {
        precondition(channelCount >= 1, "a history needs at least one channel")
        var size = 1
        while size < max(1, minimumCapacity) { size *= 2 }
        capacity = size
        self.channelCount = channelCount
        mask = size - 1
        storage = Array(repeating: 0, count: size * channelCount)
    }

    /// The stream index of the oldest frame still held.
    public var oldestIndex: Int { max(0, count - capacity) }

    /// The indices held, `oldestIndex ..< count`.
    public var heldRange: Range<Int> { oldestIndex..<count }

    /// The sample of `channel` at stream index `index`, which must be in `heldRange`.
    @inline(__always)
    public subscript(index: Int, channel: Int = 0) -> Float {
        storage.withUnsafeBufferPointer { $0[(index & mask) * channelCount + channel] }
    }

    /// Appends `frames` interleaved frames (`frames × channelCount` samples, frame-major).
    public mutating func append(interleaved source: UnsafePointer<Float>, frames: Int) {
        let n = channelCount
        var done = 0
        storage.withUnsafeMutableBufferPointer { s in
            while done < frames {
                let at = (count + done) & mask
                let run = min(frames - done, capacity - at)
                (s.baseAddress! + at * n).update(from: source + done * n, count: run * n)
                done += run
            }
        }
        count += frames
    }

    /// Copies every `step`-th sample of `channel` at `range` (which must be held), from its
    /// first, into `destination`, oldest first; returns how many it copied.
    @discardableResult
    public func copy(_ range: Range<Int>, channel: Int = 0, step: Int = 1, into destination: UnsafeMutablePointer<Float>) -> Int {
        precondition(step >= 1, "a step of at least one sample")
        let n = channelCount
        var copied = 0
        storage.withUnsafeBufferPointer { s in
            // At most two contiguous stretches of the ring.
            var out = destination
            var index = range.lowerBound
            while index < range.upperBound {
                let at = index & mask
                let run = min(range.upperBound - index, capacity - at)
                var p = s.baseAddress! + at * n + channel
                var i = 0
                while i < run {
                    out.pointee = p.pointee
                    out += 1
                    p += step * n
                    i += step
                }
                copied += (run + step - 1) / step
                index += (run + step - 1) / step * step
            }
        }
        return copied
    }

    /// Forgets every sample, without allocating.
    public mutating func reset() { count = 0 }
}
