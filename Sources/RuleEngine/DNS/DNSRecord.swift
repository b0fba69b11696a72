public import Addressing

/// One resource record of a message's answer section (RFC 1035 §4.1.3), with the data this
/// node uses decoded and the rest left out.
public struct DNSRecord: Hashable, Sendable {
    /// The class of the Internet (IN), the only one whose addresses are learned.
    public static let internetClass: UInt16 = 1

    /// What a record says, as far as the forwarder cares.
    public enum Data: Hashable, Sendable {
        /// An A or AAAA record's address.
        case address(IPAddress)
        /// A CNAME record's target, in the same form as ``DNSRecord/name``.
        case alias(String)
        /// Any other type; its bytes are not kept.
        case other
    }

    /// The owner name: lower case presentation form without the trailing dot.
    public var name: String
    public var type: DNSRecordType
    public var recordClass: UInt16
    /// Seconds, as sent. RFC 2181 §8 says a value with the top bit set means zero;
    /// ``effectiveTTL`` applies that.
    public var ttl: UInt32
    public var data: Data

    public init(name: String, type: DNSRecordType, recordClass: UInt16 = Self.internetClass, ttl: UInt32, data: Data) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }

    /// ``ttl`` read as RFC 2181 §8 says: values above 2^31 − 1 count as zero.
    public var effectiveTTL: Int { ttl > UInt32(Int32.max) ? 0 : Int(ttl) }
}
