// SPDX-License-Identifier: MIT
import Dispatch
import Synchronization

/// Opens links to devices for a ``BLESession``: the kernel's L2CAP in production
/// (``L2CAPConnector``), socketpairs to simulated sensors in tests.
public protocol BLEConnector: Sendable {
    /// Connects to `device` and returns the link, ready for an ``ATTBearer``.
    ///
    /// - Parameters:
    ///   - timeout: how long the attempt may take.
    ///   - shouldAbandon: polled while waiting; true ends the attempt (the session is ending).
    /// - Throws: ``BluetoothError``; `isFatal` ones (no Bluetooth, no adapter, no permission)
    ///   end a session that has never had a link.
    func connect(to device: BLEDeviceConfiguration, timeout: Duration,
                 shouldAbandon: @escaping @Sendable () -> Bool) async throws(BluetoothError) -> any ATTTransport
}

/// Connects over the kernel's L2CAP LE sockets on the ATT channel (CID 4), from one adapter.
///
/// The kernel does the LE work: it scans for the device's advertising (passively, with the
/// device on its accept list), then creates the connection; crampd needs no capability for
/// this. Each attempt runs on its own thread, because `connect(2)` on Bluetooth sockets waits.
public struct L2CAPConnector: BLEConnector {
    /// The local adapter's address, or `nil` for the kernel's choice.
    public let adapterAddress: String?

    /// - Parameter adapter: `hci1`, `1` or an address; `nil` lets the kernel choose (fine with
    ///   one adapter; with several it may choose one that cannot reach the device).
    /// - Throws: ``BluetoothError`` when the adapter does not exist or is down, or the kernel
    ///   has no Bluetooth.
    public init(adapter: String?) throws(BluetoothError) {
        if let adapter {
            adapterAddress = try HCIAdapters.resolve(adapter).address
        } else {
            // Fail early, with the clear message, when there is nothing to connect from.
            _ = try HCIAdapters.resolve(nil)
            adapterAddress = nil
        }
    }

    public func connect(to device: BLEDeviceConfiguration, timeout: Duration,
                        shouldAbandon: @escaping @Sendable () -> Bool) async throws(BluetoothError) -> any ATTTransport {
        let adapter = adapterAddress
        let result = await withCheckedContinuation { (c: CheckedContinuation<Result<Int32, BluetoothError>, Never>) in
            DispatchQueue.global().async {
                do throws(BluetoothError) {
                    let fd = try L2CAPATTSocket.connect(to: device.address, type: device.addressType, adapter: adapter,
                                                        timeout: timeout, shouldAbandon: shouldAbandon)
                    c.resume(returning: .success(fd))
                } catch {
                    c.resume(returning: .failure(error))
                }
            }
        }
        return SeqPacketSocketTransport(fileDescriptor: try result.get())
    }
}

/// A flag set when a task is cancelled, readable from any thread (a blocking connect polls it).
final class CancellationFlag: Sendable {
    private let flag = Mutex(false)
    var isSet: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
}
