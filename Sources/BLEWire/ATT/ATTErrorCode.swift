// SPDX-License-Identifier: MIT

/// The Error Code of an ATT Error Response (Core Specification 5.4, Vol 3, Part F, 3.4.1.1,
/// Table 3.4), an open set: application (0x80–0x9F) and common profile (0xE0–0xFF) codes pass
/// through with their value.
public struct ATTErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// "The attribute handle given was not valid on this server."
    public static let invalidHandle = ATTErrorCode(rawValue: 0x01)
    /// "The attribute cannot be read."
    public static let readNotPermitted = ATTErrorCode(rawValue: 0x02)
    /// "The attribute cannot be written."
    public static let writeNotPermitted = ATTErrorCode(rawValue: 0x03)
    /// "The attribute PDU was invalid."
    public static let invalidPDU = ATTErrorCode(rawValue: 0x04)
    /// "The attribute requires authentication before it can be read or written."
    public static let insufficientAuthentication = ATTErrorCode(rawValue: 0x05)
    /// "ATT Server does not support the request received from the client."
    public static let requestNotSupported = ATTErrorCode(rawValue: 0x06)
    /// "Offset specified was past the end of the attribute."
    public static let invalidOffset = ATTErrorCode(rawValue: 0x07)
    /// "The attribute requires authorization before it can be read or written."
    public static let insufficientAuthorization = ATTErrorCode(rawValue: 0x08)
    /// "Too many prepare writes have been queued."
    public static let prepareQueueFull = ATTErrorCode(rawValue: 0x09)
    /// "No attribute found within the given attribute handle range."
    public static let attributeNotFound = ATTErrorCode(rawValue: 0x0A)
    /// "The attribute cannot be read using the ATT_READ_BLOB_REQ PDU."
    public static let attributeNotLong = ATTErrorCode(rawValue: 0x0B)
    /// "The Encryption Key Size used for encrypting this link is too short."
    public static let encryptionKeySizeTooShort = ATTErrorCode(rawValue: 0x0C)
    /// "The attribute value length is invalid for the operation."
    public static let invalidAttributeValueLength = ATTErrorCode(rawValue: 0x0D)
    /// "The attribute request that was requested has encountered an error that was unlikely."
    public static let unlikelyError = ATTErrorCode(rawValue: 0x0E)
    /// "The attribute requires encryption before it can be read or written."
    public static let insufficientEncryption = ATTErrorCode(rawValue: 0x0F)
    /// "The attribute type is not a supported grouping attribute as defined by a higher layer
    /// specification."
    public static let unsupportedGroupType = ATTErrorCode(rawValue: 0x10)
    /// "Insufficient Resources to complete the request."
    public static let insufficientResources = ATTErrorCode(rawValue: 0x11)
    /// "The server requests the client to rediscover the database."
    public static let databaseOutOfSync = ATTErrorCode(rawValue: 0x12)
    /// "The attribute parameter value was not allowed."
    public static let valueNotAllowed = ATTErrorCode(rawValue: 0x13)
    /// Supplement to the Core Specification, Part B, 1.2: "Client Characteristic Configuration
    /// Descriptor Improperly Configured".
    public static let cccdImproperlyConfigured = ATTErrorCode(rawValue: 0xFD)

    public var description: String {
        let name: String = switch rawValue {
        case 0x01: "Invalid Handle"
        case 0x02: "Read Not Permitted"
        case 0x03: "Write Not Permitted"
        case 0x04: "Invalid PDU"
        case 0x05: "Insufficient Authentication"
        case 0x06: "Request Not Supported"
        case 0x07: "Invalid Offset"
        case 0x08: "Insufficient Authorization"
        case 0x09: "Prepare Queue Full"
        case 0x0A: "Attribute Not Found"
        case 0x0B: "Attribute Not Long"
        case 0x0C: "Encryption Key Size Too Short"
        case 0x0D: "Invalid Attribute Value Length"
        case 0x0E: "Unlikely Error"
        case 0x0F: "Insufficient Encryption"
        case 0x10: "Unsupported Group Type"
        case 0x11: "Insufficient Resources"
        case 0x12: "Database Out Of Sync"
        case 0x13: "Value Not Allowed"
        case 0x80 ... 0x9F: "Application Error"
        case 0xE0 ... 0xFF: "Common Profile Error"
        default: "Reserved"
        }
        return "\(name) (0x\(hex2(rawValue)))"
    }
}
