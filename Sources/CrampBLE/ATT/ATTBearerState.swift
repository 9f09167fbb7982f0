// SPDX-License-Identifier: MIT
import BLEWire

/// A value the peer pushed: a notification or an indication.
public struct ATTValueEvent: Hashable, Sendable {
    public var attributeHandle: UInt16
    public var value: [UInt8]
    /// True for an indication; the bearer confirms it right after the handlers ran.
    public var isIndication: Bool

    public init(attributeHandle: UInt16, value: [UInt8], isIndication: Bool) {
        self.attributeHandle = attributeHandle
        self.value = value
        self.isIndication = isIndication
    }
}

/// What the bearer counted: drops and answers, never silent.
public struct ATTBearerCounters: Hashable, Sendable {
    /// PDUs received from the peer.
    public var received = 0
    /// PDUs sent to the peer.
    public var sent = 0
    /// Notifications and indications delivered to handlers.
    public var valuesDelivered = 0
    /// Received PDUs dropped because they could not be decoded (too short notifications and
    /// indications, empty PDUs).
    public var malformedDropped = 0
    /// Commands from the peer, ignored as the specification requires.
    public var commandsIgnored = 0
    /// Requests from the peer that crampd answered (with a response or an Error Response).
    public var peerRequestsAnswered = 0
    /// Received PDUs longer than the link's ATT_MTU (processed anyway; logged).
    public var oversized = 0

    public init() {}
}

/// The ATT bearer's rules as a deterministic state machine: events in, actions out. No I/O, no
/// clock: time arrives as an argument. ``ATTBearer`` drives it over a transport; tests drive it
/// directly too.
///
/// The rules, from Core 5.4, Vol 3, Part F and BlueZ's `src/shared/att.c`:
/// - one outstanding request; later requests wait in a FIFO queue (3.3.2: "Once a client sends
///   a request to a server, that client shall send no other request to the same server on the
///   same ATT bearer until it has received a response");
/// - a transaction times out 30 s after the request was sent, and the link is torn down (3.3.3);
/// - a response with no request outstanding, or a confirmation (crampd sends no indications),
///   tears the link down; a response that answers a different request fails that request only
///   (BlueZ `handle_rsp`);
/// - each indication is confirmed after its handlers ran (3.4.7.2);
/// - the peer's requests are answered at once by ``ATTLocalServer`` (Exchange MTU here);
///   commands are ignored (3.4.8);
/// - when the link goes down for any reason, the outstanding and every queued request fail with
///   the reason, once; nothing is left hanging.
public struct ATTBearerState: Sendable {
    /// ATT_TIMEOUT_INTERVAL, 30000 ms (3.3.3: "A transaction not completed within 30 seconds
    /// shall time out").
    public static let transactionTimeout: Duration = .seconds(30)
    /// ATT_MIN_PDU_LEN: at least 1 byte for the opcode.
    static let minimumPDULength = 1

    public enum Action: Hashable, Sendable {
        /// Write this PDU to the transport.
        case send([UInt8])
        /// Finish operation `id`: the response PDU (opcode first; an Error Response too) or a
        /// bearer error.
        case complete(id: UInt64, result: Result<[UInt8], ATTBearerError>)
        /// Hand a notification or indication to the registered handlers.
        case deliver(ATTValueEvent)
        /// (Re-)arm the single transaction timer for this deadline.
        case armTimer(deadline: Duration)
        case disarmTimer
        /// Tear the transport down; the link is gone for this reason.
        case shutdown(ATTDisconnectReason)
        /// Something worth a debug log line (a drop, a violation), with the PDU's hex.
        case diagnostic(String)
    }

    struct Operation: Sendable {
        var id: UInt64
        var pdu: [UInt8]
        var opcode: UInt8
    }

    public private(set) var mtu: UInt16 = ATTExchangeMTUResponse.defaultLEMTU
    /// The MTU crampd announces to a peer's Exchange MTU Request (its receive buffer).
    public var localRxMTU: UInt16
    public private(set) var disconnectReason: ATTDisconnectReason?
    public private(set) var counters = ATTBearerCounters()
    public var server: ATTLocalServer

    private var pending: (operation: Operation, deadline: Duration)?
    private var queue: [Operation] = []
    private var nextID: UInt64 = 1

    public init(localRxMTU: UInt16 = 247, server: ATTLocalServer = ATTLocalServer()) {
        self.localRxMTU = max(localRxMTU, ATTExchangeMTUResponse.defaultLEMTU)
        self.server = server
    }

    public var isConnected: Bool { disconnectReason == nil }
    /// Requests queued behind the outstanding one.
    public var queuedRequests: Int { queue.count }
    /// The opcode of the outstanding request, if any.
    public var outstandingRequest: UInt8? { pending?.operation.opcode }

