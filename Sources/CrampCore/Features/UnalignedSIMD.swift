// SPDX-License-Identifier: MIT

/// Unaligned SIMD loads and stores through `memcpy`.
///
/// `UnsafeRawPointer.loadUnaligned(as:)` and `storeBytes(of:as:)` are generic; in an
/// unoptimised (debug) build they go through a heap-allocated temporary, which would make the
/// allocation tests fail in `swift test`. A fixed-size `copyMemory` compiles to a single
/// unaligned vector move when optimised and never allocates in either build.
extension SIMD8 where Scalar == Float {
    @inline(__always)
    init(loadingUnalignedFrom pointer: UnsafeRawPointer) {
        self.init()
        withUnsafeMutableBytes(of: &self) {
            $0.copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: MemoryLayout<Self>.size))
        }
    }

    @inline(__always)
    func storeUnaligned(to pointer: UnsafeMutableRawPointer) {
        withUnsafeBytes(of: self) {
            pointer.copyMemory(from: $0.baseAddress!, byteCount: MemoryLayout<Self>.size)
        }
    }
}
