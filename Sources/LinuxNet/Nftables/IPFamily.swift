/// The two address families a rule or set of hy2scale's table is about.
public enum IPFamily: String, Hashable, Sendable, CaseIterable {
    case ipv4
    case ipv6

    /// Bytes in one address of this family.
    public var addressLength: Int { self == .ipv4 ? 4 : 16 }

    /// The family of an address of `byteCount` bytes, or `nil` if no family has that length.
    public init?(addressLength byteCount: Int) {
        switch byteCount {
        case 4: self = .ipv4
        case 16: self = .ipv6
        default: return nil
        }
    }

    /// The nft keyword for the family's network header: `ip` or `ip6`.
    var nftKeyword: String { self == .ipv4 ? "ip" : "ip6" }
}