    /// Sets ATT_MTU after an Exchange MTU, never below 23.
    public mutating func setMTU(_ value: UInt16) {
        mtu = max(value, ATTExchangeMTUResponse.defaultLEMTU)
    }

    // MARK: - Events

    /// Queues a request PDU; it goes out now if nothing is outstanding.
    ///
    /// - Returns: the operation's id, and the actions (an immediate `complete` with an error
    ///   when the link is down, the PDU is too long, or the opcode is not a request).
    public mutating func enqueueRequest(_ pdu: [UInt8], now: Duration) -> (id: UInt64, actions: [Action]) {
        let id = nextID
        nextID += 1
        if let reason = disconnectReason { return (id, [.complete(id: id, result: .failure(.disconnected(reason)))]) }
        guard let raw = pdu.first, ATTOpcode(rawValue: raw)?.kind == .request else {
            return (id, [.complete(id: id, result: .failure(.invalidOpcode(pdu.first ?? 0)))])
        }
        guard pdu.count <= Int(mtu) else {
            return (id, [.complete(id: id, result: .failure(.pduTooLong(length: pdu.count, mtu: Int(mtu))))])
        }
        queue.append(Operation(id: id, pdu: pdu, opcode: raw))
        return (id, sendNext(now: now))
    }

    /// Checks a command PDU (no response) and returns the actions that send it.
    public mutating func sendCommand(_ pdu: [UInt8]) -> Result<[Action], ATTBearerError> {
        if let reason = disconnectReason { return .failure(.disconnected(reason)) }
        guard let raw = pdu.first, ATTOpcode.kind(ofRaw: raw) == .command else {
            return .failure(.invalidOpcode(pdu.first ?? 0))
        }
        guard pdu.count <= Int(mtu) else { return .failure(.pduTooLong(length: pdu.count, mtu: Int(mtu))) }
        counters.sent += 1
        return .success([.send(pdu)])
    }

    /// One PDU arrived from the peer.
    public mutating func received(_ pdu: ArraySlice<UInt8>, now: Duration) -> [Action] {
        guard isConnected else { return [] }
        counters.received += 1
        guard pdu.count >= Self.minimumPDULength, let raw = pdu.first else {
            counters.malformedDropped += 1
            return [.diagnostic("empty ATT PDU dropped")]
        }
        var actions: [Action] = []
        if pdu.count > Int(mtu) {
            counters.oversized += 1
            actions.append(.diagnostic("PDU of \(pdu.count) bytes exceeds ATT_MTU \(mtu)"))
        }
        switch ATTOpcode.kind(ofRaw: raw) {
        case .response:
            actions += handleResponse(pdu, raw: raw, now: now)
        case .confirmation:
            // att.c `handle_conf`: "Disconnect the bearer if the confirmation is unexpected or
            // the PDU is invalid." crampd never sends indications, so every one is unexpected.
            actions += shutdown(.unexpectedConfirmation)
        case .notification, .indication:
            actions += handleValue(pdu, raw: raw)
        case .command:
            counters.commandsIgnored += 1
            actions.append(.diagnostic("command 0x\(hex(raw)) from the peer ignored"))
        case .request, nil:
            actions += handlePeerRequest(pdu, raw: raw)
        }
        return actions
    }

    /// The transaction timer fired (possibly late, possibly stale).
    public mutating func timerFired(now: Duration) -> [Action] {
        guard isConnected, let (operation, deadline) = pending else { return [] }
        guard now >= deadline else { return [.armTimer(deadline: deadline)] }
        pending = nil
        return [.complete(id: operation.id, result: .failure(.transactionTimeout(request: operation.opcode)))]
            + shutdown(.transactionTimeout(request: operation.opcode))
    }

    /// The transport reported the end of the link.
    public mutating func transportClosed(_ reason: ATTDisconnectReason) -> [Action] {
        guard isConnected else { return [] }
        return failAll(reason)
    }

    /// Writing to the transport failed: the link is unusable and is torn down.
    public mutating func writeFailed(errno: Int32) -> [Action] {
        shutdown(.transportError(errno: errno))
    }

    /// crampd closes the link.
    public mutating func close() -> [Action] {
        shutdown(.closedLocally)
    }

    // MARK: - Rules

    private mutating func sendNext(now: Duration) -> [Action] {
        guard pending == nil, !queue.isEmpty else { return [] }
        let operation = queue.removeFirst()
        let deadline = now + Self.transactionTimeout
        pending = (operation, deadline)
        counters.sent += 1
        // The timer is armed before the PDU leaves, so that no reaction of the peer can
        // overtake it.
        return [.armTimer(deadline: deadline), .send(operation.pdu)]
    }

