// SPDX-License-Identifier: MIT
import CrampCore
import Foundation

/// The golden vectors written by `scripts/gen_dsp_vectors.py` (SciPy/NumPy), bundled as test
/// resources under `Vectors/`.
enum GoldenVectors {
    static func load<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Vectors/\(name).json"])
        }
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    /// A filter vector: SciPy's sections and the causal `sosfilt` output of `input`.
    struct Filter: Decodable {
        var source: String
        var sampleRateHz: Double
        var order: Int
        var bandHz: [Double]?
        var cutoffHz: Double?
        var mainsHz: Int?
        var qualityFactor: Double?
        var notchHz: [Double]?
        var sos: [[Double]]
        var input: [Float]
        var output: [Double]

        enum CodingKeys: String, CodingKey {
            case source, order, sos, input, output
            case sampleRateHz = "sample_rate_hz", bandHz = "band_hz", cutoffHz = "cutoff_hz"
            case mainsHz = "mains_hz", qualityFactor = "quality_factor", notchHz = "notch_hz"
        }

        var sampleRate: Hertz { Hertz(sampleRateHz) }
    }

    /// A feature vector: raw and SciPy-conditioned input and the features of every window.
    struct Features: Decodable {
        struct Window: Decodable {
            var end: Int
            var rms: Double
            var mav: Double
            var zeroCrossingsPerSecond: Double
            var tke: Double
            var mnfHz: Double
            var mdfHz: Double
            var finsm5: Double

            enum CodingKeys: String, CodingKey {
                case end, rms, mav, tke, finsm5
                case zeroCrossingsPerSecond = "zero_crossings_per_s", mnfHz = "mnf_hz", mdfHz = "mdf_hz"
            }
        }

        var source: String
        var sampleRateHz: Double
        var windowLength: Int
        var hop: Int
        var bandHz: [Double]
        var mainsHz: Int?
        var zeroCrossingThresholdUv: Float
        var raw: [Float]
        var conditioned: [Float]
        var windows: [Window]

        enum CodingKeys: String, CodingKey {
            case source, hop, raw, conditioned, windows
            case sampleRateHz = "sample_rate_hz", windowLength = "window_length", bandHz = "band_hz"
            case mainsHz = "mains_hz", zeroCrossingThresholdUv = "zero_crossing_threshold_uv"
        }

        var sampleRate: Hertz { Hertz(sampleRateHz) }
        var binWidth: Double { sampleRateHz / Double(windowLength) }
    }

    static let bandPassFiles = [
        "bandpass_20_225_fs500", "bandpass_20_450_fs1000", "bandpass_20_450_fs2000", "bandpass_20_450_fs4000",
    ]
    static let conditionerFiles = [
        "conditioner_50hz_q30_fs500", "conditioner_60hz_q30_fs1000", "conditioner_50hz_q30_fs2000",
        "conditioner_60hz_q30_fs4000",
    ]
    static let featureFiles = [
        "features_synthetic_fs2000_n500_h125", "features_synthetic_fs4000_n1000_h250",
        "features_plux_fatigue_fs1000_n252_h63",
    ]
}

/// Root mean square of a reference signal.
func rootMeanSquare(_ x: [Double]) -> Double {
    (x.reduce(0) { $0 + $1 * $1 } / Double(x.count)).squareRoot()
}

/// `|a − b| ≤ tolerance · max(|b|, floor)`.
func isClose(_ a: Double, _ b: Double, relative tolerance: Double, floor: Double = 0) -> Bool {
    abs(a - b) <= tolerance * max(abs(b), floor)
}
