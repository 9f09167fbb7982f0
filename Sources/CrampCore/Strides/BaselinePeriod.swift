// SPDX-License-Identifier: MIT

/// Which strides form the runner's own baseline, against which every later stride is compared.
///
/// The first minutes of a run are the reference: the muscle is warm but not yet fatigued. The
/// default is the strides that start between 60 s and 300 s of session time — after a minute of
/// warming up, four minutes of running. The baseline is the median of each feature over those
/// strides (clean strides only: no quality flag), so a few odd strides do not move it.
public struct BaselinePeriod: Hashable, Sendable, CustomStringConvertible {
    enum Kind: Hashable, Sendable {
        case sessionTime(from: Duration, to: Duration)
        case strides(skipping: Int, count: Int)
    }

    let kind: Kind
    /// The fewest strides a baseline is made from. If the period holds fewer, collection goes on
    /// past its end until there are this many. Default 10.
    public var minimumStrides: Int

    /// The strides starting in `from ..< to` (session time).
    public static func sessionTime(from: Duration, to: Duration, minimumStrides: Int = 10) -> BaselinePeriod {
        BaselinePeriod(kind: .sessionTime(from: from, to: to), minimumStrides: minimumStrides)
    }

    /// `count` strides after the first `skipping` (warm-up) strides of the channel.
    public static func strides(skipping: Int, count: Int) -> BaselinePeriod {
        BaselinePeriod(kind: .strides(skipping: skipping, count: count), minimumStrides: count)
    }

    /// The strides starting between 60 s and 300 s.
    public static let standard = BaselinePeriod.sessionTime(from: .seconds(60), to: .seconds(300))

    public var description: String {
        switch kind {
        case let .sessionTime(from, to): "strides starting \(from.inSeconds)–\(to.inSeconds) s"
        case let .strides(skipping, count): "\(count) strides after the first \(skipping)"
        }
    }
}
