/// nft's spelling of each statement: what plans print and what the benchmark feeds `nft -f`.
extension NftStatement: CustomStringConvertible {
    public var description: String {
        switch self {
        case .destinationIn(let set, let family): return "\(family.nftKeyword) daddr @\(set)"
        case .transport(let proto): return "meta l4proto \(proto.rawValue)"
        case .destinationPort(let proto, let port): return "\(proto.rawValue) dport \(port)"
        case .ipsecMissing: return "meta ipsec missing"
        case .markEquals(let mark): return "meta mark \(Self.hex(mark))"
        case .inputInterface(let name): return "iifname \"\(name)\""
        case .outputInterface(let name): return "oifname \"\(name)\""
        case .transparentSocket: return "socket transparent 1"
        case .setMark(let mark): return "meta mark set \(Self.hex(mark))"
        case .connectionMarkEquals(let mark): return "ct mark \(Self.hex(mark))"
        case .setConnectionMark(let mark): return "ct mark set \(Self.hex(mark))"
        case .tproxy(let address, let port):
            let text = AddressRange.text(address)
            return address.count == 4 ? "tproxy ip to \(text):\(port)" : "tproxy ip6 to [\(text)]:\(port)"
        case .masquerade: return "masquerade"
        case .verdict(let verdict): return verdict.rawValue
        }
    }

    /// Marks print as nft prints them back: `0x` and eight hex digits.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
