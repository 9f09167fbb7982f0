// SPDX-License-Identifier: MIT
import BLEWire
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
            _ = try scanner.collect(for: .milliseconds(100))
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
        // Which capability is missing, and the three ways to grant it.
        let text = "\(BluetoothError(call: "LE Set Scan Parameters on hci0", errno: 1))"
        #expect(text.hasPrefix("LE Set Scan Parameters on hci0: permission denied"))
        #expect(text.contains("CAP_NET_RAW") && text.contains("setcap cap_net_raw,cap_net_admin+ep")
            && text.contains("AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN"))
        let rejected = BluetoothError(kind: .commandRejected, call: "LE Set Scan Enable on hci1", errno: 0, status: 0x0C)
        #expect("\(rejected)" == "LE Set Scan Enable on hci1: the controller refused the command: Command Disallowed (0x0c)")
        #expect("\(BluetoothError(kind: .adapterDown, call: "adapter hci1", errno: 100, adapter: 1))".contains("btmgmt --index 1 power on"))
        #expect(BluetoothError(kind: .noAdapter, call: "x", errno: 19).isFatal && !BluetoothError(kind: .timeout, call: "x", errno: 110).isFatal)
    }
}

/// `crampd scan`'s merging of advertising reports: one result per address.
@Suite struct ScanCollectorTests {
    @Test func reportsMergeByAddress() throws {
        var collector = BLEScanCollector()
        let adv = try BLEAdvertisingData(decoding: [0x02, 0x01, 0x06, 0x05, 0x03, 0x0D, 0x18, 0x14, 0x18][...])
        let response = try BLEAdvertisingData(decoding: [0x04, 0x09, 0x48, 0x52, 0x4D][...])
        let first = collector.add(BLEAdvertisement(address: "00:AA:01:00:00:00", addressType: .public, rssi: -70, data: adv))
        let again = collector.add(BLEAdvertisement(address: "00:AA:01:00:00:00", addressType: .public, rssi: -60, data: response,
                                                   isConnectable: false, isScanResponse: true))
        #expect(first && !again)
        var emg: [UInt8] = [0x11, 0x07]
        EMGProfile.service.encode128(into: &emg)
        collector.add(BLEAdvertisement(address: "C2:11:22:33:44:55", addressType: .random, rssi: nil,
                                       data: try BLEAdvertisingData(decoding: emg[...]), isConnectable: false))
        let results = collector.sorted
        #expect(results.map(\.address) == ["00:AA:01:00:00:00", "C2:11:22:33:44:55"])
        let strap = results[0]
        #expect(strap.name == "HRM" && strap.rssi == -60 && strap.reports == 2 && strap.isConnectable)
        #expect(strap.services == [.heartRateService, .runningSpeedAndCadenceService])
        #expect(strap.suggestedKinds == [.hr, .rsc])
        #expect(results[1].addressType == .random && results[1].suggestedKinds == [.emg] && !results[1].isConnectable)
    }
}
