// SPDX-License-Identifier: MIT
import RealModule

/// Tells whether 50 Hz or 60 Hz mains hum (or neither) dominates a channel, so the right notch
/// can be chosen without asking the user.
///
/// Over each window of `windowLength` samples (default one second) it measures, with
/// Hann-weighted Goertzel filters, the power at the mains fundamental `F` and its second
/// harmonic `2F`, and at neighbours `F ± 5 Hz` and `2F ± 5 Hz`. A line is a narrow peak, EMG
/// is broad: for each grid the *line ratio* is the mean power at its lines over the mean power
/// at their neighbours. The grid with the larger ratio dominates if that ratio is at least
/// `dominanceRatio` (default 10, i.e. 10 dB above the local EMG floor).
///
/// Why these choices: with a one-second Hann window the main lobe is ±2 Hz and the side lobes
/// fall off at 18 dB/octave, so neighbours 5 Hz away see the EMG floor rather than the line;
/// DC and slow movement artefact leak nothing measurable to 45–125 Hz; 55 Hz is a neighbour
/// of both grids, where neither has a line. Tones above Nyquist minus 5 Hz are skipped (at
/// 200 Hz only the fundamentals are used).
///
/// Feed it the raw (un-notched) signal. It costs about 36 double-precision operations per
/// sample, so a pipeline runs it on one channel, or for the first seconds, then notches.
public struct MainsDetector: Sendable {
    /// The verdict on one window.
    public struct Estimate: Hashable, Sendable {
        /// The grid whose hum dominates, or `nil` if neither stands out.
        public let dominant: MainsFrequency?
        /// Mean line power over mean neighbour power for 50 Hz (0 when the window is silent).
        public let lineRatio50: Double
        /// The same for 60 Hz.
        public let lineRatio60: Double

        /// The line ratio of `mains`.
        public func lineRatio(_ mains: MainsFrequency) -> Double {
            mains == .hz50 ? lineRatio50 : lineRatio60
        }
    }

    /// The neighbour offset from each line.
    public static let neighbourOffset = Hertz(5)

    /// The rate of the input.
    public let sampleRate: Hertz
    /// Samples per decision.
    public let windowLength: Int
    /// The minimum line ratio for a grid to dominate.
    public let dominanceRatio: Double
    /// The verdict on the last complete window, if any.
    public private(set) var latest: Estimate?

    /// Goertzel coefficient `2·cos(2π f/fs)` per tone.
    private let coefficients: [Double]
    /// Per tone: 0 = 50 Hz line, 1 = 50 Hz neighbour, 2 = 60 Hz line, 3 = 60 Hz neighbour.
    private let roles: [Int]
    private let hann: [Double]
    private var s1: [Double]
    private var s2: [Double]
    private var position = 0

    /// A detector for a channel at `sampleRate`.
    ///
    /// - Parameters:
    ///   - sampleRate: The rate of the input.
    ///   - windowLength: Samples per decision; default one second's worth. At least 64.
    ///   - dominanceRatio: The minimum line ratio (default 10).
    /// - Throws: `FeatureConfigurationError.invalidSampleRate` (also for rates whose Nyquist is
    ///   below 65 Hz, where no grid can be told apart), `.invalidWindowLength`,
    ///   `.invalidThreshold`.
    public init(sampleRate: Hertz, windowLength: Int? = nil, dominanceRatio: Double = 10)
        throws(FeatureConfigurationError)
    {
        let nyquist = sampleRate.value / 2
        let offset = Self.neighbourOffset.value
        guard sampleRate.value.isFinite, nyquist > 60 + offset else { throw .invalidSampleRate(sampleRate) }
        let length = windowLength ?? Int(sampleRate.value.rounded())
        guard length >= 64 else { throw .invalidWindowLength(length, minimum: 64) }
        guard dominanceRatio.isFinite, dominanceRatio > 0 else { throw .invalidThreshold(dominanceRatio) }

        var coefficients: [Double] = []
        var roles: [Int] = []
        for (family, mains) in MainsFrequency.allCases.enumerated() {
            for harmonic in [1.0, 2.0] {
                let line = harmonic * mains.frequency.value
                guard line + offset < nyquist else { continue }
                for (f, role) in [(line, 0), (line - offset, 1), (line + offset, 1)] {
                    coefficients.append(2 * Double.cos(2 * Double.pi * f / sampleRate.value))
                    roles.append(family * 2 + role)
                }
            }
        }
        self.sampleRate = sampleRate
        self.windowLength = length
        self.dominanceRatio = dominanceRatio
        self.coefficients = coefficients
        self.roles = roles
        // Periodic Hann, as for the feature spectra.
        hann = (0..<length).map { 0.5 - 0.5 * Double.cos(2 * Double.pi * Double($0) / Double(length)) }
        s1 = Array(repeating: 0, count: coefficients.count)
        s2 = Array(repeating: 0, count: coefficients.count)
    }

    /// Takes one sample; returns the verdict when it completes a window.
    public mutating func process(_ x: Float) -> Estimate? {
        let v = hann[position] * Double(x)
        s1.withUnsafeMutableBufferPointer { s1 in
            s2.withUnsafeMutableBufferPointer { s2 in
                coefficients.withUnsafeBufferPointer { c in
                    for k in c.indices {
                        let s0 = v + c[k] * s1[k] - s2[k]
                        s2[k] = s1[k]
                        s1[k] = s0
                    }
                }
            }
        }
        position += 1
        guard position == windowLength else { return nil }
        let estimate = conclude()
        latest = estimate
        return estimate
    }

    /// Takes a block; returns the verdict on the last window it completed, if any.
    public mutating func process(_ block: UnsafeBufferPointer<Float>) -> Estimate? {
        var last: Estimate?
        for x in block {
            if let e = process(x) { last = e }
        }
        return last
    }

    /// Forgets the current window and the last verdict.
    public mutating func reset() {
        position = 0
        latest = nil
        for k in s1.indices {
            s1[k] = 0
            s2[k] = 0
        }
    }

    private mutating func conclude() -> Estimate {
        // Goertzel power |X(f)|² = s1² + s2² − c·s1·s2, summed per role.
        // SIMD4 rather than arrays, so that a verdict allocates nothing.
        var sums = SIMD4<Double>.zero
        var counts = SIMD4<Double>.zero
        for k in coefficients.indices {
            let p = s1[k] * s1[k] + s2[k] * s2[k] - coefficients[k] * s1[k] * s2[k]
            sums[roles[k]] += max(p, 0)
            counts[roles[k]] += 1
            s1[k] = 0
            s2[k] = 0
        }
        position = 0
        func ratio(_ family: Int) -> Double {
            let line = sums[family * 2] / max(counts[family * 2], 1)
            let floor = sums[family * 2 + 1] / max(counts[family * 2 + 1], 1)
            if line == 0 { return 0 }
            return floor > 0 ? line / floor : .infinity
        }
        let r50 = ratio(0), r60 = ratio(1)
        let dominant: MainsFrequency? =
            max(r50, r60) < dominanceRatio ? nil : (r50 >= r60 ? .hz50 : .hz60)
        return Estimate(dominant: dominant, lineRatio50: r50, lineRatio60: r60)
    }
}
