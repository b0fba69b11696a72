/// One piece of a rule: the closed set of matches and actions a TPROXY/TUN router needs.
///
/// Statements run left to right like nft's; a match that fails ends the rule. The set is closed
/// on purpose: each case has one known encoding into kernel expressions and one nft spelling, so
/// the rule text in a plan is exactly what `nft list table` shows.
public enum NftStatement: Hashable, Sendable {
    /// `ip daddr @set` / `ip6 daddr @set`: the destination is in the named set of that family.
    case destinationIn(set: String, family: IPFamily)
    /// `meta l4proto tcp|udp`.
    case transport(TransportProtocol)
    /// `udp dport 1701`: the transport protocol and its destination port (nft leaves the
    /// protocol check it implies out of what it prints).
    case destinationPort(TransportProtocol, UInt16)
    /// `meta ipsec missing`: the packet did not come out of an IPsec SA.
    case ipsecMissing
    /// `meta mark 0x…`: the packet mark equals `value`.
    case markEquals(UInt32)
    /// `iifname "name"`; a name ending in `*` matches every interface it is a prefix of (`ppp*`).
    case inputInterface(String)
    /// `oifname "name"`.
    case outputInterface(String)
    /// `socket transparent 1`: the packet belongs to a socket with IP_TRANSPARENT set (prerouting only).
    case transparentSocket
    /// `meta mark set 0x…`.
    case setMark(UInt32)
    /// `ct mark 0x…`: the packet's connection carries this mark.
    case connectionMarkEquals(UInt32)
    /// `ct mark set 0x…`: marks the packet's connection, so its replies can be recognised.
    case setConnectionMark(UInt32)
    /// `tproxy ip to 127.0.0.1:port` / `tproxy ip6 to [::1]:port`: the family is the address's.
    case tproxy(address: [UInt8], port: UInt16)
    /// `masquerade` (nat postrouting only).
    case masquerade
    /// A verdict that ends the rule.
    case verdict(Verdict)

    /// The transport protocols a rule can match.
    public enum TransportProtocol: String, Hashable, Sendable {
        case tcp, udp

        /// The IP protocol number.
        var number: UInt8 { self == .tcp ? 6 : 17 }
    }

    /// Rule verdicts.
    public enum Verdict: String, Hashable, Sendable {
        case accept, `return`, drop
    }
}
