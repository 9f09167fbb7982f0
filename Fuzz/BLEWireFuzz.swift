// SPDX-License-Identifier: MIT
// libFuzzer entry point for the BLEWire decoders. Compiled together with Sources/BLEWire by
// scripts/fuzz.sh (`swiftc -sanitize=fuzzer,address`), not by SwiftPM. The target is chosen by
// the environment variable BLEWIRE_FUZZ_TARGET (one of `FuzzTarget`'s raw values).
//
// Each target checks, for every input:
// - decoding never traps (ASan and Swift's own checks turn any memory or arithmetic fault into
//   a crash that libFuzzer reports);
// - a failure is an ATTDecodeError whose offsets are consistent with the input;
// - a success re-encodes to bytes that decode to the same value.

#if canImport(Glibc)
import Glibc
#endif

enum FuzzTarget: String, CaseIterable {
    case att, hrm, bsl, rsc, battery, emgData = "emg-data", emgConfig = "emg-config", myo, declaration, advertising
}

let target: FuzzTarget = {
    guard let raw = getenv("BLEWIRE_FUZZ_TARGET").map({ String(cString: $0) }), let t = FuzzTarget(rawValue: raw) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        fputs("set BLEWIRE_FUZZ_TARGET to one of: \(names)\n", stderr)
        exit(2)
    }
    return t
}()

func check(_ error: ATTDecodeError, size: Int) {
    guard error.actualLength == size, error.offset >= 0, error.offset <= size else {
        fatalError("inconsistent error for \(size) bytes: \(error)")
    }
    switch error.reason {
    case .truncated: precondition(error.expectedLength > error.actualLength, "truncated but long enough: \(error)")
    case .trailingBytes: precondition(error.expectedLength < error.actualLength, "trailing but not longer: \(error)")
    default: break
    }
}

/// Decodes, and on success re-encodes and decodes again, requiring the same value.
func roundTrip<T: Equatable>(_ bytes: [UInt8], decode: ([UInt8]) throws(ATTDecodeError) -> T, encode: (T) -> [UInt8]) {
    do {
        let value = try decode(bytes)
        let again: T
        do { again = try decode(encode(value)) } catch { fatalError("re-encoded value does not decode: \(error)") }
        precondition(again == value, "round trip changed the value")
    } catch {
        check(error, size: bytes.count)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    switch target {
    case .att:
        roundTrip(bytes, decode: { b throws(ATTDecodeError) in try ATTMessage(decoding: b[...]) },
                  encode: { m in var out: [UInt8] = []; m.encode(into: &out); return out })
    case .hrm:
        roundTrip(bytes, decode: { b throws(ATTDecodeError) in try HeartRateMeasurement(decoding: b) }, encode: { $0.encoded })
    case .bsl:
        roundTrip(bytes, decode: { b throws(ATTDecodeError) in try BodySensorLocation(decoding: b[...]) }, encode: { [$0.rawValue] })
    case .rsc:
        roundTrip(bytes, decode: { b throws(ATTDecodeError) in try RSCMeasurement(decoding: b) }, encode: { $0.encoded })
        if let m = try? RSCMeasurement(decoding: bytes) {
            for counting in RSCCadenceCounting.allCases {
                let c = m.cadence(counting: counting)
                _ = (c.stepsPerMinute, c.isPlausible, c.suggestedCounting)
            }
        }
    case .battery:
        roundTrip(bytes, decode: { b throws(ATTDecodeError) in try BatteryLevel(decoding: b[...]) }, encode: { $0.encoded })
    case .emgData:
        roundTrip(bytes, decode: { b throws(ATTDecodeError) in try EMGDataPacket(decoding: b) }, encode: { $0.encoded })
        var tracker = EMGSequenceTracker()
        var k = 0
        while k + 1 < bytes.count {
            _ = tracker.observe(UInt16(bytes[k]) | UInt16(bytes[k + 1]) << 8)
            k += 2
        }
    case .emgConfig:
        // The first octet picks the characteristic; the rest is its value.
        guard let selector = bytes.first else { return 0 }
        let value = Array(bytes.dropFirst())
        switch selector % 3 {
        case 0: roundTrip(value, decode: { b throws(ATTDecodeError) in try EMGSampleRate(decoding: b[...]) }, encode: { $0.encoded })
        case 1: roundTrip(value, decode: { b throws(ATTDecodeError) in try EMGChannelMap(decoding: b[...]) }, encode: { $0.encoded })
        default:
            roundTrip(value, decode: { b throws(ATTDecodeError) in try EMGScale(decoding: b[...]) }, encode: { $0.encoded })
        }
    case .myo:
        roundTrip(bytes, decode: { b throws(ATTDecodeError) in try MyoEMGData(decoding: b[...]) }, encode: { $0.encoded })
    case .declaration:
        roundTrip(bytes, decode: { b throws(ATTDecodeError) in try GATTCharacteristicDeclaration(decoding: b[...]) },
                  encode: { d in var out: [UInt8] = []; d.encode(into: &out); return out })
        roundTrip(bytes, decode: { b throws(ATTDecodeError) in try GATTClientCharacteristicConfiguration(decoding: b[...]) },
                  encode: { $0.encoded })
        if bytes.count == 2 || bytes.count == 16 { _ = try? BluetoothUUID(littleEndian: bytes[...]) }
    case .advertising:
        // An HCI LE Advertising Report event's parameters, and each report's AD structures.
        do {
            for report in try HCILEAdvertisingReport.decode(leMetaEvent: bytes[...]) {
                roundTrip(report.data, decode: { b throws(ATTDecodeError) in try BLEAdvertisingData(decoding: b[...]) },
                          encode: { $0.encoded })
                if let ad = try? BLEAdvertisingData(decoding: report.data[...]) {
                    _ = (ad.localName, ad.serviceUUIDs, ad.flags, ad.txPower, ad.manufacturerData)
                }
            }
        } catch {
            check(error, size: bytes.count)
        }
        // The same bytes as an LE Extended Advertising Report (a 5.x controller's extended scan).
        do {
            let reports = try HCILEExtendedAdvertisingReport.decode(leMetaEvent: bytes[...])
            let again = try HCILEExtendedAdvertisingReport.decode(leMetaEvent: HCILEExtendedAdvertisingReport.encode(reports)[...])
            precondition(again.map(\.data) == reports.map(\.data) && again.map(\.eventType) == reports.map(\.eventType),
                         "extended report round trip differs")
            for report in reports {
                if let ad = try? BLEAdvertisingData(decoding: report.data[...]) { _ = (ad.localName, ad.serviceUUIDs) }
            }
        } catch {
            check(error, size: bytes.count)
        }
    }
    return 0
}
