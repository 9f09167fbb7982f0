// SPDX-License-Identifier: MIT
import BLEWire
import Testing

/// Every PDU: the spec's byte layout, a round trip, and typed errors with offsets.
@Suite struct ATTPDUTests {
    static func roundTrip<P: ATTPDU & Equatable>(_ value: P, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(value.encoded == bytes, sourceLocation: sourceLocation)
        #expect(try P(decoding: bytes) == value, sourceLocation: sourceLocation)
        // Decoding works on a slice that does not start at index 0.
        let padded = [0xEE] + bytes
        #expect(try P(decoding: padded[1...]) == value, sourceLocation: sourceLocation)
        #expect(try ATTMessage(decoding: bytes[...]).encodedBytes == bytes, sourceLocation: sourceLocation)
    }

    @Test func fixedLayouts() throws {
        try Self.roundTrip(ATTErrorResponse(request: .readByTypeRequest, attributeHandle: 0x0B, errorCode: .attributeNotFound),
                           [0x01, 0x08, 0x0B, 0x00, 0x0A])
        try Self.roundTrip(ATTExchangeMTURequest(clientRxMTU: 247), [0x02, 0xF7, 0x00])
        try Self.roundTrip(ATTExchangeMTUResponse(serverRxMTU: 517), [0x03, 0x05, 0x02])
        try Self.roundTrip(ATTFindInformationRequest(startingHandle: 9, endingHandle: 0xFFFF), [0x04, 0x09, 0x00, 0xFF, 0xFF])
        try Self.roundTrip(ATTFindByTypeValueRequest(startingHandle: 1, endingHandle: 0xFFFF, attributeType: 0x2800,
                                                     attributeValue: [0x0D, 0x18]),
                           [0x06, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x28, 0x0D, 0x18])
        try Self.roundTrip(ATTFindByTypeValueResponse(handlesInformationList: [.init(foundAttributeHandle: 6, groupEndHandle: 11)]),
                           [0x07, 0x06, 0x00, 0x0B, 0x00])
        try Self.roundTrip(ATTReadByTypeRequest(startingHandle: 6, endingHandle: 11, attributeType: .characteristic),
                           [0x08, 0x06, 0x00, 0x0B, 0x00, 0x03, 0x28])
        try Self.roundTrip(ATTReadRequest(attributeHandle: 0x18), [0x0A, 0x18, 0x00])
        try Self.roundTrip(ATTReadResponse(attributeValue: [0xD0, 0x07, 0, 0]), [0x0B, 0xD0, 0x07, 0, 0])
        try Self.roundTrip(ATTReadResponse(attributeValue: []), [0x0B])
        try Self.roundTrip(ATTReadBlobRequest(attributeHandle: 3, valueOffset: 22), [0x0C, 0x03, 0x00, 0x16, 0x00])
        try Self.roundTrip(ATTReadBlobResponse(partAttributeValue: [1]), [0x0D, 0x01])
        try Self.roundTrip(ATTReadByGroupTypeRequest(startingHandle: 1, endingHandle: 0xFFFF, attributeGroupType: .primaryService),
                           [0x10, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0x28])
        try Self.roundTrip(ATTWriteRequest(attributeHandle: 9, attributeValue: [1, 0]), [0x12, 0x09, 0x00, 0x01, 0x00])
        try Self.roundTrip(ATTWriteResponse(), [0x13])
        try Self.roundTrip(ATTWriteCommand(attributeHandle: 9, attributeValue: [1]), [0x52, 0x09, 0x00, 0x01])
        try Self.roundTrip(ATTHandleValueNotification(attributeHandle: 8, attributeValue: [0x00, 0x48]), [0x1B, 0x08, 0x00, 0x00, 0x48])
        try Self.roundTrip(ATTHandleValueNotification(attributeHandle: 8, attributeValue: []), [0x1B, 0x08, 0x00])
        try Self.roundTrip(ATTHandleValueIndication(attributeHandle: 0x14, attributeValue: [0x55]), [0x1D, 0x14, 0x00, 0x55])
        try Self.roundTrip(ATTHandleValueConfirmation(), [0x1E])
    }

