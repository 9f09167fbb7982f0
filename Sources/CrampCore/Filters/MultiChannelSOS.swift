// SPDX-License-Identifier: MIT

/// The same second-order sections run on several channels in lockstep, eight channels per SIMD
/// vector: the multichannel counterpart of `SOSCascade`.
///
/// A biquad is a chain of dependent multiply–adds, so one channel alone is bound by latency,
/// not arithmetic. Eight channels in the lanes of a `SIMD8<Float>` share every instruction and
/// every coefficient, and the chain's latency is paid once for all eight. Channels are grouped
/// by eight; a last, partial group runs with idle lanes.
///
/// Samples come interleaved (frame-major: `x[frame * channelCount + channel]`), the layout of
/// an EDF record transposed or of a multichannel BLE notification, and are filtered in place.
/// Internally a chunk of frames is gathered into a preallocated scratch block, each section
/// runs over the whole chunk with its state in registers, and the chunk is scattered back.
///
/// Lane `c` computes exactly what `SOSCascade` computes for channel `c` (the same operations
/// in the same order), so single- and multichannel outputs are identical — unless a state
/// variable falls below `Biquad.negligibleState` (1e-30), which the two may flush to zero a
/// few samples apart.
public struct MultiChannelSOS: Sendable {
    /// The vector type of one group of channels.
    public typealias Lanes = SIMD8<Float>

    /// How many channels share one vector.
    public static let laneCount = Lanes.scalarCount

    /// Frames per chunk: 128 frames × 32 bytes = 4 KiB of scratch, well inside L1. Negligible
    /// state is flushed once per chunk, as in `Biquad`.
    static let chunkFrames = Biquad.flushInterval

    /// The number of channels, fixed at creation.
    public let channelCount: Int
    /// The designs of the sections, in order.
    public let coefficients: [BiquadCoefficients]

    private let groupCount: Int
    /// b0, b1, b2, a1, a2 per section, in `Float`.
    private let taps: [Float]
    /// s1, s2 per section per group: `state[(group * sections + section) * 2 + k]`.
    private var state: [Lanes]
    private var scratch: [Lanes]

    /// A cascade at rest for `channelCount` channels.
    ///
    /// - Parameters:
    ///   - coefficients: The sections, first to last (as for `SOSCascade`).
    ///   - channelCount: At least 1.
    public init(coefficients: [BiquadCoefficients], channelCount: Int) {
        precondition(channelCount >= 1, "a multichannel filter needs at least one channel")
        self.channelCount = channelCount
        self.coefficients = coefficients
        groupCount = (channelCount + Self.laneCount - 1) / Self.laneCount
        taps = coefficients.flatMap { c in [c.b0, c.b1, c.b2, c.a1, c.a2].map(Float.init) }
        state = Array(repeating: .zero, count: groupCount * coefficients.count * 2)
        scratch = Array(repeating: .zero, count: Self.chunkFrames)
    }

    /// Filters interleaved frames in place.
    ///
    /// - Parameter interleaved: `frames × channelCount` samples, frame-major. Its count must be
    ///   a multiple of `channelCount`.
    public mutating func process(interleaved: UnsafeMutableBufferPointer<Float>) {
        precondition(interleaved.count % channelCount == 0, "a partial frame")
        guard let base = interleaved.baseAddress, !coefficients.isEmpty else { return }
        let frames = interleaved.count / channelCount
        let sectionCount = coefficients.count
        let channels = channelCount
        let groups = groupCount
        taps.withUnsafeBufferPointer { taps in
            state.withUnsafeMutableBufferPointer { state in
                scratch.withUnsafeMutableBufferPointer { block in
                    var start = 0
                    while start < frames {
                        let n = min(Self.chunkFrames, frames - start)
                        for group in 0..<groups {
                            let first = group * Self.laneCount
                            let lanes = min(Self.laneCount, channels - first)
                            Self.gather(base, channels: channels, first: first, lanes: lanes, frames: start..<(start + n), into: block)
                            for section in 0..<sectionCount {
                                Self.run(
                                    taps: taps, section: section,
                                    state: state, stateIndex: (group * sectionCount + section) * 2,
                                    block: block, count: n)
                            }
                            Self.scatter(block, into: base, channels: channels, first: first, lanes: lanes, frames: start..<(start + n))
                        }
                        start += n
                    }
                }
            }
        }
    }

