// SPDX-License-Identifier: MIT
import CAllocationCounter
import CrampCore
import Testing

/// The streaming paths allocate nothing per sample or per window: counted, not assumed.
///
/// Each test builds its objects and warms them up first (the Swift runtime may allocate
/// metadata the first time a generic path runs), then counts the allocations of the calling
/// thread while processing. Test bodies are synchronous, so they stay on one thread.
@Suite(.enabled(if: crampd_allocation_counting_available() == 1, "allocation counting needs glibc"))
struct AllocationTests {
    static func countAllocations(_ body: () -> Void) -> Int {
        crampd_allocation_counting_begin()
        body()
        return crampd_allocation_counting_end()
    }

    @Test func counterSeesAnAllocation() {
        let n = Self.countAllocations {
            let array = [Float](repeating: 1, count: Int.random(in: 100...200))
            precondition(array.count >= 100)
        }
        #expect(n >= 1, "the counter must notice an array being allocated")
    }

    @Test func multichannelFeaturePipelineAllocatesNothing() throws {
        let design = try EMGConditioningDesign(sampleRate: Hertz(2000), configuration: .init(mains: .hz50))
        var extractor = try MultiChannelEMGFeatureExtractor(design: design, channelCount: 8)
        var detector = try MainsDetector(sampleRate: Hertz(2000))
        var noise = TestNoise(seed: 1)
        var block = noise.take(8 * 250, scale: 100)
        let raw = block
        var windows = 0
        func run(blocks: Int) {
            for _ in 0..<blocks {
                raw.withUnsafeBufferPointer { _ = detector.process($0) }
                block.withUnsafeMutableBufferPointer { buffer in
                    extractor.process(interleaved: buffer) { _, f in windows += f.spectral == nil ? 0 : 1 }
                }
            }
        }
        run(blocks: 40)  // warm-up: 5 s, windows and mains estimates included
        windows = 0
        let allocations = Self.countAllocations { run(blocks: 80) }  // 10 s at 2 kHz
        #expect(windows == 80 * 2 * 8, "two windows per 250-frame block and channel")
        #expect(allocations == 0)
    }

    @Test func singleChannelPathsAllocateNothing() throws {
        var conditioner = try EMGConditioner(sampleRate: Hertz(1000), configuration: .init(mains: .hz60))
        var extractor = try SlidingFeatureExtractor(
            sampleRate: Hertz(1000), window: WindowConfiguration(length: 250, hop: 62),
            spectralBand: conditioner.status.spectralBand)
        var noise = TestNoise(seed: 2)
        let input = noise.take(4000, scale: 100)
        var block = input
        var windows = 0
        func run() {
            // Index loop: iterating an Array with for-in allocates in debug builds.
            for i in 0..<input.count {
                if extractor.process(conditioner.process(input[i])) != nil { windows += 1 }
            }
            block.withUnsafeMutableBufferPointer { buffer in
                conditioner.process(buffer)
                extractor.process(UnsafeBufferPointer(buffer)) { _ in windows += 1 }
            }
        }
        run()
        windows = 0
        let allocations = Self.countAllocations(run)
        #expect(windows > 100)
        #expect(allocations == 0)
    }
}