    @Test func listLayouts() throws {
        try Self.roundTrip(ATTReadByGroupTypeResponse(attributeDataList: [
            .init(attributeHandle: 1, endGroupHandle: 5, value: [0x00, 0x18]),
            .init(attributeHandle: 6, endGroupHandle: 11, value: [0x0D, 0x18]),
        ]), [0x11, 0x06, 0x01, 0x00, 0x05, 0x00, 0x00, 0x18, 0x06, 0x00, 0x0B, 0x00, 0x0D, 0x18])
        try Self.roundTrip(ATTReadByTypeResponse(attributeDataList: [
            .init(handle: 7, value: [0x10, 0x08, 0x00, 0x37, 0x2A]),
        ]), [0x09, 0x07, 0x07, 0x00, 0x10, 0x08, 0x00, 0x37, 0x2A])
        try Self.roundTrip(ATTFindInformationResponse(format: .uuid16, elements: [
            .init(handle: 9, type: .clientCharacteristicConfiguration),
            .init(handle: 10, type: .characteristicUserDescription),
        ]), [0x05, 0x01, 0x09, 0x00, 0x02, 0x29, 0x0A, 0x00, 0x01, 0x29])
        let long = ATTFindInformationResponse(format: .uuid128, elements: [.init(handle: 0x1F, type: EMGProfile.data)])
        #expect(long.encoded.count == 2 + 18)
        #expect(try ATTFindInformationResponse(decoding: long.encoded) == long)
    }

