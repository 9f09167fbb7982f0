// SPDX-License-Identifier: MIT

/// The channel values of one second of an activity on the 1 Hz grid.
public struct ActivityRow: Hashable, Sendable {
    /// The whole UTC second (seconds since 1970) the row stands for.
    public var second: Int64
    /// Values by ``ActivityChannel`` raw value; `nil`: no value (a dropout of that channel).
    public var values: [Double?]

    public init(second: Int64, values: [Double?]) {
        self.second = second
        self.values = values
    }

    /// The value of `channel`, `nil` if it has none in this second.
    public func value(_ channel: ActivityChannel) -> Double? { values[channel.rawValue] }
}

/// A stretch of rows in which one channel has no value although the samples go on.
public struct ActivityDropout: Hashable, Sendable {
    /// The channel without values.
    public var channel: ActivityChannel
    /// The first row without a value.
    public var firstSecond: Int64
    /// How many consecutive rows lack it.
    public var seconds: Int

    public init(channel: ActivityChannel, firstSecond: Int64, seconds: Int) {
        self.channel = channel
        self.firstSecond = firstSecond
        self.seconds = seconds
    }
}

/// What ``ActivityGrid`` produces.
public enum ActivityGridOutput: Hashable, Sendable {
    case row(ActivityRow)
    /// Announced after its last row.
    case dropout(ActivityDropout)
}

/// Puts an activity's samples on a 1 Hz grid of whole UTC seconds, without bridging gaps.
///
/// Pure and streaming; rows come out in time order, at most `gapThresholdSeconds` after the
/// samples that decide them. The rules:
///
/// - A **run** is a stretch of samples without a `.gap` or `.segment` between them; runs are
///   never joined. A run covers the whole seconds from its first sample to its last (a run too
///   short to contain one is placed at the second nearest its first sample).
/// - Each **channel** is filled separately within a run: linearly between two of its values at
///   most `gapThresholdSeconds` apart, held from its first value back to the run start and from
///   its last value to the run end when those stretches are that short too. Longer stretches
///   without a value are **dropouts**: the rows have `nil` there, and a ``ActivityDropout``
///   reports each one. FIT records fall on whole seconds, so their values pass unchanged.
public struct ActivityGrid: Sendable {
    /// The longest interval filled within a channel.
    public let gapThresholdSeconds: Double
    /// The channels tracked; the others are `nil` in every row and never reported as dropouts.
    public let channels: Set<ActivityChannel>

    private struct Pending {
        var second: Int64
        var values: [Double?]
        var resolved: [Bool]
    }

    private var pending: [Pending] = []
    private var head = 0
    private var inRun = false
    private var runStart = 0.0
    private var runEnd = 0.0
    private var firstSample: ActivitySample?
    private var runRows = 0
    private var nextSecond: Int64 = .min
    private var lastEmitted: Int64 = .min
    private var last: [(time: Double, value: Double)?] = Array(repeating: nil, count: ActivityChannel.allCases.count)
    private var dropoutStart: [Int64?] = Array(repeating: nil, count: ActivityChannel.allCases.count)
    private var dropoutLength = Array(repeating: 0, count: ActivityChannel.allCases.count)
    /// Rows emitted so far.
    public private(set) var rowCount = 0

    /// - Parameters:
    ///   - gapThresholdSeconds: the longest stretch filled within a channel (> 0).
    ///   - channels: the channels to fill and report; by default all.
    public init(gapThresholdSeconds: Double = 10, channels: Set<ActivityChannel> = Set(ActivityChannel.allCases)) {
        self.gapThresholdSeconds = gapThresholdSeconds
        self.channels = channels
    }

    /// Takes the next event of an ``ActivityTimeline`` and appends the rows and dropouts it
    /// completes. Laps are ignored; segments and gaps end the run.
    public mutating func process(_ event: ActivityEvent, into out: inout [ActivityGridOutput]) {
        switch event {
        case .sample(let s): add(s, into: &out)
        case .gap, .segment: endRun(into: &out)
        case .lap: break
        }
    }

    /// Ends the last run and emits everything still pending.
    public mutating func finish(into out: inout [ActivityGridOutput]) {
        endRun(into: &out)
    }

    // MARK: - Samples

