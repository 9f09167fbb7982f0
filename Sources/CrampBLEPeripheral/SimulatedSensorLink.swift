// SPDX-License-Identifier: MIT
import CrampBLE
import Dispatch
import Synchronization

/// Runs a ``SimulatedSensor`` over one link (an L2CAP LE socket accepted by a peripheral, or
/// one end of a socketpair in tests): answers the client's requests, and every `tick` sends
/// the notifications that are due. Everything happens on one serial queue.
public final class SimulatedSensorLink: @unchecked Sendable {
    // `sensor`, `timer` and `closedReason` are confined to `queue`.
    private let queue = DispatchQueue(label: "crampd.simulated-sensor")
    private let transport: any ATTTransport
    private var sensor: SimulatedSensor
    private let clock: @Sendable () -> Duration
    private let tick: Duration
    private var timer: DispatchSourceTimer?
    private let closed = Mutex<ATTDisconnectReason?>(nil)
    private let closedSignal = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - sensor: the sensor, with its state from earlier links (its EMG sequence numbers go on).
    ///   - transport: the link.
    ///   - clock: the sensor's clock (time since the sensor started).
    ///   - tick: how often due notifications are sent.
    public init(sensor: SimulatedSensor, transport: any ATTTransport, clock: @escaping @Sendable () -> Duration,
                tick: Duration = .milliseconds(10)) {
        self.sensor = sensor
        self.transport = transport
        self.clock = clock
        self.tick = tick
    }

    /// Starts serving.
    public func start() {
        queue.sync {
            sensor.linkStarted(at: clock())
            transport.start(queue: queue, receive: { [weak self] pdu in self?.received(pdu) },
                            closed: { [weak self] reason in self?.ended(reason) })
            let timer = DispatchSource.makeTimerSource(queue: queue)
            let ns = Int(tick.components.seconds * 1_000_000_000 + tick.components.attoseconds / 1_000_000_000)
            timer.schedule(deadline: .now(), repeating: .nanoseconds(ns))
            timer.setEventHandler { [weak self] in self?.sendDue() }
            timer.resume()
            self.timer = timer
        }
    }

    /// Ends the link from this side (the client sees the end of its stream).
    public func close() {
        queue.sync {
            transport.shutdown()
            ended(.closedLocally)
        }
    }

    /// Waits until the link is down, at most `timeout`.
    ///
    /// - Returns: why it went down, or `nil` on timeout.
    public func waitUntilClosed(timeout: Duration) -> ATTDisconnectReason? {
        let ns = Int(timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        guard closedSignal.wait(timeout: .now() + .nanoseconds(ns)) == .success else { return nil }
        closedSignal.signal()
        return closed.withLock { $0 }
    }

    /// The sensor as it is now (what it sent, its state for the next link).
    public var currentSensor: SimulatedSensor { queue.sync { sensor } }

    private func received(_ pdu: ArraySlice<UInt8>) {
        if let response = sensor.receive(pdu) { _ = transport.send(response) }
    }

    private func sendDue() {
        for pdu in sensor.due(at: clock()) {
            if transport.send(pdu) != nil { break }
        }
    }

    private func ended(_ reason: ATTDisconnectReason) {
        timer?.cancel()
        timer = nil
        let first = closed.withLock { value -> Bool in
            guard value == nil else { return false }
            value = reason
            return true
        }
        if first { closedSignal.signal() }
    }
}
