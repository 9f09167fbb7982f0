// SPDX-License-Identifier: MIT

/// The per-sample work of signal quality and burst detection for all channels of a rate group
/// at once, eight channels per SIMD vector — the lanes of the vectors are the channels, as in
/// `MultiChannelSOS` — so that the per-channel state machines only see per-frame and per-block
/// sums.
///
/// Per sample and lane it keeps: the raw sample's frame minimum, maximum and sum; the
/// conditioned sample's Teager–Kaiser term `|x[n−1]² − x[n−2]·x[n]|`, square and magnitude
/// (the sums `BurstDetector.processFrame` takes); on the first `stepSamples` samples of each
/// hop block, the smallest non-zero change of the raw signal; and on every `mainsStride`-th
/// sample (a 1 kHz-equivalent rate), the band-passed sample's square and its products with the
/// samples one and two mains periods earlier (50 Hz) and three and six periods earlier (60 Hz),
/// with the squares of those. Per 5 ms frame it derives, lane by lane, whether the raw frame was
/// exactly constant (and equal to the sample before it) and whether it touched a rail, and
/// hands the frame's burst sums out (`completedFrame`); the frame's raw mean, minus the first
/// frame's (the electrode offset), goes through the monitors' 1–20 Hz band-pass, lane by lane,
/// and its square into the block. Per hop it hands the block sums to each channel's
/// `SignalQualityMonitor`.
///
/// About 20 vector operations per frame of eight channels at 2 kHz. Nothing is allocated after
/// `init`.
struct EMGLaneKernel {
    typealias Lanes = SIMD8<Float>
    typealias Counts = SIMD8<Int32>
    static let width = Lanes.scalarCount
    /// The quantisation step is looked for in this many samples at the start of each block.
    static let stepSamples = 32

    /// The running state and sums of one group of eight lanes.
    struct Group {
        // Running state.
        var lastRaw = Lanes(repeating: .nan)
        var previous1 = Lanes.zero
        var previous2 = Lanes.zero
        var constantFrames = Counts.zero
        // Frame sums.
        var energy = Lanes.zero
        var squares = Lanes.zero
        var peak = Lanes.zero
        var rawSum = Lanes.zero
        var frameMinimum = Lanes(repeating: .infinity)
        var frameMaximum = Lanes(repeating: -.infinity)
        var beforeFrame = Lanes(repeating: .nan)
        // Block sums.
        var minimum = Lanes(repeating: .infinity)
        var maximum = Lanes(repeating: -.infinity)
        var step = Lanes(repeating: .infinity)
        var railFrames = Counts.zero
        var longestConstant = Counts.zero
        /// The mains sums of lanes 0–3 and 4–7, continued sample after sample (so that their
        /// rounding does not depend on how the input was cut into calls).
        var mains = (MainsSums(), MainsSums())
        // Low-frequency path: the offset (first frame mean), the biquads' states, the block sum.
        var offset = Lanes(repeating: .nan)
        var lowState = (Lanes.zero, Lanes.zero, Lanes.zero, Lanes.zero)
        var lowSquares = Lanes.zero
    }

    /// The mains sums of four lanes.
    struct MainsSums {
        var squares = SIMD4<Float>.zero
        var products = (SIMD4<Float>.zero, SIMD4<Float>.zero, SIMD4<Float>.zero, SIMD4<Float>.zero)
        var lagged = (SIMD4<Float>.zero, SIMD4<Float>.zero, SIMD4<Float>.zero, SIMD4<Float>.zero)
    }

    /// One frame's burst sums for a group.
    struct FrameSums {
        var energy: Lanes
        var squares: Lanes
        var peak: Lanes
        var rawSum: Lanes
    }

    let channelCount: Int
    let groupCount: Int
    let frameLength: Int
    /// Band-passed samples are used every `mainsStride`-th sample.
    let mainsStride: Int
    private let lowRail: [Lanes]
    private let highRail: [Lanes]
    /// The four lags, in used (every `mainsStride`-th) samples.
    private let lags: SIMD4<Int>
    private let ringSize: Int

    /// The low-frequency band-pass: two sections, b0 b1 b2 a1 a2 each.
    private let lowTaps: (Float, Float, Float, Float, Float, Float, Float, Float, Float, Float)
    private var groups: [Group]
    /// The band-passed history for the lagged products, per half group (four lanes: with nine
    /// accumulators the loop then fits the 16 registers of SSE), `2 · groupCount` rings of
    /// `ringSize` entries.
    private var ring: [SIMD4<Float>]
    private var ringPosition = 0
    private var untilFrame: Int
    private var untilMains = 0
    private var stepBudget = EMGLaneKernel.stepSamples
    private(set) var blockSamples = 0
    private(set) var blockFrames = 0
    private var outputs: [FrameSums]
    /// Frames completed by the last `accumulate` (read them with `completedFrame`).
    private(set) var completedFrames = 0

