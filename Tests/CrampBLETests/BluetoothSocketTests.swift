// SPDX-License-Identifier: MIT
import CrampBLE
import Testing

/// The libbluetooth socket code's error paths. On a machine without Bluetooth (this project's
/// development machines and CI: the kernel has no CONFIG_BT) every call must fail with a clear,
/// typed error — never hang, never trap. On a machine with an adapter these tests only check
/// that a failure, if any, is classified.
@Suite(.timeLimit(.minutes(1))) struct BluetoothSocketTests {
    static let unavailable: Set<BluetoothError.Kind> = [.kernelLacksBluetooth, .noAdapter, .adapterDown, .permissionDenied]

    @Test func connectWithoutBluetoothIsAClearError() {
        do {
            let fd = try L2CAPATTSocket.connect(to: "00:AA:01:00:00:00", type: .public, timeout: .seconds(2))
            // An adapter and a peer exist after all: nothing to check here.
            _ = SeqPacketSocketTransport(fileDescriptor: fd)
        } catch {
            #expect(Self.unavailable.contains(error.kind) || error.kind == .timeout, "\(error)")
            if error.kind == .kernelLacksBluetooth {
                #expect("\(error)".contains("this kernel has no Bluetooth support"))
                #expect(error.call == "socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP)")
            }
        }
    }

    @Test func malformedAddressesAreRefusedBeforeAnySocket() {
        #expect(throws: BluetoothError(kind: .other, call: "str2ba(00:AA:01)", errno: 22)) {
            try L2CAPATTSocket.connect(to: "00:AA:01", type: .random)
        }
        #expect(throws: BluetoothError(kind: .other, call: "str2ba(zz:AA:01:00:00:00)", errno: 22)) {
            try L2CAPATTSocket.connect(to: "zz:AA:01:00:00:00", type: .random)
        }
    }

    @Test func scanWithoutAnAdapterIsAClearError() {
        do {
            let scanner = try HCIScanner()
            try scanner.scan(for: .milliseconds(100)) { _ in }
        } catch {
            #expect(Self.unavailable.contains(error.kind), "\(error)")
            #expect(!"\(error)".isEmpty)
        }
    }

    @Test func errnoClassification() {
        #expect(BluetoothError(call: "socket", errno: 97).kind == .kernelLacksBluetooth)  // EAFNOSUPPORT
        #expect(BluetoothError(call: "hci_get_route", errno: 19).kind == .noAdapter)  // ENODEV
        #expect(BluetoothError(call: "hci_le_set_scan_enable", errno: 100).kind == .adapterDown)  // ENETDOWN
        #expect(BluetoothError(call: "hci_open_dev", errno: 1).kind == .permissionDenied)  // EPERM
        let text = "\(BluetoothError(call: "hci_le_set_scan_parameters", errno: 1))"
        #expect(text.hasPrefix("hci_le_set_scan_parameters: permission denied: crampd needs CAP_NET_RAW and CAP_NET_ADMIN"))
    }
}
