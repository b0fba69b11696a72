/// A resource record type (RFC 1035 §3.2.2, RFC 3596 §2.1); unknown types keep their number.
public struct DNSRecordType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// An IPv4 address.
    public static let a = DNSRecordType(rawValue: 1)
    /// The canonical name of an alias.
    public static let cname = DNSRecordType(rawValue: 5)
    /// An IPv6 address (RFC 3596).
    public static let aaaa = DNSRecordType(rawValue: 28)

    public var description: String {
        switch self {
        case .a: "A"
        case .cname: "CNAME"
        case .aaaa: "AAAA"
        default: "TYPE\(rawValue)"
        }
    }
}