    /// A kernel for `channelCount` channels at `sampleRate`.
    ///
    /// - Parameters:
    ///   - rails: Per channel, the raw values at or beyond which a sample is on a rail.
    ///   - frameLength: Samples per burst-detector frame.
    ///   - maximumSpan: The most samples one `accumulate` call takes (the hop).
    ///   - lowFrequency: The two sections of the monitors' 1–20 Hz band-pass at the frame rate.
    init(
        channelCount: Int, sampleRate: Hertz, rails: [(low: Float, high: Float)], frameLength: Int, maximumSpan: Int,
        lowFrequency: [BiquadCoefficients]
    ) {
        precondition(rails.count == channelCount && channelCount >= 1 && frameLength >= 1 && lowFrequency.count == 2)
        let (a, b) = (lowFrequency[0], lowFrequency[1])
        lowTaps = (Float(a.b0), Float(a.b1), Float(a.b2), Float(a.a1), Float(a.a2),
                   Float(b.b0), Float(b.b1), Float(b.b2), Float(b.a1), Float(b.a2))
        self.channelCount = channelCount
        let groups = (channelCount + Self.width - 1) / Self.width
        groupCount = groups
        self.frameLength = frameLength
        var low = [Lanes](repeating: Lanes(repeating: -.infinity), count: groups)
        var high = [Lanes](repeating: Lanes(repeating: .infinity), count: groups)
        for c in 0..<channelCount {
            low[c / Self.width][c % Self.width] = rails[c].low
            high[c / Self.width][c % Self.width] = rails[c].high
        }
        lowRail = low
        highRail = high
        let stride = Self.mainsStride(sampleRate)
        mainsStride = stride
        lags = Self.mainsLags(sampleRate)
        var size = 1
        while size <= lags.max() { size *= 2 }
        ringSize = size
        self.groups = Array(repeating: Group(), count: groups)
        ring = Array(repeating: .zero, count: 2 * groups * size)
        untilFrame = frameLength
        outputs = Array(
            repeating: FrameSums(energy: .zero, squares: .zero, peak: .zero, rawSum: .zero),
            count: groups * (maximumSpan / frameLength + 2))
    }

    /// Band-passed samples are used every `mainsStride(rate)`-th sample: about 1000 per second.
    static func mainsStride(_ rate: Hertz) -> Int { max(1, Int(rate.value / 1000)) }

    /// The four mains lags in used samples: one and two periods of 50 Hz, three and six periods of
    /// 60 Hz.
    static func mainsLags(_ rate: Hertz) -> SIMD4<Int> {
        let used = rate.value / Double(mainsStride(rate))
        let lag50 = max(1, Int((used / 50).rounded())), lag60 = max(1, Int((used / 20).rounded()))
        return SIMD4(lag50, 2 * lag50, lag60, 2 * lag60)
    }

    /// Takes `frames` interleaved frames of the three forms of the signal (at most
    /// `maximumSpan`, and not past the end of a hop block).
    mutating func accumulate(
        raw: UnsafePointer<Float>, bandPassed: UnsafePointer<Float>, conditioned: UnsafePointer<Float>, frames: Int
    ) {
        completedFrames = 0
        var done = 0
        while done < frames {
            let run = min(frames - done, untilFrame)
            let withStep = min(run, stepBudget)
            accumulateRun(raw: raw, bandPassed: bandPassed, conditioned: conditioned, from: done, count: withStep, step: true)
            accumulateRun(
                raw: raw, bandPassed: bandPassed, conditioned: conditioned, from: done + withStep, count: run - withStep,
                step: false)
            stepBudget -= withStep
            done += run
            untilFrame -= run
            if untilFrame == 0 {
                untilFrame = frameLength
                completeFrame()
            }
        }
        blockSamples += frames
    }

    /// The burst sums of frame `slot` (0..<completedFrames) of `channel`: Σ|ψ|, Σx², max|x|
    /// (conditioned).
    func completedFrame(_ slot: Int, channel: Int) -> (energy: Float, squares: Float, peak: Float) {
        let o = outputs[slot * groupCount + channel / Self.width], l = channel % Self.width
        return (o.energy[l], o.squares[l], o.peak[l])
    }

