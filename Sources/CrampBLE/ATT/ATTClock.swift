// SPDX-License-Identifier: MIT
import Dispatch
import Synchronization

/// The bearer's source of time: a monotonic "now" and one re-armable timer per bearer.
///
/// Injected so that tests run the 30 s transaction timeout in no time (``ManualATTClock``).
public protocol ATTClock: Sendable {
    /// Monotonic time since an arbitrary origin.
    func now() -> Duration
    /// A timer whose handler runs on `queue`.
    func makeTimer(queue: DispatchQueue, handler: @escaping @Sendable () -> Void) -> any ATTTimer
}

/// One re-armable one-shot timer.
public protocol ATTTimer: AnyObject, Sendable {
    /// Fires once at `deadline` (the clock's time), replacing any earlier arming.
    func arm(deadline: Duration)
    func disarm()
    /// Releases the timer for good.
    func cancel()
}

/// The real clock: `ContinuousClock` time and Dispatch timers.
public struct SystemATTClock: ATTClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func now() -> Duration { ContinuousClock.now - origin }

    public func makeTimer(queue: DispatchQueue, handler: @escaping @Sendable () -> Void) -> any ATTTimer {
        DispatchATTTimer(queue: queue, clock: self, handler: handler)
    }
}

final class DispatchATTTimer: ATTTimer, @unchecked Sendable {
    private let source: DispatchSourceTimer
    private let clock: SystemATTClock

    init(queue: DispatchQueue, clock: SystemATTClock, handler: @escaping @Sendable () -> Void) {
        self.clock = clock
        source = DispatchSource.makeTimerSource(queue: queue)
        source.setEventHandler(handler: handler)
        source.schedule(deadline: .distantFuture)
        source.resume()
    }

    func arm(deadline: Duration) {
        let remaining = max(deadline - clock.now(), .zero)
        let (seconds, attoseconds) = remaining.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        source.schedule(deadline: .now() + .nanoseconds(nanoseconds))
    }

    func disarm() { source.schedule(deadline: .distantFuture) }

    func cancel() { source.cancel() }
}

/// A clock that moves only when told: ``advance(by:)`` fires every timer whose deadline has
/// come, on its queue. For tests of the 30 s transaction timeout.
public final class ManualATTClock: ATTClock {
    private struct State {
        var now: Duration = .zero
        var timers: [ManualATTTimer] = []
    }

    private let state = Mutex(State())

    public init() {}

    public func now() -> Duration { state.withLock { $0.now } }

    public func makeTimer(queue: DispatchQueue, handler: @escaping @Sendable () -> Void) -> any ATTTimer {
        let timer = ManualATTTimer(queue: queue, now: { [weak self] in self?.now() ?? .zero }, handler: handler)
        state.withLock { $0.timers.append(timer) }
        return timer
    }

    /// Moves time forward and fires the timers that are due (asynchronously, on their queues).
    public func advance(by duration: Duration) {
        let (now, timers) = state.withLock { state -> (Duration, [ManualATTTimer]) in
            state.now += duration
            return (state.now, state.timers)
        }
        for timer in timers { timer.fireIfDue(now: now) }
    }
}

final class ManualATTTimer: ATTTimer, Sendable {
    private let deadline = Mutex<Duration?>(nil)
    private let queue: DispatchQueue
    private let handler: @Sendable () -> Void
    private let now: @Sendable () -> Duration

    init(queue: DispatchQueue, now: @escaping @Sendable () -> Duration, handler: @escaping @Sendable () -> Void) {
        self.queue = queue
        self.now = now
        self.handler = handler
    }

    /// A deadline that has already passed fires at once, as a Dispatch timer does.
    func arm(deadline: Duration) {
        self.deadline.withLock { $0 = deadline }
        fireIfDue(now: now())
    }
    func disarm() { deadline.withLock { $0 = nil } }
    func cancel() { disarm() }

    func fireIfDue(now: Duration) {
        let due = deadline.withLock { deadline -> Bool in
            guard let d = deadline, d <= now else { return false }
            deadline = nil
            return true
        }
        if due { queue.async(execute: handler) }
    }
}