    private mutating func handleResponse(_ pdu: ArraySlice<UInt8>, raw: UInt8, now: Duration) -> [Action] {
        // att.c `handle_rsp`: "If no request is pending, then the response is unexpected.
        // Disconnect the bearer."
        guard let (operation, _) = pending else {
            return shutdown(.unexpectedResponse(opcode: raw))
        }
        pending = nil
        let result: Result<[UInt8], ATTBearerError>
        if raw == ATTOpcode.errorResponse.rawValue {
            do {
                let error = try ATTErrorResponse(decoding: pdu)
                result = error.requestOpcode == operation.opcode
                    ? .success(Array(pdu))
                    : .failure(.mismatchedResponse(request: operation.opcode, response: raw))
            } catch {
                result = .failure(.malformedErrorResponse(error))
            }
        } else if ATTOpcode(rawValue: operation.opcode)?.expectedResponse?.rawValue == raw {
            result = .success(Array(pdu))
        } else {
            // "If the received response doesn't match the pending request, or if the request
            // is malformed, end the current request with failure."
            result = .failure(.mismatchedResponse(request: operation.opcode, response: raw))
        }
        var actions: [Action] = [.complete(id: operation.id, result: result)]
        let next = sendNext(now: now)
        actions += next.isEmpty ? [.disarmTimer] : next
        return actions
    }

    private mutating func handleValue(_ pdu: ArraySlice<UInt8>, raw: UInt8) -> [Action] {
        let isIndication = raw == ATTOpcode.handleValueIndication.rawValue
        var actions: [Action] = []
        if raw == ATTOpcode.handleValueNotification.rawValue || isIndication {
            // Opcode + 2-octet handle at least (3.4.7.1, 3.4.7.2); the value may be empty.
            if pdu.count >= 3 {
                let i = pdu.startIndex
                let handle = UInt16(pdu[i + 1]) | UInt16(pdu[i + 2]) << 8
                counters.valuesDelivered += 1
                actions.append(.deliver(ATTValueEvent(attributeHandle: handle, value: Array(pdu.dropFirst(3)),
                                                      isIndication: isIndication)))
            } else {
                counters.malformedDropped += 1
                actions.append(.diagnostic("malformed \(isIndication ? "indication" : "notification") dropped: \(hexString(pdu))"))
            }
        } else {
            // ATT_MULTIPLE_HANDLE_VALUE_NTF: crampd never enables it (it needs the Client
            // Supported Features characteristic), so it is dropped and counted.
            counters.malformedDropped += 1
            actions.append(.diagnostic("unsupported notification 0x\(hex(raw)) dropped"))
        }
        if isIndication {
            // 3.4.7.2: "The client shall send an ATT_HANDLE_VALUE_CFM PDU in response to an
            // ATT_HANDLE_VALUE_IND PDU." Sent even for a malformed indication: the peer waits
            // for it and would time out and drop the link otherwise.
            counters.sent += 1
            actions.append(.send(ATTHandleValueConfirmation().encoded))
        }
        return actions
    }

    private mutating func handlePeerRequest(_ pdu: ArraySlice<UInt8>, raw: UInt8) -> [Action] {
        counters.peerRequestsAnswered += 1
        counters.sent += 1
        if raw == ATTOpcode.exchangeMTURequest.rawValue {
            guard let request = try? ATTExchangeMTURequest(decoding: pdu) else {
                return [.send(ATTErrorResponse(requestOpcode: raw, attributeHandle: 0, errorCode: .invalidPDU).encoded)]
            }
            // 3.4.2.2: the server answers with its Rx MTU, and "Both the server and client shall
            // then set ATT_MTU to the minimum of the Client Rx MTU and the Server Rx MTU."
            // The response goes out at the old MTU; it is 3 octets, which always fits.
            let response = ATTExchangeMTUResponse(serverRxMTU: localRxMTU)
            setMTU(response.negotiatedMTU(clientRxMTU: request.clientRxMTU))
            return [.send(response.encoded)]
        }
        return [.send(server.respond(to: pdu, mtu: Int(mtu)))]
    }

    private mutating func shutdown(_ reason: ATTDisconnectReason) -> [Action] {
        guard isConnected else { return [] }
        return failAll(reason) + [.shutdown(reason)]
    }

    private mutating func failAll(_ reason: ATTDisconnectReason) -> [Action] {
        disconnectReason = reason
        var actions: [Action] = [.disarmTimer]
        if let (operation, _) = pending {
            actions.append(.complete(id: operation.id, result: .failure(.disconnected(reason))))
            pending = nil
        }
        for operation in queue {
            actions.append(.complete(id: operation.id, result: .failure(.disconnected(reason))))
        }
        queue.removeAll()
        return actions
    }
}
