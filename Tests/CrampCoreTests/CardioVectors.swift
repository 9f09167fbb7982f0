// SPDX-License-Identifier: MIT
import Foundation

/// The reference vectors written by `scripts/gen_hr_vectors.py` (NumPy), bundled under
/// `Vectors/`.
enum CardioVectors {
    /// DFA α1 of seeded white, 1/f and Brownian series.
    struct Noise: Decodable {
        struct Series: Decodable {
            var kind: String
            var seed: Int
            var expectedAlpha1: Double
            var alpha1: Double
            var fluctuations: [Double]
            var rrMs: [Double]

            enum CodingKeys: String, CodingKey {
                case kind, seed, alpha1, fluctuations
                case expectedAlpha1 = "expected_alpha1", rrMs = "rr_ms"
            }
        }

        var boxSizes: [Int]
        var neurokit2MaxAbsDifference: Double?
        var series: [Series]

        enum CodingKeys: String, CodingKey {
            case series
            case boxSizes = "box_sizes", neurokit2MaxAbsDifference = "neurokit2_max_abs_difference"
        }
    }

    /// An RR stream with injected artifacts: the rule's verdicts and α1 every hop.
    struct Stream: Decodable {
        struct Rule: Decodable {
            var minimumMs: Double
            var maximumMs: Double
            var medianBeats: Int
            var medianMinimumBeats: Int
            var maximumDeviationFraction: Double

            enum CodingKeys: String, CodingKey {
                case minimumMs = "minimum_ms", maximumMs = "maximum_ms", medianBeats = "median_beats"
                case medianMinimumBeats = "median_minimum_beats", maximumDeviationFraction = "maximum_deviation_fraction"
            }
        }

        struct Estimate: Decodable {
            var arrivalIndex: Int
            var cleanCount: Int
            var alpha1: Double
            var artifactPercent: Double

            enum CodingKeys: String, CodingKey {
                case alpha1
                case arrivalIndex = "arrival_index", cleanCount = "clean_count", artifactPercent = "artifact_percent"
            }
        }

        var rule: Rule
        var windowBeats: Int
        var hopBeats: Int
        var counts: [String: Int]
        var rrMs: [Double]
        var verdicts: [String]
        var estimates: [Estimate]

        enum CodingKeys: String, CodingKey {
            case rule, counts, verdicts, estimates
            case windowBeats = "window_beats", hopBeats = "hop_beats", rrMs = "rr_ms"
        }
    }

    static func noise() throws -> Noise { try GoldenVectors.load("dfa_alpha1_noise") }
    static func stream() throws -> Stream { try GoldenVectors.load("rr_stream_alpha1") }
}
