// SPDX-License-Identifier: MIT
import CrampFiles
import SystemPackage
import Testing

/// All data messages of `bytes`.
private func messages(_ bytes: [UInt8], verifying: Bool = true) throws -> [FITMessage] {
    var d = try FITDecoder(bytes: bytes, path: "test.fit", verifyingChecksums: verifying)
    var out: [FITMessage] = []
    while let m = try d.next() { out.append(m) }
    return out
}

/// The error that opening and decoding every message of `bytes` throws, or `nil`.
private func fitError(_ bytes: [UInt8], verifying: Bool = true) -> FITError? {
    do throws(FITError) {
        var d = try FITDecoder(bytes: bytes, path: "bad.fit", verifyingChecksums: verifying)
        while try d.next() != nil {}
        return nil
    } catch {
        return error
    }
}

@Suite struct FITDecoderTests {
    @Test func crcIsTheFITSDKCRC16() {
        // CRC-16/ARC check value, and the nibble-table algorithm of the FIT SDK on a few bytes.
        #expect(FITCRC.checksum(Array("123456789".utf8)) == 0xBB3D)
        func sdk(_ bytes: [UInt8]) -> UInt16 {
            let t: [UInt16] = [0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
                               0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400]
            var crc: UInt16 = 0
            for b in bytes {
                var tmp = t[Int(crc & 0xF)]
                crc = (crc >> 4) & 0x0FFF
                crc = crc ^ tmp ^ t[Int(b & 0xF)]
                tmp = t[Int(crc & 0xF)]
                crc = (crc >> 4) & 0x0FFF
                crc = crc ^ tmp ^ t[Int((b >> 4) & 0xF)]
            }
            return crc
        }
        let sample = smallRunFIT()
        #expect(FITCRC.checksum(sample) == sdk(sample))
        #expect(FITCRC.checksum(sample) == 0)  // a file with its CRC appended checks to 0
        // Every length and alignment of the eight-byte loop, and in pieces.
        var state: UInt32 = 12345
        let noise = (0..<300).map { _ -> UInt8 in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
        for n in 0..<40 { #expect(FITCRC.checksum(Array(noise[3..<(3 + n)])) == sdk(Array(noise[3..<(3 + n)]))) }
        var pieces = FITCRC()
        noise.withUnsafeBytes { raw in
            pieces.process(UnsafeRawBufferPointer(rebasing: raw[0..<13]))
            pieces.process(UnsafeRawBufferPointer(rebasing: raw[13...]))
        }
        #expect(pieces.value == sdk(noise))
    }

    @Test func decodesHeaderDefinitionsAndValues() throws {
        let bytes = smallRunFIT(seconds: 3)
        var d = try FITDecoder(bytes: bytes, path: "run.fit")
        #expect(d.headers.count == 1)
        #expect(d.headers[0].headerSize == 14)
        #expect(d.headers[0].protocolVersion == 0x20)
        #expect(d.headers[0].profileVersion == 2132)
        #expect(d.headers[0].dataSize == bytes.count - 16)
        var all: [FITMessage] = []
        while let m = try d.next() { all.append(m) }
        #expect(d.definitionCount == 6)
        #expect(d.messageCount == all.count)
        let fileID = try #require(all.first)
        #expect(fileID.globalNumber == FITProfile.Message.fileID)
        #expect(fileID.integer(FITProfile.FileID.type) == 4)
        #expect(fileID.integer(FITProfile.FileID.manufacturer) == 1)
        #expect(fileID.timestamp == nil)
        let records = all.filter { $0.globalNumber == FITProfile.Message.record }
        #expect(records.count == 3)
        #expect(records.map(\.timestamp) == [fitTestStart, fitTestStart + 1, fitTestStart + 2])
        #expect(records[1].value(FITProfile.Record.heartRate) == 121)
        #expect(records[1].value(FITProfile.Record.cadence) == 85)
        #expect(records[1].value(FITProfile.Record.fractionalCadence, scale: 128) == 0.5)
        #expect(records[1].value(FITProfile.Record.speed, scale: 1000) == 3.01)
        #expect(records[1].value(FITProfile.Record.enhancedSpeed, scale: 1000) == 3.01)
        #expect(records[1].value(FITProfile.Record.distance, scale: 100) == 3)
        #expect(records[1].value(7) == nil)  // power: not in the definition
        #expect(!records[1].contains(7) && records[1].contains(3))
    }

    @Test func bigEndianDefinitionsDecodeTheSameValues() throws {
        let little = try messages(smallRunFIT(seconds: 5)).filter { $0.globalNumber == 20 }
        let bigFile = smallRunFIT(seconds: 5, bigEndianRecords: true)
        let big = try messages(bigFile).filter { $0.globalNumber == 20 }
        #expect(big.first?.definition.isBigEndian == true)
        #expect(little.first?.definition.isBigEndian == false)
        #expect(big.count == 5)
        for (a, b) in zip(little, big) {
            #expect(a.timestamp == b.timestamp)
            for f: UInt8 in [3, 4, 53, 6, 73, 5] { #expect(a.value(f) == b.value(f)) }
        }
        // The global message number is big endian too: 20 = 0x0014, not 0x1400.
        var e = FITTestEncoder()
        e.define(local: 0, global: 0x0102, bigEndian: true, [.uint16(1), .sint16(2), .float32(3)])
        e.data(local: 0, [0x1234, UInt64(UInt16(bitPattern: -300)), UInt64(Float(2.5).bitPattern)])
        let m = try #require(try messages(e.file()).first)
        #expect(m.globalNumber == 0x0102)
        #expect(m.value(1) == 0x1234)
        #expect(m.value(2) == -300)
        #expect(m.value(3) == 2.5)
    }

    @Test func compressedTimestampsRollOverAgainstTheLastFullTimestamp() throws {
        var e = FITTestEncoder()
        e.define(local: 0, global: 20, [.timestamp(), .uint8(3)])
        e.define(local: 1, global: 20, [.uint8(3)])
        let t0: UInt32 = 1000  // low 5 bits: 8
        e.data(local: 0, [UInt64(t0), 100])
        e.compressed(local: 1, timeOffset: 10, [101])  // 992 + 10 = 1002
        e.compressed(local: 1, timeOffset: 31, [102])  // 992 + 31 = 1023
        e.compressed(local: 1, timeOffset: 3, [103])   // 3 < 31: rollover, 1024 + 3 = 1027
        e.compressed(local: 1, timeOffset: 3, [104])   // same offset: same time, no rollover
        e.data(local: 0, [2000, 105])                  // a new full timestamp (low bits 16)
        e.compressed(local: 1, timeOffset: 15, [106])  // 15 < 16: 1984 + 32 + 15 = 2031
        let all = try messages(e.file())
        #expect(all.map(\.timestamp) == [1000, 1002, 1023, 1027, 1027, 2000, 2031])
        #expect(all.map(\.hasCompressedTimestamp) == [false, true, true, true, true, false, true])
        #expect(all.map { $0.value(3) } == [100, 101, 102, 103, 104, 105, 106])
    }

    @Test func invalidValuesAreNoValue() throws {
        var e = FITTestEncoder()
        e.define(local: 0, global: 20, [.uint8(3), .uint16(6), .sint16(2), .uint32(5), .uint32z(4), .float32(7),
                                        .enumeration(8), FITTestEncoder.Field(number: 9, size: 4, baseType: 0x84)])
        e.data(local: 0, [0xFF, 0xFFFF, 0x7FFF, 0xFFFF_FFFF, 0, UInt64(Float.nan.bitPattern), 0xFF, 0x0001_0002])
        e.data(local: 0, [0xFE, 0xFFFE, 0x8000, 0xFFFF_FFFE, 7, UInt64(Float(1.5).bitPattern), 3, 0])
        let all = try messages(e.file())
        for f: UInt8 in [3, 6, 2, 5, 4, 7, 8] { #expect(all[0].value(f) == nil, "field \(f)") }
        #expect(all[1].value(3) == 254)
        #expect(all[1].value(6) == 65534)
        #expect(all[1].value(2) == -32768)
        #expect(all[1].value(5) == 4_294_967_294)
        #expect(all[1].value(4) == 7)
        #expect(all[1].value(7) == 1.5)
        #expect(all[1].integer(8) == 3)
        // An array (two uint16 in 4 bytes) is not a single number.
        #expect(all[0].value(9) == nil && all[1].value(9) == nil)
    }

    @Test func developerFieldsAreSkipped() throws {
        var e = FITTestEncoder()
        e.define(local: 0, global: 20, [.timestamp(), .uint8(3)], developer: [(0, 4, 0), (1, 7, 0)])
        e.data(local: 0, [UInt64(fitTestStart), 150])
        e.data(local: 0, [UInt64(fitTestStart + 1), 151], developerFill: 0x40)  // would look like definitions
        e.define(local: 1, global: 20, [.timestamp(), .uint8(3)])
        e.data(local: 1, [UInt64(fitTestStart + 2), 152])
        let all = try messages(e.file())
        #expect(all.map { $0.value(3) } == [150, 151, 152])
        #expect(all[0].definition.developerFieldCount == 2)
        #expect(all[0].definition.contentSize == 4 + 1 + 11)
    }

    @Test func twelveByteHeaderAndZeroHeaderCRCAreAccepted() throws {
        var e = FITTestEncoder()
        e.headerSize = 12
        e.define(local: 0, global: 20, [.uint8(3)])
        e.data(local: 0, [99])
        #expect(try messages(e.file()).first?.value(3) == 99)
        var f = FITTestEncoder()
        f.define(local: 0, global: 20, [.uint8(3)])
        f.data(local: 0, [98])
        var bytes = f.file()
        bytes[12] = 0
        bytes[13] = 0
        bytes.refreshFITCRC()
        #expect(try messages(bytes).first?.value(3) == 98)
    }

    @Test func chainedFilesAreDecodedInOrder() throws {
        let one = smallRunFIT(seconds: 2), two = smallRunFIT(seconds: 3)
        var d = try FITDecoder(bytes: one + two, path: "chain.fit")
        #expect(d.headers.map(\.byteOffset) == [0, one.count])
        var records = 0
        while let m = try d.next() { if m.globalNumber == 20 { records += 1 } }
        #expect(records == 5)
    }

    // MARK: - Corrupt files

    @Test func aFlippedByteIsACRCErrorAtTheCRC() throws {
        var bytes = smallRunFIT()
        bytes[40] ^= 0x10
        let e = try #require(fitError(bytes))
        #expect(e.kind == .fileCRCMismatch)
        #expect(e.byteOffset == bytes.count - 2)
        #expect(e.description.hasPrefix("crampd: bad.fit: byte \(bytes.count - 2): file CRC does not match the data"))
        #expect(e.description.contains("expected 0x"))
        // Flipping the CRC itself is the same error.
        var crc = smallRunFIT()
        crc[crc.count - 1] ^= 1
        #expect(fitError(crc)?.kind == .fileCRCMismatch)
    }

    @Test func aCorruptHeaderIsRejected() throws {
        var bytes = smallRunFIT()
        bytes[4] ^= 0x01  // data size: header CRC catches it
        var e = try #require(fitError(bytes))
        #expect(e.kind == .headerCRCMismatch)
        #expect(e.byteOffset == 12)

        bytes = smallRunFIT()
        bytes[9] = UInt8(ascii: "X")
        e = try #require(fitError(bytes))
        #expect(e.kind == .badHeader)
        #expect(e.byteOffset == 8)
        #expect(e.found == "\".XIT\"")

        bytes = smallRunFIT()
        bytes[0] = 10
        #expect(fitError(bytes)?.kind == .badHeader)

        bytes = smallRunFIT()
        bytes[1] = 0x30  // protocol 3.0
        bytes.replaceSubrange(12..<14, with: [0, 0])
        e = try #require(fitError(bytes, verifying: false))
        #expect(e.kind == .unsupportedProtocolVersion)
        #expect(e.byteOffset == 1)

        #expect(fitError([])?.kind == .emptyFile)
        #expect(fitError(Array("0       X X X X".utf8))?.kind == .badHeader)  // an EDF file
        #expect(fitError(Array(smallRunFIT().prefix(9)))?.kind == .badHeader)
    }

    @Test func aTruncatedFileIsRejected() throws {
        let full = smallRunFIT()
        for cut in [full.count - 1, full.count - 2, full.count / 2, 14] {
            let e = try #require(fitError(Array(full.prefix(cut))))
            #expect(e.kind == .truncatedFile)
            #expect(e.byteOffset == cut)
            #expect(e.expected.contains("\(full.count) bytes"))
        }
    }

    @Test func trailingBytesThatAreNotAFITFileAreRejected() throws {
        let e = try #require(fitError(smallRunFIT() + [0, 0, 0, 0]))
        #expect(e.kind == .badHeader)
        #expect(e.byteOffset == smallRunFIT().count)
    }

    @Test func anUnknownBaseTypeIsRejectedAtItsByte() throws {
        var e = FITTestEncoder()
        e.define(local: 0, global: 20, [.timestamp(), FITTestEncoder.Field(number: 3, size: 1, baseType: 0x1F)])
        let error = try #require(fitError(e.file()))
        #expect(error.kind == .unknownBaseType)
        #expect(error.byteOffset == 14 + 6 + 3 + 2)  // header, definition header, first field, base type byte
        #expect(error.found == "0x1F")
    }

    @Test func dataOfAnUndefinedLocalTypeIsRejected() throws {
        var e = FITTestEncoder()
        e.define(local: 0, global: 20, [.uint8(3)])
        e.data(local: 0, [1])
        let at = e.nextOffset
        e.raw([0x03, 0x01])  // data message, local type 3: never defined
        let error = try #require(fitError(e.file()))
        #expect(error.kind == .undefinedLocalMessageType)
        #expect(error.byteOffset == at)
        #expect(error.description.contains("local message type 3"))

        var c = FITTestEncoder()
        c.define(local: 0, global: 20, [.uint8(3)])
        c.raw([0x80 | (2 << 5) | 4, 0x01])  // compressed header, local type 2: never defined
        #expect(fitError(c.file())?.kind == .undefinedLocalMessageType)
    }

    @Test func aCompressedTimestampWithoutAFullOneIsRejected() throws {
        var e = FITTestEncoder()
        e.define(local: 0, global: 20, [.uint8(3)])
        let at = e.nextOffset
        e.compressed(local: 0, timeOffset: 4, [1])
        let error = try #require(fitError(e.file()))
        #expect(error.kind == .compressedTimestampWithoutReference)
        #expect(error.byteOffset == at)
    }

    @Test func messagesThatRunPastTheDataAreRejected() throws {
        var e = FITTestEncoder()
        e.define(local: 0, global: 20, [.uint32(5), .uint8(3)])
        let at = e.nextOffset
        e.raw([0x00, 1, 2])  // a data message needs 5 bytes after its header
        var error = try #require(fitError(e.file()))
        #expect(error.kind == .messageOverrun)
        #expect(error.byteOffset == at)

        var d = FITTestEncoder()
        d.raw([0x40, 0, 0, 20, 0, 3, 3, 1])  // definition announcing 3 fields, holding 2/3 of one
        error = try #require(fitError(d.file()))
        #expect(error.kind == .messageOverrun)
        #expect(error.byteOffset == 14 + 6)
    }

    @Test func anUnknownArchitectureIsRejected() throws {
        var e = FITTestEncoder()
        e.raw([0x40, 0, 2, 20, 0, 0])
        let error = try #require(fitError(e.file()))
        #expect(error.kind == .invalidArchitecture)
        #expect(error.byteOffset == 16)
    }

    @Test func checksumsCanBeSkippedToSalvageADamagedFile() throws {
        var bytes = smallRunFIT(seconds: 4)
        bytes[bytes.count - 1] ^= 0xFF
        #expect(fitError(bytes)?.kind == .fileCRCMismatch)
        #expect(try messages(bytes, verifying: false).filter { $0.globalNumber == 20 }.count == 4)
    }
}
