// SPDX-License-Identifier: MIT
import BLEWire
import Dispatch
import Logging

/// An id returned by a registration, used to unregister.
public struct ATTRegistrationID: Hashable, Sendable {
    let value: UInt64
}

/// One ATT bearer: the link to one peer, with BlueZ's strictness (``ATTBearerState``) driven
/// over an ``ATTTransport``.
///
/// Every state change runs on one serial queue, in the order the transport, the timer and the
/// callers produced them. Requests are `async` and queue behind the outstanding one; values the
/// peer pushes go to the registered handlers on the bearer's queue (keep them short: hand the
/// value on). Every PDU in and out is dumped at trace level through the injected `Logger`
/// (`<` sent, `>` received, as BlueZ's `util_hexdump`); drops and violations at debug; nothing
/// at info or above, because every failure reaches the caller as an error.
///
/// - Important: call ``start()`` once before any request.
public final class ATTBearer: @unchecked Sendable {
    // All stored mutable state below is confined to `queue`.
    private let queue: DispatchQueue
    private let transport: any ATTTransport
    private let clock: any ATTClock
    private let logger: Logger
    private var state: ATTBearerState
    private var timer: (any ATTTimer)?
    private var started = false
    private var continuations: [UInt64: CheckedContinuation<Result<[UInt8], ATTBearerError>, Never>] = [:]
    private var valueHandlers: [(id: UInt64, handler: @Sendable (ATTValueEvent) -> Void)] = []
    private var disconnectHandlers: [(id: UInt64, handler: @Sendable (ATTDisconnectReason) -> Void)] = []
    private var nextRegistration: UInt64 = 1
    private var disconnectNotified = false

    /// - Parameters:
    ///   - transport: the link; the bearer starts it in ``start()``.
    ///   - clock: time for the 30 s transaction timeout (``SystemATTClock`` in production).
    ///   - localRxMTU: what crampd announces as its receive MTU to a peer's Exchange MTU.
    ///   - server: the minimal GATT server that answers the peer's requests.
    ///   - logger: trace hex dumps and debug diagnostics (metadata `att.peer` is a good idea).
    public init(transport: any ATTTransport, clock: any ATTClock = SystemATTClock(), localRxMTU: UInt16 = 247,
                server: ATTLocalServer = ATTLocalServer(), logger: Logger) {
        self.transport = transport
        self.clock = clock
        self.logger = logger
        self.state = ATTBearerState(localRxMTU: localRxMTU, server: server)
        self.queue = DispatchQueue(label: "crampd.att-bearer")
        queue.setSpecific(key: Self.queueKey, value: ObjectIdentifier(self))
    }

    deinit {
        // Stop reading and release the descriptor, on the queue the transport's state lives on.
        let transport = self.transport
        let timer = self.timer
        queue.async {
            transport.shutdown()
            timer?.cancel()
        }
    }

    /// Starts reading from the transport.
    public func start() {
        queue.sync {
            guard !started else { return }
            started = true
            timer = clock.makeTimer(queue: queue) { [weak self] in self?.timerFired() }
            transport.start(queue: queue, receive: { [weak self] pdu in self?.received(pdu) },
                            closed: { [weak self] reason in self?.transportClosed(reason) })
        }
    }

    // MARK: - Operations

    /// Sends a request and waits for its response.
    ///
    /// - Returns: the response PDU, opcode first: the expected response or an Error Response
    ///   for this request (decoding it is the caller's business).
    /// - Throws: ``ATTBearerError`` when the link is or goes down, the request times out (the
    ///   link is then torn down), or the peer answers with a response to another request.
    /// - Important: cancelling the calling task does not withdraw the request: ATT has no way to
    ///   cancel a transaction, so it ends with its response, the 30 s timeout or the link.
    ///   Close the bearer to end everything at once.
    public func request(_ pdu: some ATTPDU) async throws(ATTBearerError) -> [UInt8] {
        try await request(bytes: pdu.encoded)
    }

