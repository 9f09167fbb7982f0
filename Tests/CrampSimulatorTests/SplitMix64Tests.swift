// SPDX-License-Identifier: MIT
import CrampSimulator
import Testing

@Suite struct SplitMix64Tests {
    /// SplitMix64 outputs for seed 1234567, computed by an independent Python transcription of
    /// the reference C code (Vigna, splitmix64.c).
    @Test func matchesReferenceSequence() {
        var g = SplitMix64(seed: 1234567)
        let expected: [UInt64] = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821]
        for e in expected { #expect(g.next() == e) }
    }

    @Test func unitIsInRange() {
        var g = SplitMix64(seed: 7)
        for _ in 0..<10_000 {
            let u = g.nextUnit()
            #expect(u >= 0 && u < 1)
        }
    }
}