    private mutating func add(_ sample: ActivitySample, into out: inout [ActivityGridOutput]) {
        let t = sample.time.secondsSince1970
        if !inRun {
            inRun = true
            runStart = t
            firstSample = sample
            runRows = 0
            nextSecond = max(Int64(t.rounded(.up)), lastEmitted + 1)
            for c in last.indices { last[c] = nil }
        }
        runEnd = t
        let upTo = Int64(t.rounded(.down))
        while nextSecond <= upTo {
            pending.append(Pending(second: nextSecond, values: Array(repeating: nil, count: last.count),
                                   resolved: ActivityChannel.allCases.map { !channels.contains($0) }))
            nextSecond += 1
            runRows += 1
        }
        for channel in ActivityChannel.allCases where channels.contains(channel) {
            let c = channel.rawValue
            if let v = sample.value(channel) {
                fill(c, upTo: t, value: v)
                last[c] = (t, v)
            } else {
                let since = last[c]?.time ?? runStart
                if t - since > gapThresholdSeconds { resolveAsDropout(c, through: t) }
            }
        }
        emitResolved(into: &out)
    }

    /// Resolves channel `c` in the pending rows up to time `t`, where it has value `v`.
    private mutating func fill(_ c: Int, upTo t: Double, value v: Double) {
        let previous = last[c]
        let span = t - (previous?.time ?? runStart)
        var i = pending.count - 1
        // Unresolved rows of this channel are a suffix of the pending rows.
        while i >= head, !pending[i].resolved[c] { i -= 1 }
        i += 1
        while i < pending.count {
            let g = Double(pending[i].second)
            if g == t {
                pending[i].values[c] = v
            } else if span <= gapThresholdSeconds {
                if let (tp, vp) = previous {
                    pending[i].values[c] = vp + (v - vp) * (g - tp) / (t - tp)
                } else {
                    pending[i].values[c] = v  // held back to the run start
                }
            }  // else: a dropout, nil
            pending[i].resolved[c] = true
            i += 1
        }
    }

    /// Marks channel `c` as missing in the unresolved rows at or before `t`.
    private mutating func resolveAsDropout(_ c: Int, through t: Double) {
        var i = pending.count - 1
        while i >= head, !pending[i].resolved[c] { i -= 1 }
        i += 1
        while i < pending.count, Double(pending[i].second) <= t {
            pending[i].resolved[c] = true
            i += 1
        }
    }

    private mutating func endRun(into out: inout [ActivityGridOutput]) {
        guard inRun else { return }
        if runRows == 0, let s = firstSample {
            // No whole second inside the run: place it at the nearest one.
            let second = max(Int64(s.time.secondsSince1970.rounded()), lastEmitted + 1)
            let values = ActivityChannel.allCases.map { channels.contains($0) ? s.value($0) : nil }
            pending.append(Pending(second: second, values: values, resolved: Array(repeating: true, count: values.count)))
        }
        for channel in ActivityChannel.allCases where channels.contains(channel) {
            let c = channel.rawValue
            // Hold the last value to the run end if that is short enough, else a dropout.
            let held = last[c].flatMap { runEnd - $0.time <= gapThresholdSeconds ? $0.value : nil }
            for i in head..<pending.count where !pending[i].resolved[c] {
                pending[i].values[c] = held
                pending[i].resolved[c] = true
            }
        }
        emitResolved(into: &out)
        for channel in ActivityChannel.allCases { closeDropout(channel, into: &out) }
        inRun = false
        firstSample = nil
    }

    private mutating func emitResolved(into out: inout [ActivityGridOutput]) {
        while head < pending.count, !pending[head].resolved.contains(false) {
            let p = pending[head]
            for channel in ActivityChannel.allCases where channels.contains(channel) {
                let c = channel.rawValue
                if p.values[c] == nil {
                    if dropoutStart[c] == nil { dropoutStart[c] = p.second }
                    dropoutLength[c] += 1
                } else {
                    closeDropout(channel, into: &out)
                }
            }
            out.append(.row(ActivityRow(second: p.second, values: p.values)))
            lastEmitted = p.second
            rowCount += 1
            head += 1
        }
        if head == pending.count {
            pending.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64 {
            pending.removeFirst(head)
            head = 0
        }
    }

    private mutating func closeDropout(_ channel: ActivityChannel, into out: inout [ActivityGridOutput]) {
        let c = channel.rawValue
        guard let start = dropoutStart[c] else { return }
        out.append(.dropout(ActivityDropout(channel: channel, firstSecond: start, seconds: dropoutLength[c])))
        dropoutStart[c] = nil
        dropoutLength[c] = 0
    }
}
