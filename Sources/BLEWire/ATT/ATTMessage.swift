// SPDX-License-Identifier: MIT

/// Any ATT PDU crampd understands, decoded by its opcode: the ATT parser's single entry point
/// (the bearer's trace log and the fuzz target use it).
public enum ATTMessage: Hashable, Sendable {
    case errorResponse(ATTErrorResponse)
    case exchangeMTURequest(ATTExchangeMTURequest)
    case exchangeMTUResponse(ATTExchangeMTUResponse)
    case findInformationRequest(ATTFindInformationRequest)
    case findInformationResponse(ATTFindInformationResponse)
    case findByTypeValueRequest(ATTFindByTypeValueRequest)
    case findByTypeValueResponse(ATTFindByTypeValueResponse)
    case readByTypeRequest(ATTReadByTypeRequest)
    case readByTypeResponse(ATTReadByTypeResponse)
    case readRequest(ATTReadRequest)
    case readResponse(ATTReadResponse)
    case readBlobRequest(ATTReadBlobRequest)
    case readBlobResponse(ATTReadBlobResponse)
    case readByGroupTypeRequest(ATTReadByGroupTypeRequest)
    case readByGroupTypeResponse(ATTReadByGroupTypeResponse)
    case writeRequest(ATTWriteRequest)
    case writeResponse(ATTWriteResponse)
    case writeCommand(ATTWriteCommand)
    case handleValueNotification(ATTHandleValueNotification)
    case handleValueIndication(ATTHandleValueIndication)
    case handleValueConfirmation(ATTHandleValueConfirmation)
    /// A PDU whose opcode crampd has no decoder for: the opcode octet and the parameters.
    case unsupported(opcode: UInt8, parameters: [UInt8])

    /// Decodes any PDU.
    ///
    /// - Throws: ``ATTDecodeError``: `truncated` for an empty input, else the error of the
    ///   PDU type the opcode names.
    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        guard let first = pdu.first else {
            throw ATTDecodeError(type: "ATTMessage", reason: .truncated, offset: 0, expectedLength: 1, actualLength: 0)
        }
        switch ATTOpcode(rawValue: first) {
        case .errorResponse: self = .errorResponse(try .init(decoding: pdu))
        case .exchangeMTURequest: self = .exchangeMTURequest(try .init(decoding: pdu))
        case .exchangeMTUResponse: self = .exchangeMTUResponse(try .init(decoding: pdu))
        case .findInformationRequest: self = .findInformationRequest(try .init(decoding: pdu))
        case .findInformationResponse: self = .findInformationResponse(try .init(decoding: pdu))
        case .findByTypeValueRequest: self = .findByTypeValueRequest(try .init(decoding: pdu))
        case .findByTypeValueResponse: self = .findByTypeValueResponse(try .init(decoding: pdu))
        case .readByTypeRequest: self = .readByTypeRequest(try .init(decoding: pdu))
        case .readByTypeResponse: self = .readByTypeResponse(try .init(decoding: pdu))
        case .readRequest: self = .readRequest(try .init(decoding: pdu))
        case .readResponse: self = .readResponse(try .init(decoding: pdu))
        case .readBlobRequest: self = .readBlobRequest(try .init(decoding: pdu))
        case .readBlobResponse: self = .readBlobResponse(try .init(decoding: pdu))
        case .readByGroupTypeRequest: self = .readByGroupTypeRequest(try .init(decoding: pdu))
        case .readByGroupTypeResponse: self = .readByGroupTypeResponse(try .init(decoding: pdu))
        case .writeRequest: self = .writeRequest(try .init(decoding: pdu))
        case .writeResponse: self = .writeResponse(try .init(decoding: pdu))
        case .writeCommand: self = .writeCommand(try .init(decoding: pdu))
        case .handleValueNotification: self = .handleValueNotification(try .init(decoding: pdu))
        case .handleValueIndication: self = .handleValueIndication(try .init(decoding: pdu))
        case .handleValueConfirmation: self = .handleValueConfirmation(try .init(decoding: pdu))
        default: self = .unsupported(opcode: first, parameters: Array(pdu.dropFirst()))
        }
    }

    /// The PDU, encoded again.
    public func encode(into buffer: inout [UInt8]) {
        switch self {
        case let .errorResponse(p): p.encode(into: &buffer)
        case let .exchangeMTURequest(p): p.encode(into: &buffer)
        case let .exchangeMTUResponse(p): p.encode(into: &buffer)
        case let .findInformationRequest(p): p.encode(into: &buffer)
        case let .findInformationResponse(p): p.encode(into: &buffer)
        case let .findByTypeValueRequest(p): p.encode(into: &buffer)
        case let .findByTypeValueResponse(p): p.encode(into: &buffer)
        case let .readByTypeRequest(p): p.encode(into: &buffer)
        case let .readByTypeResponse(p): p.encode(into: &buffer)
        case let .readRequest(p): p.encode(into: &buffer)
        case let .readResponse(p): p.encode(into: &buffer)
        case let .readBlobRequest(p): p.encode(into: &buffer)
        case let .readBlobResponse(p): p.encode(into: &buffer)
        case let .readByGroupTypeRequest(p): p.encode(into: &buffer)
        case let .readByGroupTypeResponse(p): p.encode(into: &buffer)
        case let .writeRequest(p): p.encode(into: &buffer)
        case let .writeResponse(p): p.encode(into: &buffer)
        case let .writeCommand(p): p.encode(into: &buffer)
        case let .handleValueNotification(p): p.encode(into: &buffer)
        case let .handleValueIndication(p): p.encode(into: &buffer)
        case let .handleValueConfirmation(p): p.encode(into: &buffer)
        case let .unsupported(opcode, parameters):
            buffer.append(opcode)
            buffer.append(contentsOf: parameters)
        }
    }
}
