// SPDX-License-Identifier: MIT
import CFFTW
import Synchronization

/// FFTW's planner is not thread-safe: only `fftwf_execute*` may be called concurrently (FFTW
/// manual, "Thread safety"). Every call that touches the planner — making and destroying
/// plans — therefore goes through this lock, so that transforms may be created and released
/// on any thread. It guards no crampd state and holds nothing; it is the one process-wide
/// object in the core, and it exists only because the C library has process-wide state.
private let fftwPlannerLock = Mutex<Void>(())

/// A real-to-complex forward FFT of fixed length in single precision (FFTW `r2c`), planned
/// once, with its input and output buffers allocated once by `fftwf_malloc` (aligned for SIMD)
/// and freed when the transform is released.
///
/// Write the samples with `withInput`, call `transform()`, read the spectrum with
/// `withSpectrum`. Nothing is allocated after `init`.
///
/// Plans are made with `FFTW_ESTIMATE`: planning is immediate and, unlike `FFTW_MEASURE`,
/// deterministic — `MEASURE` picks the fastest algorithm by timing, which can change the
/// rounding of the result from one run to the next, and crampd promises bit-identical
/// replays. The spectrum is unnormalised: `X[k] = Σₙ x[n]·e^(−2πi·kn/N)`.
///
/// All of crampd's unsafe pointer code for FFTW is in this file. A `RealFFT` is not `Sendable`:
/// its buffers are scratch space for one thread at a time.
public final class RealFFT {
    /// The transform length N, in samples.
    public let length: Int
    /// The number of complex output bins, `N/2 + 1` (DC to Nyquist).
    public let binCount: Int

    private let input: UnsafeMutablePointer<Float>
    /// Interleaved (re, im) pairs, `2·binCount` floats.
    private let output: UnsafeMutablePointer<Float>
    private let plan: fftwf_plan

    /// Plans a transform of `length` samples.
    ///
    /// - Parameter length: N ≥ 2. Any length works; FFTW is fastest for products of small
    ///   primes (the default 500 = 2²·5³ is fine).
    /// - Throws: `FeatureConfigurationError.invalidWindowLength` for N < 2,
    ///   `.fftPlanningFailed` if FFTW cannot allocate or plan.
    public init(length: Int) throws(FeatureConfigurationError) {
        guard length >= 2, length <= Int(Int32.max) / 2 else {
            throw .invalidWindowLength(length, minimum: 2)
        }
        let bins = length / 2 + 1
        let made: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, fftwf_plan)? =
            fftwPlannerLock.withLock { _ in
                guard let rawIn = fftwf_malloc(length * MemoryLayout<Float>.stride),
                      let rawOut = fftwf_malloc(2 * bins * MemoryLayout<Float>.stride) else { return nil }
                let input = rawIn.bindMemory(to: Float.self, capacity: length)
                let output = rawOut.bindMemory(to: Float.self, capacity: 2 * bins)
                input.initialize(repeating: 0, count: length)
                output.initialize(repeating: 0, count: 2 * bins)
                guard let plan = crampd_fftwf_plan_r2c_1d(Int32(length), input, output, UInt32(FFTW_ESTIMATE)) else {
                    fftwf_free(rawIn)
                    fftwf_free(rawOut)
                    return nil
                }
                return (input, output, plan)
            }
        guard let (input, output, plan) = made else { throw .fftPlanningFailed(length: length) }
        self.length = length
        self.binCount = bins
        self.input = input
        self.output = output
        self.plan = plan
    }

    deinit {
        fftwPlannerLock.withLock { _ in
            fftwf_destroy_plan(plan)
            fftwf_free(input)
            fftwf_free(output)
        }
    }

    /// Gives `body` the `length` input samples to fill (or read).
    @inline(__always)
    public func withInput<R>(_ body: (UnsafeMutableBufferPointer<Float>) -> R) -> R {
        body(UnsafeMutableBufferPointer(start: input, count: length))
    }

    /// Transforms the input into the spectrum. The input is left unchanged (FFTW's
    /// out-of-place r2c with `FFTW_ESTIMATE` does not destroy its input).
    @inline(__always)
    public func transform() {
        fftwf_execute(plan)
    }

    /// Gives `body` the spectrum of the last `transform()`: `binCount` bins as interleaved
    /// `(re, im)` floats, bin `k` at `2k` and `2k + 1`, for frequency `k · sampleRate / length`.
    @inline(__always)
    public func withSpectrum<R>(_ body: (UnsafeBufferPointer<Float>) -> R) -> R {
        body(UnsafeBufferPointer(start: output, count: 2 * binCount))
    }
}