    /// Filters one frame of up to eight channels (group 0 only); lanes beyond `channelCount`
    /// are ignored.
    public mutating func process(_ frame: Lanes) -> Lanes {
        var y = frame
        let sectionCount = coefficients.count
        taps.withUnsafeBufferPointer { taps in
            state.withUnsafeMutableBufferPointer { state in
                for section in 0..<sectionCount {
                    let t = section * 5
                    let x = y
                    let i = section * 2
                    y = taps[t] * x + state[i]
                    state[i] = taps[t + 1] * x - taps[t + 3] * y + state[i + 1]
                    state[i + 1] = taps[t + 2] * x - taps[t + 4] * y
                }
            }
        }
        return y
    }

    /// Returns every channel to rest, without allocating.
    public mutating func reset() {
        state.withUnsafeMutableBufferPointer { state in
            for i in state.indices { state[i] = .zero }
        }
    }

    // MARK: - Kernels

    @inline(__always)
    private static func run(
        taps: UnsafeBufferPointer<Float>, section: Int,
        state: UnsafeMutableBufferPointer<Lanes>, stateIndex: Int,
        block: UnsafeMutableBufferPointer<Lanes>, count: Int
    ) {
        let t = section * 5
        let b0 = Lanes(repeating: taps[t]), b1 = Lanes(repeating: taps[t + 1])
        let b2 = Lanes(repeating: taps[t + 2]), a1 = Lanes(repeating: taps[t + 3])
        let a2 = Lanes(repeating: taps[t + 4])
        var s1 = state[stateIndex], s2 = state[stateIndex + 1]
        for i in 0..<count {
            let x = block[i]
            let y = b0 * x + s1
            s1 = b1 * x - a1 * y + s2
            s2 = b2 * x - a2 * y
            block[i] = y
        }
        // Flush negligible state once per chunk (see `Biquad.flushNegligible`).
        let tiny = Lanes(repeating: Biquad.negligibleState)
        s1.replace(with: 0, where: (s1 .< tiny) .& (s1 .> -tiny))
        s2.replace(with: 0, where: (s2 .< tiny) .& (s2 .> -tiny))
        state[stateIndex] = s1
        state[stateIndex + 1] = s2
    }

    @inline(__always)
    // Loops here index plain integer ranges: `enumerated()` on a `Range` goes through an
    // unspecialised iterator in debug builds, which allocates (see AllocationTests).
    private static func gather(
        _ base: UnsafeMutablePointer<Float>, channels: Int, first: Int, lanes: Int,
        frames: Range<Int>, into block: UnsafeMutableBufferPointer<Lanes>
    ) {
        if lanes == laneCount {
            let raw = UnsafeRawPointer(base)
            for i in 0..<frames.count {
                let frame = frames.lowerBound + i
                block[i] = Lanes(loadingUnalignedFrom: raw + (frame * channels + first) * 4)
            }
        } else {
            for i in 0..<frames.count {
                let frame = frames.lowerBound + i
                var v = Lanes.zero
                for lane in 0..<lanes { v[lane] = base[frame * channels + first + lane] }
                block[i] = v
            }
        }
    }

    @inline(__always)
    private static func scatter(
        _ block: UnsafeMutableBufferPointer<Lanes>, into base: UnsafeMutablePointer<Float>,
        channels: Int, first: Int, lanes: Int, frames: Range<Int>
    ) {
        if lanes == laneCount {
            let raw = UnsafeMutableRawPointer(base)
            for i in 0..<frames.count {
                let frame = frames.lowerBound + i
                block[i].storeUnaligned(to: raw + (frame * channels + first) * 4)
            }
        } else {
            for i in 0..<frames.count {
                let frame = frames.lowerBound + i
                let v = block[i]
                for lane in 0..<lanes { base[frame * channels + first + lane] = v[lane] }
            }
        }
    }
}
