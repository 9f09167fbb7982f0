// SPDX-License-Identifier: MIT
import BLEWire
import Testing

@Suite struct ATTOpcodeTests {
    @Test func everyRequestExpectsAResponseAndNothingElseDoes() {
        for opcode in ATTOpcode.allCases {
            if opcode.kind == .request {
                let response = try! #require(opcode.expectedResponse, "\(opcode)")
                #expect(response.kind == .response)
                #expect(response.request == opcode)
                // Core 5.4, Vol 3, Part F: a response's opcode is its request's plus one.
                #expect(response.rawValue == opcode.rawValue + 1)
            } else {
                #expect(opcode.expectedResponse == nil, "\(opcode)")
            }
        }
        #expect(ATTOpcode.errorResponse.request == nil)
    }

    @Test func kindsFollowBlueZsTable() {
        #expect(ATTOpcode.errorResponse.kind == .response)
        #expect(ATTOpcode.exchangeMTURequest.kind == .request)
        #expect(ATTOpcode.writeCommand.kind == .command)
        #expect(ATTOpcode.signedWriteCommand.kind == .command)
        #expect(ATTOpcode.handleValueNotification.kind == .notification)
        #expect(ATTOpcode.handleValueIndication.kind == .indication)
        #expect(ATTOpcode.handleValueConfirmation.kind == .confirmation)
        // Commands are exactly the opcodes with the command flag.
        for opcode in ATTOpcode.allCases {
            #expect((opcode.kind == .command) == (opcode.rawValue & ATTOpcode.commandFlag != 0), "\(opcode)")
        }
    }

    @Test func unknownOctetsAreCommandsByTheirFlagElseUnknown() {
        #expect(ATTOpcode.kind(ofRaw: 0x3F) == nil)
        #expect(ATTOpcode.kind(ofRaw: 0x7F) == .command)
        #expect(ATTOpcode.kind(ofRaw: 0xC0) == .command)
        #expect(ATTOpcode.kind(ofRaw: 0x00) == nil)
        #expect(ATTOpcode.kind(ofRaw: 0x0A) == .request)
    }

    @Test func descriptionNamesTheSpecPDU() {
        #expect("\(ATTOpcode.readByGroupTypeRequest)" == "ATT_READ_BY_GROUP_TYPE_REQ (0x10)")
        #expect("\(ATTOpcode.handleValueConfirmation)" == "ATT_HANDLE_VALUE_CFM (0x1e)")
    }
}

@Suite struct BluetoothUUIDTests {
    @Test func sixteenBitUUIDsLieOnTheBaseUUID() throws {
        let hr = BluetoothUUID(0x180D)
        #expect(hr.uuid16 == 0x180D)
        #expect(hr.uuidString == "0000180d-0000-1000-8000-00805f9b34fb")
        #expect("\(hr)" == "180D")
        #expect(BluetoothUUID(string: "0000180D-0000-1000-8000-00805F9B34FB") == hr)
        #expect(BluetoothUUID(string: "0x180d") == hr)
        // The 128-bit form on the wire equals the 16-bit one.
        var long: [UInt8] = []
        hr.encode128(into: &long)
        #expect(try BluetoothUUID(littleEndian: long[...]) == hr)
        var short: [UInt8] = []
        hr.encode(into: &short)
        #expect(short == [0x0D, 0x18])
    }

    @Test func emgProfileUUIDsAreFixed() {
        #expect(EMGProfile.service.uuidString == "18e10001-f7dc-4656-bfb8-258573ce79f1")
        #expect(EMGProfile.sampleRate.uuidString == "18e10002-f7dc-4656-bfb8-258573ce79f1")
        #expect(EMGProfile.channelMap.uuidString == "18e10003-f7dc-4656-bfb8-258573ce79f1")
        #expect(EMGProfile.scale.uuidString == "18e10004-f7dc-4656-bfb8-258573ce79f1")
        #expect(EMGProfile.data.uuidString == "18e10005-f7dc-4656-bfb8-258573ce79f1")
        var bytes: [UInt8] = []
        EMGProfile.service.encode(into: &bytes)
        #expect(bytes == [0xF1, 0x79, 0xCE, 0x73, 0x85, 0x25, 0xB8, 0xBF, 0x56, 0x46, 0xDC, 0xF7, 0x01, 0x00, 0xE1, 0x18])
        #expect(MyoProfile.emgDataCharacteristics[0].uuidString == "d5060105-a904-deb9-4748-2c7f4a124842")
    }

    @Test func badLengthsAndStringsAreRejected() {
        #expect(throws: ATTDecodeError(type: "BluetoothUUID", reason: .invalidLength, offset: 0, expectedLength: 16,
                                       actualLength: 3)) { try BluetoothUUID(littleEndian: [1, 2, 3][...]) }
        #expect(BluetoothUUID(string: "180") == nil)
        #expect(BluetoothUUID(string: "18e10001-f7dc-4656-bfb8-258573ce79f") == nil)
        #expect(BluetoothUUID(string: "zz0d") == nil)
    }
}
