// SPDX-License-Identifier: MIT

/// ATT_FIND_BY_TYPE_VALUE_RSP (Core Specification 5.4, Vol 3, Part F, 3.4.3.4): "a list of 1 or
/// more Handle Informations", each a Found Attribute Handle and a Group End Handle (4 octets).
public struct ATTFindByTypeValueResponse: ATTPDU, Hashable {
    public static let opcode = ATTOpcode.findByTypeValueResponse

    public struct HandlesInformation: Hashable, Sendable {
        public var foundAttributeHandle: UInt16
        public var groupEndHandle: UInt16
        public init(foundAttributeHandle: UInt16, groupEndHandle: UInt16) {
            self.foundAttributeHandle = foundAttributeHandle
            self.groupEndHandle = groupEndHandle
        }
    }

    public var handlesInformationList: [HandlesInformation]

    public init(handlesInformationList: [HandlesInformation]) {
        self.handlesInformationList = handlesInformationList
    }

    public init(decoding pdu: ArraySlice<UInt8>) throws(ATTDecodeError) {
        var r = try Self.reader(pdu)
        guard r.remaining >= 4 else { throw r.error(.truncated, needing: 4) }
        guard r.remaining % 4 == 0 else {
            throw ATTDecodeError(type: Self.typeName, reason: .invalidLength, offset: r.offset, expectedLength: 4,
                                 actualLength: pdu.count)
        }
        handlesInformationList = []
        while !r.isAtEnd {
            handlesInformationList.append(HandlesInformation(foundAttributeHandle: try r.uint16(),
                                                             groupEndHandle: try r.uint16()))
        }
    }

    public func encode(into buffer: inout [UInt8]) {
        buffer.append(Self.opcode.rawValue)
        for info in handlesInformationList {
            buffer.appendLE(info.foundAttributeHandle)
            buffer.appendLE(info.groupEndHandle)
        }
    }
}