    @Test func wrongOpcodeNamesBoth() {
        #expect(throws: ATTDecodeError(type: "ATTReadRequest", reason: .unexpectedOpcode(expected: 0x0A, actual: 0x0B),
                                       offset: 0, expectedLength: 1, actualLength: 3)) {
            try ATTReadRequest(decoding: [0x0B, 0x01, 0x00])
        }
        #expect(throws: ATTDecodeError(type: "ATTWriteResponse", reason: .truncated, offset: 0, expectedLength: 1,
                                       actualLength: 0)) { try ATTWriteResponse(decoding: []) }
    }

    @Test func truncatedAndTrailingFixedPDUs() {
        #expect(throws: ATTDecodeError(type: "ATTErrorResponse", reason: .truncated, offset: 4, expectedLength: 5,
                                       actualLength: 4)) { try ATTErrorResponse(decoding: [0x01, 0x08, 0x0B, 0x00]) }
        #expect(throws: ATTDecodeError(type: "ATTErrorResponse", reason: .trailingBytes, offset: 5, expectedLength: 5,
                                       actualLength: 6)) { try ATTErrorResponse(decoding: [0x01, 0x08, 0x0B, 0x00, 0x0A, 0x00]) }
        #expect(throws: ATTDecodeError(type: "ATTExchangeMTUResponse", reason: .truncated, offset: 1, expectedLength: 3,
                                       actualLength: 2)) { try ATTExchangeMTUResponse(decoding: [0x03, 0x17]) }
        #expect(throws: ATTDecodeError(type: "ATTHandleValueNotification", reason: .truncated, offset: 1,
                                       expectedLength: 3, actualLength: 2)) { try ATTHandleValueNotification(decoding: [0x1B, 0x08]) }
        #expect(throws: ATTDecodeError(type: "ATTHandleValueConfirmation", reason: .trailingBytes, offset: 1,
                                       expectedLength: 1, actualLength: 2)) { try ATTHandleValueConfirmation(decoding: [0x1E, 0x00]) }
    }

    @Test func malformedLists() {
        // Element length shorter than the handles it must hold.
        #expect(throws: ATTDecodeError(type: "ATTReadByGroupTypeResponse", reason: .invalidValue("element length 3 is shorter than its 4 handle octets"),
                                       offset: 1, expectedLength: 2, actualLength: 5)) {
            try ATTReadByGroupTypeResponse(decoding: [0x11, 0x03, 0x01, 0x00, 0x05])
        }
        // No element at all.
        #expect(throws: ATTDecodeError(type: "ATTReadByTypeResponse", reason: .truncated, offset: 2, expectedLength: 9,
                                       actualLength: 2)) { try ATTReadByTypeResponse(decoding: [0x09, 0x07]) }
        // Data not a whole number of elements.
        #expect(throws: ATTDecodeError(type: "ATTReadByTypeResponse", reason: .invalidLength, offset: 2, expectedLength: 4,
                                       actualLength: 8)) { try ATTReadByTypeResponse(decoding: [0x09, 0x04, 1, 0, 2, 0, 3, 0]) }
        // Unknown Find Information format.
        #expect(throws: ATTDecodeError(type: "ATTFindInformationResponse",
                                       reason: .invalidValue("format 0x03 is neither 0x01 nor 0x02"),
                                       offset: 1, expectedLength: 2, actualLength: 6)) {
            try ATTFindInformationResponse(decoding: [0x05, 0x03, 0x09, 0x00, 0x02, 0x29])
        }
        #expect(throws: ATTDecodeError(type: "ATTFindInformationResponse", reason: .invalidLength, offset: 2,
                                       expectedLength: 18, actualLength: 21)) {
            try ATTFindInformationResponse(decoding: [0x05, 0x02] + [UInt8](repeating: 0, count: 19))
        }
        // A Read By Type request's type must be 2 or 16 octets.
        #expect(throws: ATTDecodeError(type: "ATTReadByTypeRequest", reason: .invalidLength, offset: 5, expectedLength: 21,
                                       actualLength: 8)) { try ATTReadByTypeRequest(decoding: [0x08, 1, 0, 0xFF, 0xFF, 0x03, 0x28, 0x00]) }
        #expect(throws: ATTDecodeError(type: "ATTReadByGroupTypeRequest", reason: .truncated, offset: 5, expectedLength: 7,
                                       actualLength: 6)) { try ATTReadByGroupTypeRequest(decoding: [0x10, 1, 0, 0xFF, 0xFF, 0x00]) }
    }

    @Test func messageDecodesByOpcode() throws {
        #expect(try ATTMessage(decoding: [0x1B, 0x08, 0x00, 0x42][...])
            == .handleValueNotification(ATTHandleValueNotification(attributeHandle: 8, attributeValue: [0x42])))
        #expect(try ATTMessage(decoding: [0x20, 0x01][...]) == .unsupported(opcode: 0x20, parameters: [0x01]))
        #expect(throws: ATTDecodeError(type: "ATTMessage", reason: .truncated, offset: 0, expectedLength: 1, actualLength: 0)) {
            try ATTMessage(decoding: [][...])
        }
        let error = ATTDecodeError(type: "ATTReadByTypeResponse", reason: .invalidLength, offset: 2, expectedLength: 4, actualLength: 8)
        #expect("\(error)" == "ATTReadByTypeResponse: byte 2: invalid length 8 (element or total length 4)")
    }

    @Test func negotiatedMTU() {
        #expect(ATTExchangeMTUResponse(serverRxMTU: 185).negotiatedMTU(clientRxMTU: 247) == 185)
        #expect(ATTExchangeMTUResponse(serverRxMTU: 517).negotiatedMTU(clientRxMTU: 247) == 247)
        #expect(ATTExchangeMTUResponse(serverRxMTU: 5).negotiatedMTU(clientRxMTU: 247) == 23)
    }
}

extension ATTMessage {
    var encodedBytes: [UInt8] {
        var buffer: [UInt8] = []
        encode(into: &buffer)
        return buffer
    }
}
