/// One entry of a message's question section (RFC 1035 §4.1.2).
public struct DNSQuestion: Hashable, Sendable {
    /// Lower case presentation form without the trailing dot; the root is `""`.
    public var name: String
    public var type: DNSRecordType
    /// The class; 1 (IN) in practice.
    public var recordClass: UInt16

    public init(name: String, type: DNSRecordType, recordClass: UInt16 = DNSRecord.internetClass) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
    }
}
