// SPDX-License-Identifier: MIT
import BLEWire
import CrampBLE
import Dispatch
import Glibc
import Logging
import Synchronization

/// One step of a scripted ATT exchange, in the manner of BlueZ's `unit/test-gatt.c`: the peer
/// asserts each PDU crampd writes byte for byte, and feeds it the next scripted PDU.
enum PDUStep: Sendable {
    /// crampd must write exactly these bytes next.
    case crampdSends([UInt8])
    /// The peer writes these bytes to crampd.
    case peerSends([UInt8])
    /// An out-of-band step (test-gatt.c's empty PDU): advance the clock, start an operation.
    case run(@Sendable () -> Void)
    /// The peer must see the link torn down (end of stream) next.
    case expectLinkDown
    /// The peer closes the link.
    case peerCloses
    /// crampd must write nothing for this long.
    case expectSilence(milliseconds: Int32)
}

/// Blocks the calling (peer) thread until `condition` holds, for at most 5 s.
func waitUntil(_ condition: () -> Bool) {
    for _ in 0 ..< 5000 where !condition() { usleep(1000) }
}

/// A PDU from its bytes, as `raw_pdu(...)` in test-gatt.c.
func pdu(_ bytes: UInt8...) -> [UInt8] { bytes }

/// What a script run found.
struct ScriptOutcome: Sendable {
    var failures: [String] = []
    var stepsDone = 0
}

/// The peer end of a socketpair, running a script on its own thread (never on the cooperative
/// pool, which a blocking `poll` would starve).
final class ScriptedPeer: @unchecked Sendable {
    let fd: Int32
    private let thread = DispatchQueue(label: "crampd.test.scripted-peer")
    /// How long to wait for crampd's next PDU before failing the step.
    var stepTimeoutMilliseconds: Int32 = 5000

    init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Runs the script. When a step fails, the peer tears the link down, so that crampd's
    /// pending operations fail instead of waiting for an answer that will not come.
    func run(_ script: [PDUStep]) async -> ScriptOutcome {
        await withCheckedContinuation { continuation in
            thread.async {
                let outcome = self.runBlocking(script)
                if !outcome.failures.isEmpty { shutdown(self.fd, Int32(SHUT_RDWR)) }
                continuation.resume(returning: outcome)
            }
        }
    }

    private func runBlocking(_ script: [PDUStep]) -> ScriptOutcome {
        var outcome = ScriptOutcome()
        for (k, step) in script.enumerated() {
            let where_ = "step \(k + 1) of \(script.count)"
            switch step {
            case let .crampdSends(expected):
                switch read(timeout: stepTimeoutMilliseconds) {
                case let .pdu(actual):
                    if actual != expected {
                        outcome.failures.append("\(where_): crampd sent \(hexString(actual)), script expects \(hexString(expected))")
                        return outcome
                    }
                case .closed:
                    outcome.failures.append("\(where_): link closed, script expects crampd to send \(hexString(expected))")
                    return outcome
                case .timeout:
                    outcome.failures.append("\(where_): crampd sent nothing, script expects \(hexString(expected))")
                    return outcome
                }
            case let .peerSends(bytes):
                let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n != bytes.count {
                    outcome.failures.append("\(where_): the peer could not send \(hexString(bytes)) (errno \(errno))")
                    return outcome
                }
            case let .run(body):
                body()
            case .expectLinkDown:
                switch read(timeout: stepTimeoutMilliseconds) {
                case .closed: break
                case let .pdu(actual):
                    outcome.failures.append("\(where_): crampd sent \(hexString(actual)), script expects the link torn down")
                    return outcome
                case .timeout:
                    outcome.failures.append("\(where_): the link is still up, script expects it torn down")
                    return outcome
                }
            case .peerCloses:
                shutdown(fd, Int32(SHUT_RDWR))
            case let .expectSilence(milliseconds):
                if case let .pdu(actual) = read(timeout: milliseconds) {
                    outcome.failures.append("\(where_): crampd sent \(hexString(actual)), script expects silence")
                    return outcome
                }
            }
            outcome.stepsDone = k + 1
        }
        return outcome
    }

    private enum ReadResult { case pdu([UInt8]), closed, timeout }

    private func read(timeout: Int32) -> ReadResult {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&pfd, 1, timeout)
        if ready == 0 { return .timeout }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { return .closed }
        return .pdu(Array(buffer[0 ..< n]))
    }
}

/// A bearer and GATT client on one end of a socketpair, a scripted peer on the other, and a
/// manual clock.
struct ScriptedLink {
    let bearer: ATTBearer
    let client: GATTClient
    let peer: ScriptedPeer
    let clock: ManualATTClock
    let log: CapturedLog
    /// The bearer's end of the socketpair.
    let localFD: Int32

    init(logLevel: Logger.Level = .trace) throws {
        let (local, remote) = try makeSeqPacketSocketPair()
        localFD = local
        clock = ManualATTClock()
        log = CapturedLog()
        var logger = Logger(label: "crampd.test.att", factory: { [log] _ in CapturingLogHandler(log: log) })
        logger.logLevel = logLevel
        bearer = ATTBearer(transport: SeqPacketSocketTransport(fileDescriptor: local), clock: clock, logger: logger)
        bearer.start()
        client = GATTClient(bearer: bearer)
        peer = ScriptedPeer(fd: remote)
    }

    /// Waits until the bearer has read everything the peer sent and handled it: the socket's
    /// receive queue is empty (its read source may not have fired yet on a loaded machine),
    /// then the bearer's queue is drained. At most 5 s.
    func settle() async {
        for _ in 0 ..< 5000 {
            var pending: Int32 = 0
            // FIONREAD: bytes waiting; an error (the bearer closed its end) means nothing waits.
            guard ioctl(localFD, UInt(FIONREAD), &pending) == 0, pending > 0 else { break }
            try? await Task.sleep(for: .milliseconds(1))
        }
        await bearer.flush()
    }
}

/// Log lines captured by ``CapturingLogHandler``.
final class CapturedLog: Sendable {
    private let lines = Mutex<[(Logger.Level, String, Logger.Metadata)]>([])

    func append(_ level: Logger.Level, _ message: String, _ metadata: Logger.Metadata) {
        lines.withLock { $0.append((level, message, metadata)) }
    }

    var entries: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] {
        lines.withLock { $0.map { (level: $0.0, message: $0.1, metadata: $0.2) } }
    }
}

/// A value-type log handler that records every line (swift-log's handler contract).
struct CapturingLogHandler: LogHandler {
    let log: CapturedLog
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        log.append(event.level, event.message.description, metadata.merging(event.metadata ?? [:]) { $1 })
    }
}
