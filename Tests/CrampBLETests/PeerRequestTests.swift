// SPDX-License-Identifier: MIT
import BLEWire
import CrampBLE
import Testing

/// The peer's own ATT requests (a BlueZ peripheral is a GATT client too) get answers at once,
/// from crampd's minimal GAP/GATT server, byte for byte.
@Suite(.serialized, .timeLimit(.minutes(1))) struct PeerRequestTests {
    /// "crampd" in UTF-8.
    static let name: [UInt8] = [0x63, 0x72, 0x61, 0x6D, 0x70, 0x64]

    @Test func peerDiscoveryOfCrampdsServer() async throws {
        let link = try ScriptedLink()
        let script: [PDUStep] = [
            // Exchange MTU: crampd's Rx MTU is 247; the peer's 100 wins.
            .peerSends(pdu(0x02, 0x64, 0x00)),
            .crampdSends(pdu(0x03, 0xF7, 0x00)),
            // Discover All Primary Services.
            .peerSends(pdu(0x10, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x28)),
            .crampdSends(pdu(0x11, 0x06, 0x01, 0x00, 0x05, 0x00, 0x00, 0x18, 0x06, 0x00, 0x06, 0x00, 0x01, 0x18)),
            .peerSends(pdu(0x10, 0x07, 0x00, 0xFF, 0xFF, 0x00, 0x28)),
            .crampdSends(pdu(0x01, 0x10, 0x07, 0x00, 0x0A)),
            // Characteristics of Generic Access.
            .peerSends(pdu(0x08, 0x01, 0x00, 0x05, 0x00, 0x03, 0x28)),
            .crampdSends(pdu(0x09, 0x07, 0x02, 0x00, 0x02, 0x03, 0x00, 0x00, 0x2A, 0x04, 0x00, 0x02, 0x05, 0x00, 0x01, 0x2A)),
            // Read Using Characteristic UUID: Device Name.
            .peerSends(pdu(0x08, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x2A)),
            .crampdSends(pdu(0x09, 0x08, 0x03, 0x00) + Self.name),
            .peerSends(pdu(0x0A, 0x03, 0x00)),
            .crampdSends(pdu(0x0B) + Self.name),
            .peerSends(pdu(0x0C, 0x03, 0x00, 0x02, 0x00)),
            .crampdSends(pdu(0x0D) + Self.name.dropFirst(2)),
            .peerSends(pdu(0x0C, 0x03, 0x00, 0x07, 0x00)),
            .crampdSends(pdu(0x01, 0x0C, 0x03, 0x00, 0x07)),
            // Find Information over the first two handles.
            .peerSends(pdu(0x04, 0x01, 0x00, 0x02, 0x00)),
            .crampdSends(pdu(0x05, 0x01, 0x01, 0x00, 0x00, 0x28, 0x02, 0x00, 0x03, 0x28)),
            .peerSends(pdu(0x04, 0x07, 0x00, 0xFF, 0xFF)),
            .crampdSends(pdu(0x01, 0x04, 0x07, 0x00, 0x0A)),
            // Discover Primary Service by UUID: GAP is there, Heart Rate is not.
            .peerSends(pdu(0x06, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x28, 0x00, 0x18)),
            .crampdSends(pdu(0x07, 0x01, 0x00, 0x05, 0x00)),
            .peerSends(pdu(0x06, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x28, 0x0D, 0x18)),
            .crampdSends(pdu(0x01, 0x06, 0x01, 0x00, 0x0A)),
        ]
        Self.expect(await link.peer.run(script), script)
        #expect(link.bearer.mtu == 100)
        #expect(link.bearer.counters.peerRequestsAnswered == 12)
    }

    @Test func requestsCrampdDoesNotServeGetTheSpecifiedErrors() async throws {
        let link = try ScriptedLink()
        let script: [PDUStep] = [
            // Write Request: the attribute exists but is read-only; a missing one is invalid.
            .peerSends(pdu(0x12, 0x03, 0x00, 0x41)),
            .crampdSends(pdu(0x01, 0x12, 0x03, 0x00, 0x03)),
            .peerSends(pdu(0x12, 0x40, 0x00, 0x41)),
            .crampdSends(pdu(0x01, 0x12, 0x40, 0x00, 0x01)),
            .peerSends(pdu(0x0A, 0x40, 0x00)),
            .crampdSends(pdu(0x01, 0x0A, 0x40, 0x00, 0x01)),
            // Starting handle 0 or start > end: Invalid Handle.
            .peerSends(pdu(0x10, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x28)),
            .crampdSends(pdu(0x01, 0x10, 0x00, 0x00, 0x01)),
            .peerSends(pdu(0x08, 0x05, 0x00, 0x01, 0x00, 0x03, 0x28)),
            .crampdSends(pdu(0x01, 0x08, 0x05, 0x00, 0x01)),
            // «Include» is not a grouping type.
            .peerSends(pdu(0x10, 0x01, 0x00, 0xFF, 0xFF, 0x02, 0x28)),
            .crampdSends(pdu(0x01, 0x10, 0x01, 0x00, 0x10)),
            // Prepare Write, Read Multiple and an unknown opcode: Request Not Supported.
            .peerSends(pdu(0x16, 0x03, 0x00, 0x00, 0x00, 0x41)),
            .crampdSends(pdu(0x01, 0x16, 0x00, 0x00, 0x06)),
            .peerSends(pdu(0x0E, 0x03, 0x00, 0x05, 0x00)),
            .crampdSends(pdu(0x01, 0x0E, 0x00, 0x00, 0x06)),
            .peerSends(pdu(0x3F, 0x01)),
            .crampdSends(pdu(0x01, 0x3F, 0x00, 0x00, 0x06)),
            // A malformed request: Invalid PDU.
            .peerSends(pdu(0x0A, 0x03)),
            .crampdSends(pdu(0x01, 0x0A, 0x00, 0x00, 0x04)),
            .peerSends(pdu(0x08, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x2A, 0x00)),
            .crampdSends(pdu(0x01, 0x08, 0x00, 0x00, 0x04)),
            // Commands are ignored: no answer, and the link stays up.
            .peerSends(pdu(0x52, 0x03, 0x00, 0x41)),
            .peerSends(pdu(0x7F)),
            .expectSilence(milliseconds: 50),
        ]
        Self.expect(await link.peer.run(script), script)
        #expect(link.bearer.counters.commandsIgnored == 2)
        #expect(link.bearer.disconnectReason == nil)
    }

    @Test func peerRequestsInterleaveWithCrampdsOwnRequest() async throws {
        // Both sides exchange MTU at once, as a BlueZ peripheral does right after connecting.
        let link = try ScriptedLink()
        let script: [PDUStep] = [
            .crampdSends(pdu(0x02, 0xF7, 0x00)),
            .peerSends(pdu(0x02, 0xB9, 0x00)),
            .crampdSends(pdu(0x03, 0xF7, 0x00)),
            .peerSends(pdu(0x10, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x28)),
            .crampdSends(pdu(0x11, 0x06, 0x01, 0x00, 0x05, 0x00, 0x00, 0x18, 0x06, 0x00, 0x06, 0x00, 0x01, 0x18)),
            .peerSends(pdu(0x03, 0xB9, 0x00)),
        ]
        async let outcome = link.peer.run(script)
        let mtu = try await link.client.exchangeMTU()
        Self.expect(await outcome, script)
        #expect(mtu == 185 && link.bearer.mtu == 185)
    }

    static func expect(_ outcome: ScriptOutcome, _ script: [PDUStep], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.failures == [], sourceLocation: sourceLocation)
        #expect(outcome.stepsDone == script.count, sourceLocation: sourceLocation)
    }
}
