// SPDX-License-Identifier: MIT
import BLEWire
import CrampBLE
import Glibc
import Logging
import Testing

/// The bearer's rules driven directly, without sockets or threads: deterministic.
@Suite struct ATTBearerStateTests {
    typealias Action = ATTBearerState.Action

    @Test func oneOutstandingRequestTheRestQueueInOrder() {
        var state = ATTBearerState()
        let (a, first) = state.enqueueRequest([0x0A, 0x03, 0x00], now: .seconds(1))
        #expect(first == [.armTimer(deadline: .seconds(31)), .send([0x0A, 0x03, 0x00])])
        let (b, second) = state.enqueueRequest([0x0A, 0x05, 0x00], now: .seconds(2))
        #expect(second.isEmpty)
        #expect(state.queuedRequests == 1 && state.outstandingRequest == 0x0A)
        let answered = state.received([0x0B, 0x41][...], now: .seconds(3))
        #expect(answered == [.complete(id: a, result: .success([0x0B, 0x41])), .armTimer(deadline: .seconds(33)),
                             .send([0x0A, 0x05, 0x00])])
        let last = state.received([0x0B][...], now: .seconds(4))
        #expect(last == [.complete(id: b, result: .success([0x0B])), .disarmTimer])
    }

    @Test func aStaleTimerReArmsAndADueOneTearsDown() {
        var state = ATTBearerState()
        let (id, _) = state.enqueueRequest([0x02, 0xF7, 0x00], now: .zero)
        #expect(state.timerFired(now: .seconds(29)) == [.armTimer(deadline: .seconds(30))])
        let actions = state.timerFired(now: .seconds(30))
        #expect(actions == [
            .complete(id: id, result: .failure(.transactionTimeout(request: 0x02))),
            .disarmTimer,
            .shutdown(.transactionTimeout(request: 0x02)),
        ])
        // 3.3.3: nothing more is sent on this bearer.
        let (late, refused) = state.enqueueRequest([0x0A, 0x03, 0x00], now: .seconds(31))
        #expect(refused == [.complete(id: late, result: .failure(.disconnected(.transactionTimeout(request: 0x02))))])
        #expect(state.received([0x1B, 0x08, 0x00, 0x01][...], now: .seconds(32)).isEmpty)
    }

    @Test func requestsAndCommandsAreCheckedBeforeSending() {
        var state = ATTBearerState()
        let (id, actions) = state.enqueueRequest([0x1B, 0x08, 0x00], now: .zero)
        #expect(actions == [.complete(id: id, result: .failure(.invalidOpcode(0x1B)))])
        #expect(state.sendCommand([0x0A, 0x03, 0x00]) == .failure(.invalidOpcode(0x0A)))
        #expect(state.sendCommand([0x52, 0x03, 0x00, 0x01]) == .success([.send([0x52, 0x03, 0x00, 0x01])]))
        let long = [UInt8](repeating: 0x12, count: 24)
        let (id2, tooLong) = state.enqueueRequest(long, now: .zero)
        #expect(tooLong == [.complete(id: id2, result: .failure(.pduTooLong(length: 24, mtu: 23)))])
        state.setMTU(185)
        #expect(state.enqueueRequest(long, now: .zero).actions.last == .send(long))
        state.setMTU(5)
        #expect(state.mtu == 23)
    }

    @Test func transportCloseFailsEverythingOnce() {
        var state = ATTBearerState()
        let (a, _) = state.enqueueRequest([0x0A, 0x03, 0x00], now: .zero)
        let (b, _) = state.enqueueRequest([0x0A, 0x05, 0x00], now: .zero)
        #expect(state.transportClosed(.closedByPeer) == [
            .disarmTimer,
            .complete(id: a, result: .failure(.disconnected(.closedByPeer))),
            .complete(id: b, result: .failure(.disconnected(.closedByPeer))),
        ])
        #expect(state.transportClosed(.closedByPeer).isEmpty)
        #expect(state.close().isEmpty)
    }

    @Test func peerExchangeMTUSetsTheMinimum() {
        var state = ATTBearerState(localRxMTU: 247)
        #expect(state.received([0x02, 0x00, 0x02][...], now: .zero) == [.send([0x03, 0xF7, 0x00])])
        #expect(state.mtu == 247)
        var other = ATTBearerState(localRxMTU: 247)
        _ = other.received([0x02, 0x40, 0x00][...], now: .zero)
        #expect(other.mtu == 64)
        #expect(other.received([0x02, 0x40][...], now: .zero) == [.send([0x01, 0x02, 0x00, 0x00, 0x04])])
    }

    @Test func emptyPDUIsACountedDrop() {
        var state = ATTBearerState()
        #expect(state.received([][...], now: .zero) == [.diagnostic("empty ATT PDU dropped")])
        #expect(state.counters.malformedDropped == 1 && state.isConnected)
    }
}

@Suite(.timeLimit(.minutes(1))) struct ATTBearerTransportTests {
    /// A write that fails tears the link down; the request fails with the errno.
    @Test func failedWriteTearsTheLinkDown() async throws {
        let (local, remote) = try makeSeqPacketSocketPair()
        close(remote)
        let bearer = ATTBearer(transport: SeqPacketSocketTransport(fileDescriptor: local), clock: ManualATTClock(),
                               logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        bearer.start()
        await #expect(throws: ATTBearerError.self) { try await bearer.request(ATTReadRequest(attributeHandle: 3)) }
        let reason = bearer.disconnectReason
        #expect(reason == .transportError(errno: EPIPE) || reason == .closedByPeer || reason == .transportError(errno: ECONNRESET))
    }
}