    /// Sends a request given as bytes (opcode first).
    public func request(bytes pdu: [UInt8]) async throws(ATTBearerError) -> [UInt8] {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<[UInt8], ATTBearerError>, Never>) in
            queue.async {
                let (id, actions) = self.state.enqueueRequest(pdu, now: self.clock.now())
                self.continuations[id] = continuation
                self.perform(actions)
            }
        }
        return try result.get()
    }

    /// Sends a command (no response), such as Write Command.
    public func send(command pdu: some ATTPDU) throws(ATTBearerError) {
        let bytes = pdu.encoded
        let result = queue.sync { () -> Result<Void, ATTBearerError> in
            switch state.sendCommand(bytes) {
            case let .success(actions):
                perform(actions)
                return .success(())
            case let .failure(error): return .failure(error)
            }
        }
        try result.get()
    }

    /// Tears the link down; every queued and outstanding request fails with
    /// `.disconnected(.closedLocally)`.
    public func close() {
        queue.async { self.perform(self.state.close()) }
    }

    /// Waits until everything submitted to the bearer's queue before this call has run.
    public func flush() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in queue.async { c.resume() } }
    }

    // MARK: - State

    /// The link's ATT_MTU (23 until an Exchange MTU).
    public var mtu: UInt16 { queue.sync { state.mtu } }

    /// Sets ATT_MTU (the GATT client does, after its Exchange MTU).
    public func setMTU(_ value: UInt16) { queue.sync { state.setMTU(value) } }

    /// Why the link is down, or `nil` while it is up.
    public var disconnectReason: ATTDisconnectReason? { queue.sync { state.disconnectReason } }

    public var counters: ATTBearerCounters { queue.sync { state.counters } }

    /// Requests waiting behind the outstanding one.
    public var queuedRequests: Int { queue.sync { state.queuedRequests } }

    // MARK: - Registrations

    /// Registers a handler for every notification and indication (called on the bearer's
    /// queue, in arrival order; an indication is confirmed after all handlers returned).
    ///
    /// - Important: do not call this from a handler (it waits for the bearer's queue);
    ///   ``unregister(_:)`` may be.
    public func registerValueHandler(_ handler: @escaping @Sendable (ATTValueEvent) -> Void) -> ATTRegistrationID {
        queue.sync {
            let id = nextRegistration
            nextRegistration += 1
            valueHandlers.append((id, handler))
            return ATTRegistrationID(value: id)
        }
    }

    /// Registers a handler called once when the link goes down, for whatever reason.
    public func registerDisconnectHandler(_ handler: @escaping @Sendable (ATTDisconnectReason) -> Void) -> ATTRegistrationID {
        queue.sync {
            let id = nextRegistration
            nextRegistration += 1
            if let reason = state.disconnectReason {
                queue.async { handler(reason) }
            } else {
                disconnectHandlers.append((id, handler))
            }
            return ATTRegistrationID(value: id)
        }
    }

    /// Removes a value or disconnect handler. Safe from within a handler.
    ///
    /// - Returns: false when the id was not registered.
    @discardableResult
    public func unregister(_ id: ATTRegistrationID) -> Bool {
        let body = { () -> Bool in
            let before = self.valueHandlers.count + self.disconnectHandlers.count
            self.valueHandlers.removeAll { $0.id == id.value }
            self.disconnectHandlers.removeAll { $0.id == id.value }
            return before != self.valueHandlers.count + self.disconnectHandlers.count
        }
        if DispatchQueue.getSpecific(key: Self.queueKey) == ObjectIdentifier(self) { return body() }
        return queue.sync(execute: body)
    }

    private static let queueKey = DispatchSpecificKey<ObjectIdentifier>()

    // MARK: - Events (on `queue`)

    private func received(_ pdu: ArraySlice<UInt8>) {
        if logger.logLevel <= .trace {
            logger.trace("ATT >", metadata: ["att.pdu": "\(hexString(pdu))"])
        }
        perform(state.received(pdu, now: clock.now()))
    }

    private func timerFired() {
        perform(state.timerFired(now: clock.now()))
    }

    private func transportClosed(_ reason: ATTDisconnectReason) {
        perform(state.transportClosed(reason))
    }

    private func perform(_ actions: [ATTBearerState.Action]) {
        for action in actions {
            switch action {
            case let .send(pdu):
                // After a failed write the link is down; later sends of this batch are moot.
                guard state.isConnected else { continue }
                if logger.logLevel <= .trace {
                    logger.trace("ATT <", metadata: ["att.pdu": "\(hexString(pdu))"])
                }
                if let code = transport.send(pdu) {
                    logger.debug("ATT write failed", metadata: ["att.errno": "\(code)"])
                    perform(state.writeFailed(errno: code))
                }
            case let .complete(id, result):
                continuations.removeValue(forKey: id)?.resume(returning: result)
            case let .deliver(event):
                // Handlers may unregister themselves or others: re-check each before calling
                // ("callback could remove all entries", att.c).
                for (id, handler) in valueHandlers where valueHandlers.contains(where: { $0.id == id }) {
                    handler(event)
                }
            case let .armTimer(deadline):
                timer?.arm(deadline: deadline)
            case .disarmTimer:
                timer?.disarm()
            case let .shutdown(reason):
                logger.debug("ATT link torn down", metadata: ["att.reason": "\(reason)"])
                transport.shutdown()
            case let .diagnostic(text):
                logger.debug("ATT \(text)")
            }
        }
        // The link went down during these actions (torn down by a rule, or closed under us).
        if let reason = state.disconnectReason, !disconnectNotified {
            notifyDisconnect(reason)
        }
    }

    private func notifyDisconnect(_ reason: ATTDisconnectReason) {
        disconnectNotified = true
        logger.debug("ATT link down", metadata: ["att.reason": "\(reason)"])
        let handlers = disconnectHandlers
        disconnectHandlers.removeAll()
        valueHandlers.removeAll()
        timer?.cancel()
        for (_, handler) in handlers { handler(reason) }
    }
}