    /// Hands the block sums of every channel to its quality monitor and starts a new block.
    mutating func completeBlock(into channels: UnsafeMutableBufferPointer<EMGChannelState>) {
        let samples = blockSamples, frames = blockFrames, length = frameLength
        groups.withUnsafeMutableBufferPointer { groups in
            for c in 0..<channelCount {
                let g = groups[c / Self.width], l = c % Self.width
                let m = l < 4 ? g.mains.0 : g.mains.1, k = l % 4
                var products = SIMD4<Double>(), lagged = SIMD4<Double>()
                products[0] = Double(m.products.0[k])
                products[1] = Double(m.products.1[k])
                products[2] = Double(m.products.2[k])
                products[3] = Double(m.products.3[k])
                lagged[0] = Double(m.lagged.0[k])
                lagged[1] = Double(m.lagged.1[k])
                lagged[2] = Double(m.lagged.2[k])
                lagged[3] = Double(m.lagged.3[k])
                let longest = Int(g.longestConstant[l]) * length
                channels[c].completeQualityBlock(
                    minimum: g.minimum[l], maximum: g.maximum[l], step: g.step[l], railFrames: Int(g.railFrames[l]),
                    longestConstantRun: longest, squares: Double(m.squares[k]), products: products,
                    lagged: lagged, lowFrequencySquares: Double(g.lowSquares[l]), samples: samples, frames: frames)
            }
            for i in groups.indices {
                groups[i].minimum = Lanes(repeating: .infinity)
                groups[i].maximum = Lanes(repeating: -.infinity)
                groups[i].step = Lanes(repeating: .infinity)
                groups[i].railFrames = .zero
                // A constant run goes on across blocks; each block reports the longest that
                // reached into it.
                groups[i].longestConstant = groups[i].constantFrames
                groups[i].lowSquares = .zero
                groups[i].mains = (MainsSums(), MainsSums())
            }
        }
        blockSamples = 0
        blockFrames = 0
        stepBudget = Self.stepSamples
    }

    // MARK: - Kernels

    /// Three passes over the run — raw, conditioned, band-passed — so that each keeps its few
    /// accumulators in registers (eight lanes are two SSE or NEON registers each).
    private mutating func accumulateRun(
        raw: UnsafePointer<Float>, bandPassed: UnsafePointer<Float>, conditioned: UnsafePointer<Float>,
        from first: Int, count: Int, step findStep: Bool
    ) {
        guard count > 0 else { return }
        let n = channelCount, size = ringSize, mask = ringSize - 1, lags = self.lags, stride = mainsStride
        let startPosition = ringPosition, startUntil = untilMains
        var position = startPosition, until = startUntil
        let frames = first..<(first + count)
        groups.withUnsafeMutableBufferPointer { groups in
            ring.withUnsafeMutableBufferPointer { ring in
                for g in 0..<groupCount {
                    let lane0 = g * Self.width
                    let lanes = min(Self.width, n - lane0)
                    // Raw: frame extremes and sum; the smallest step at the start of a block.
                    var low = groups[g].frameMinimum, high = groups[g].frameMaximum, sum = groups[g].rawSum
                    var last = groups[g].lastRaw
                    if findStep {
                        var step = groups[g].step
                        for f in frames {
                            let x = Self.load(raw + (f &* n &+ lane0), lanes: lanes)
                            low = low.replacing(with: x, where: x .< low)
                            high = high.replacing(with: x, where: x .> high)
                            sum += x
                            let change = Self.magnitude(x - last)
                            step = step.replacing(with: change, where: (change .> 0) .& (change .< step))
                            last = x
                        }
                        groups[g].step = step
                    } else {
                        for f in frames {
                            let x = Self.load(raw + (f &* n &+ lane0), lanes: lanes)
                            low = low.replacing(with: x, where: x .< low)
                            high = high.replacing(with: x, where: x .> high)
                            sum += x
                            last = x
                        }
                    }
                    groups[g].frameMinimum = low
                    groups[g].frameMaximum = high
                    groups[g].rawSum = sum
                    groups[g].lastRaw = last
                    // Conditioned: Teager–Kaiser term of the previous sample, square, peak.
                    var p1 = groups[g].previous1, p2 = groups[g].previous2
                    var energy = groups[g].energy, squares = groups[g].squares, peak = groups[g].peak
                    for f in frames {
                        let c = Self.load(conditioned + (f &* n &+ lane0), lanes: lanes)
                        let psi = p1 * p1 - p2 * c
                        energy += Self.magnitude(psi)
                        squares += c * c
                        let magnitude = Self.magnitude(c)
                        peak = peak.replacing(with: magnitude, where: magnitude .> peak)
                        p2 = p1
                        p1 = c
                    }
                    groups[g].previous1 = p1
                    groups[g].previous2 = p2
                    groups[g].energy = energy
                    groups[g].squares = squares
                    groups[g].peak = peak
                    // Band-passed, every `stride`-th sample: the mains periodicity sums, four lanes
                    // at a time.
                    for half in 0..<2 {
                        let ring = ring.baseAddress! + (2 * g + half) * size
                        let lane = lane0 + 4 * half
                        let count4 = max(0, min(4, n - lane))
                        var sums = half == 0 ? groups[g].mains.0 : groups[g].mains.1
                        position = startPosition
                        var f = first + startUntil
                        while f < frames.upperBound {
                            let b = Self.load4(bandPassed + (f &* n &+ lane), lanes: count4)
                            ring[position] = b
                            let e0 = ring[(position &- lags[0]) & mask], e1 = ring[(position &- lags[1]) & mask]
                            let e2 = ring[(position &- lags[2]) & mask], e3 = ring[(position &- lags[3]) & mask]
                            sums.squares += b * b
                            sums.products.0 += b * e0
                            sums.products.1 += b * e1
                            sums.products.2 += b * e2
                            sums.products.3 += b * e3
                            sums.lagged.0 += e0 * e0
                            sums.lagged.1 += e1 * e1
                            sums.lagged.2 += e2 * e2
                            sums.lagged.3 += e3 * e3
                            position = (position &+ 1) & mask
                            f &+= stride
                        }
                        until = f - frames.upperBound
                        if half == 0 { groups[g].mains.0 = sums } else { groups[g].mains.1 = sums }
                    }
                }
            }
        }
        ringPosition = position
        untilMains = until
    }

