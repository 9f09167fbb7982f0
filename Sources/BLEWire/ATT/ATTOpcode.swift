// SPDX-License-Identifier: MIT

/// What an ATT PDU is for, as far as the bearer's sequencing rules are concerned.
///
/// Core Specification 5.4, Vol 3, Part F, 3.3: "Attribute PDUs are one of six method types:
/// requests, responses, commands, notifications, indications and confirmations."
public enum ATTOpcodeKind: Sendable, Hashable {
    /// Sent by a client; elicits exactly one response (or an Error Response).
    case request
    /// Sent by a server in answer to a request.
    case response
    /// Sent by a client; no response.
    case command
    /// Sent by a server, unsolicited; no confirmation.
    case notification
    /// Sent by a server, unsolicited; elicits a confirmation.
    case indication
    /// Sent by a client in answer to an indication.
    case confirmation
}

/// An ATT opcode (Core Specification 5.4, Vol 3, Part F, 3.4.8, Table 3.37).
///
/// The opcode's semantics live in two tables, as in BlueZ's `src/shared/att.c`
/// (`att_opcode_type_table`, `att_req_rsp_mapping_table`): ``kind`` and ``expectedResponse``.
/// An octet that is not one of these cases is classified by ``kind(ofRaw:)``.
public enum ATTOpcode: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case errorResponse = 0x01
    case exchangeMTURequest = 0x02
    case exchangeMTUResponse = 0x03
    case findInformationRequest = 0x04
    case findInformationResponse = 0x05
    case findByTypeValueRequest = 0x06
    case findByTypeValueResponse = 0x07
    case readByTypeRequest = 0x08
    case readByTypeResponse = 0x09
    case readRequest = 0x0A
    case readResponse = 0x0B
    case readBlobRequest = 0x0C
    case readBlobResponse = 0x0D
    case readMultipleRequest = 0x0E
    case readMultipleResponse = 0x0F
    case readByGroupTypeRequest = 0x10
    case readByGroupTypeResponse = 0x11
    case writeRequest = 0x12
    case writeResponse = 0x13
    case prepareWriteRequest = 0x16
    case prepareWriteResponse = 0x17
    case executeWriteRequest = 0x18
    case executeWriteResponse = 0x19
    case readMultipleVariableRequest = 0x20
    case readMultipleVariableResponse = 0x21
    case multipleHandleValueNotification = 0x23
    case handleValueNotification = 0x1B
    case handleValueIndication = 0x1D
    case handleValueConfirmation = 0x1E
    case writeCommand = 0x52
    case signedWriteCommand = 0xD2

    /// "Command Flag: Set to one if the PDU is a command, otherwise zero" (Vol 3, Part F, 3.3.1:
    /// bit 6 of the opcode).
    public static let commandFlag: UInt8 = 0x40
    /// "Authentication Signature Flag" (bit 7 of the opcode).
    public static let authenticationSignatureFlag: UInt8 = 0x80

    /// The method type of this opcode (BlueZ `att_opcode_type_table`).
    public var kind: ATTOpcodeKind {
        switch self {
        case .errorResponse, .exchangeMTUResponse, .findInformationResponse, .findByTypeValueResponse,
             .readByTypeResponse, .readResponse, .readBlobResponse, .readMultipleResponse,
             .readByGroupTypeResponse, .writeResponse, .prepareWriteResponse, .executeWriteResponse,
             .readMultipleVariableResponse:
            .response
        case .exchangeMTURequest, .findInformationRequest, .findByTypeValueRequest, .readByTypeRequest,
             .readRequest, .readBlobRequest, .readMultipleRequest, .readByGroupTypeRequest, .writeRequest,
             .prepareWriteRequest, .executeWriteRequest, .readMultipleVariableRequest:
            .request
        case .writeCommand, .signedWriteCommand: .command
        case .handleValueNotification, .multipleHandleValueNotification: .notification
        case .handleValueIndication: .indication
        case .handleValueConfirmation: .confirmation
        }
    }

    /// The response a request elicits besides an Error Response (BlueZ
    /// `att_req_rsp_mapping_table`); `nil` for every opcode that is not a request.
    public var expectedResponse: ATTOpcode? {
        switch self {
        case .exchangeMTURequest: .exchangeMTUResponse
        case .findInformationRequest: .findInformationResponse
        case .findByTypeValueRequest: .findByTypeValueResponse
        case .readByTypeRequest: .readByTypeResponse
        case .readRequest: .readResponse
        case .readBlobRequest: .readBlobResponse
        case .readMultipleRequest: .readMultipleResponse
        case .readByGroupTypeRequest: .readByGroupTypeResponse
        case .writeRequest: .writeResponse
        case .prepareWriteRequest: .prepareWriteResponse
        case .executeWriteRequest: .executeWriteResponse
        case .readMultipleVariableRequest: .readMultipleVariableResponse
        default: nil
        }
    }

    /// The request this response answers; `nil` for the Error Response (it names its request
    /// in its body) and for every opcode that is not a response.
    public var request: ATTOpcode? {
        ATTOpcode.allCases.first { $0.expectedResponse == self }
    }

    /// The kind of any opcode octet, known or not.
    ///
    /// Vol 3, Part F, 3.4.8: "If a server receives a command that it does not support, indicated
    /// by the Command Flag of the PDU set to one, then the server shall ignore the Command." An
    /// unknown octet without the command flag is `nil`: like BlueZ's `ATT_OP_TYPE_UNKNOWN`, the
    /// receiver treats it as a request it does not support ("Request Not Supported").
    public static func kind(ofRaw raw: UInt8) -> ATTOpcodeKind? {
        if let opcode = ATTOpcode(rawValue: raw) { return opcode.kind }
        return raw & commandFlag != 0 ? .command : nil
    }

    public var description: String {
        let hex = String(rawValue, radix: 16)
        return "\(name) (0x\(hex.count < 2 ? "0" + hex : hex))"
    }

    /// The specification's name of the PDU, in the `ATT_…` form of Core 5.4.
    public var name: String {
        switch self {
        case .errorResponse: "ATT_ERROR_RSP"
        case .exchangeMTURequest: "ATT_EXCHANGE_MTU_REQ"
        case .exchangeMTUResponse: "ATT_EXCHANGE_MTU_RSP"
        case .findInformationRequest: "ATT_FIND_INFORMATION_REQ"
        case .findInformationResponse: "ATT_FIND_INFORMATION_RSP"
        case .findByTypeValueRequest: "ATT_FIND_BY_TYPE_VALUE_REQ"
        case .findByTypeValueResponse: "ATT_FIND_BY_TYPE_VALUE_RSP"
        case .readByTypeRequest: "ATT_READ_BY_TYPE_REQ"
        case .readByTypeResponse: "ATT_READ_BY_TYPE_RSP"
        case .readRequest: "ATT_READ_REQ"
        case .readResponse: "ATT_READ_RSP"
        case .readBlobRequest: "ATT_READ_BLOB_REQ"
        case .readBlobResponse: "ATT_READ_BLOB_RSP"
        case .readMultipleRequest: "ATT_READ_MULTIPLE_REQ"
        case .readMultipleResponse: "ATT_READ_MULTIPLE_RSP"
        case .readByGroupTypeRequest: "ATT_READ_BY_GROUP_TYPE_REQ"
        case .readByGroupTypeResponse: "ATT_READ_BY_GROUP_TYPE_RSP"
        case .writeRequest: "ATT_WRITE_REQ"
        case .writeResponse: "ATT_WRITE_RSP"
        case .prepareWriteRequest: "ATT_PREPARE_WRITE_REQ"
        case .prepareWriteResponse: "ATT_PREPARE_WRITE_RSP"
        case .executeWriteRequest: "ATT_EXECUTE_WRITE_REQ"
        case .executeWriteResponse: "ATT_EXECUTE_WRITE_RSP"
        case .readMultipleVariableRequest: "ATT_READ_MULTIPLE_VARIABLE_REQ"
        case .readMultipleVariableResponse: "ATT_READ_MULTIPLE_VARIABLE_RSP"
        case .multipleHandleValueNotification: "ATT_MULTIPLE_HANDLE_VALUE_NTF"
        case .handleValueNotification: "ATT_HANDLE_VALUE_NTF"
        case .handleValueIndication: "ATT_HANDLE_VALUE_IND"
        case .handleValueConfirmation: "ATT_HANDLE_VALUE_CFM"
        case .writeCommand: "ATT_WRITE_CMD"
        case .signedWriteCommand: "ATT_SIGNED_WRITE_CMD"
        }
    }
}