    private mutating func completeFrame() {
        let slot = completedFrames
        completedFrames += 1
        blockFrames += 1
        groups.withUnsafeMutableBufferPointer { groups in
            outputs.withUnsafeMutableBufferPointer { outputs in
                for g in 0..<groupCount {
                    var s = groups[g]
                    outputs[slot * groupCount + g] = FrameSums(energy: s.energy, squares: s.squares, peak: s.peak, rawSum: s.rawSum)
                    // Constant frame: all samples equal, and equal to the one before the frame.
                    let constant = s.frameMaximum .== s.frameMinimum
                    let continuing = constant .& (s.frameMinimum .== s.beforeFrame)
                    s.constantFrames = Counts.zero
                        .replacing(with: 1, where: constant)
                        .replacing(with: s.constantFrames &+ 1, where: continuing)
                    s.longestConstant = s.longestConstant.replacing(
                        with: s.constantFrames, where: s.constantFrames .> s.longestConstant)
                    let touching = (s.frameMinimum .<= lowRail[g]) .| (s.frameMaximum .>= highRail[g])
                    s.railFrames &+= Counts.zero.replacing(with: 1, where: touching)
                    s.minimum = s.minimum.replacing(with: s.frameMinimum, where: s.frameMinimum .< s.minimum)
                    s.maximum = s.maximum.replacing(with: s.frameMaximum, where: s.frameMaximum .> s.maximum)
                    s.beforeFrame = s.lastRaw
                    // Low frequencies: the frame mean less the offset through the two biquads
                    // (DF2T, as `Biquad`), lane by lane.
                    let mean = s.rawSum * (1 / Float(frameLength))
                    s.offset = s.offset.replacing(with: mean, where: s.offset .!= s.offset)
                    let t = lowTaps
                    let x0 = mean - s.offset
                    let y0 = t.0 * x0 + s.lowState.0
                    s.lowState.0 = t.1 * x0 - t.3 * y0 + s.lowState.1
                    s.lowState.1 = t.2 * x0 - t.4 * y0
                    let y1 = t.5 * y0 + s.lowState.2
                    s.lowState.2 = t.6 * y0 - t.8 * y1 + s.lowState.3
                    s.lowState.3 = t.7 * y0 - t.9 * y1
                    s.lowSquares += y1 * y1
                    s.energy = .zero
                    s.squares = .zero
                    s.peak = .zero
                    s.rawSum = .zero
                    s.frameMinimum = Lanes(repeating: .infinity)
                    s.frameMaximum = Lanes(repeating: -.infinity)
                    groups[g] = s
                }
            }
        }
    }

    /// `|x|` lane by lane, by clearing the sign bits (one AND, not compare and select).
    @inline(__always)
    private static func magnitude(_ x: Lanes) -> Lanes {
        unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & SIMD8<UInt32>(repeating: 0x7FFF_FFFF), to: Lanes.self)
    }

    @inline(__always)
    private static func load4(_ p: UnsafePointer<Float>, lanes: Int) -> SIMD4<Float> {
        if lanes == 4 {
            var v = SIMD4<Float>()
            withUnsafeMutableBytes(of: &v) { $0.copyMemory(from: UnsafeRawBufferPointer(start: p, count: 16)) }
            return v
        }
        var v = SIMD4<Float>.zero
        for l in 0..<lanes { v[l] = p[l] }
        return v
    }

    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>, lanes: Int) -> Lanes {
        if lanes == width { return Lanes(loadingUnalignedFrom: UnsafeRawPointer(p)) }
        var v = Lanes.zero
        for l in 0..<lanes { v[l] = p[l] }
        return v
    }
}
