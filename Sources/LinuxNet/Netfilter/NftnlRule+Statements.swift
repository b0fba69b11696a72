import CNftnl
import Glibc

/// Each ``NftStatement`` as the kernel expressions nft itself generates for it (compare
/// `nft --debug=netlink`), so `nft list table` prints our rules back in nft's own words.
extension NftnlRule {
    /// Registers as nft uses them: data in register 1 (16 bytes, enough for an IPv6 address),
    /// a second value (the tproxy port) in register 2, verdicts in register 0.
    private static let data = NFT_REG_1.rawValue
    private static let second = NFT_REG_2.rawValue
    private static let verdictRegister = NFT_REG_VERDICT.rawValue

    /// Appends the expressions of `statement`.
    func add(_ statement: NftStatement) throws {
        switch statement {
        case .destinationIn(let set, let family):
            // In an inet table the network header may be either family: check it first.
            try loadMeta(NFT_META_NFPROTO)
            try compare(equal: [UInt8(family == .ipv4 ? NFPROTO_IPV4 : NFPROTO_IPV6)])
            try addExpression("payload") { e in
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_PAYLOAD_DREG), Self.data)
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_PAYLOAD_BASE), NFT_PAYLOAD_NETWORK_HEADER.rawValue)
                // iphdr.daddr is at 16, ipv6hdr.daddr at 24.
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_PAYLOAD_OFFSET), family == .ipv4 ? 16 : 24)
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_PAYLOAD_LEN), UInt32(family.addressLength))
            }
            try addExpression("lookup") { e in
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_LOOKUP_SREG), Self.data)
                nftnl_expr_set_str(e, attribute(NFTNL_EXPR_LOOKUP_SET), set)
            }
        case .transport(let proto):
            try loadMeta(NFT_META_L4PROTO)
            try compare(equal: [proto.number])
        case .destinationPort(let proto, let port):
            try loadMeta(NFT_META_L4PROTO)
            try compare(equal: [proto.number])
            try addExpression("payload") { e in
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_PAYLOAD_DREG), Self.data)
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_PAYLOAD_BASE), NFT_PAYLOAD_TRANSPORT_HEADER.rawValue)
                // The destination port follows the source port in both TCP's and UDP's header.
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_PAYLOAD_OFFSET), 2)
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_PAYLOAD_LEN), 2)
            }
            try compare(equal: [UInt8(port >> 8), UInt8(port & 0xFF)])
        case .ipsecMissing:
            try loadMeta(NFT_META_SECPATH)
            try compare(equal: [0])
        case .markEquals(let mark):
            try loadMeta(NFT_META_MARK)
            try compare(equal: Self.hostBytes(mark))
        case .inputInterface(let name):
            try loadMeta(NFT_META_IIFNAME)
            try compare(equal: Self.interfaceBytes(name))
        case .outputInterface(let name):
            try loadMeta(NFT_META_OIFNAME)
            try compare(equal: Self.interfaceBytes(name))
        case .transparentSocket:
            try addExpression("socket") { e in
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_SOCKET_KEY), NFT_SOCKET_TRANSPARENT.rawValue)
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_SOCKET_DREG), Self.data)
            }
            try compare(equal: [1])
        case .setMark(let mark):
            try immediate(Self.hostBytes(mark), into: Self.data)
            try addExpression("meta") { e in
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_META_KEY), NFT_META_MARK.rawValue)
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_META_SREG), Self.data)
            }
        case .connectionMarkEquals(let mark):
            try addExpression("ct") { e in
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_CT_KEY), NFT_CT_MARK.rawValue)
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_CT_DREG), Self.data)
            }
            try compare(equal: Self.hostBytes(mark))
        case .setConnectionMark(let mark):
            try immediate(Self.hostBytes(mark), into: Self.data)
            try addExpression("ct") { e in
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_CT_KEY), NFT_CT_MARK.rawValue)
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_CT_SREG), Self.data)
            }
        case .tproxy(let address, let port):
            try immediate(address, into: Self.data)
            try immediate([UInt8(port >> 8), UInt8(port & 0xFF)], into: Self.second)  // network order
            try addExpression("tproxy") { e in
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_TPROXY_FAMILY), UInt32(address.count == 4 ? NFPROTO_IPV4 : NFPROTO_IPV6))
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_TPROXY_REG_ADDR), Self.data)
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_TPROXY_REG_PORT), Self.second)
            }
        case .masquerade:
            try addExpression("masq") { _ in }
        case .verdict(let verdict):
            let code: Int32 = switch verdict {
            case .accept: NF_ACCEPT
            case .drop: NF_DROP
            case .return: NFT_RETURN.rawValue
            }
            try addExpression("immediate") { e in
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_IMM_DREG), Self.verdictRegister)
                nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_IMM_VERDICT), UInt32(bitPattern: code))
            }
        }
    }

    private func loadMeta(_ key: nft_meta_keys) throws {
        try addExpression("meta") { e in
            nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_META_KEY), key.rawValue)
            nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_META_DREG), Self.data)
        }
    }

    private func compare(equal value: [UInt8]) throws {
        try addExpression("cmp") { e in
            nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_CMP_SREG), Self.data)
            nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_CMP_OP), NFT_CMP_EQ.rawValue)
            value.withUnsafeBytes { _ = nftnl_expr_set(e, attribute(NFTNL_EXPR_CMP_DATA), $0.baseAddress, UInt32($0.count)) }
        }
    }

    private func immediate(_ value: [UInt8], into register: UInt32) throws {
        try addExpression("immediate") { e in
            nftnl_expr_set_u32(e, attribute(NFTNL_EXPR_IMM_DREG), register)
            value.withUnsafeBytes { _ = nftnl_expr_set(e, attribute(NFTNL_EXPR_IMM_DATA), $0.baseAddress, UInt32($0.count)) }
        }
    }

    /// Marks are compared and set in host byte order (a 32-bit register value).
    private static func hostBytes(_ value: UInt32) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }

    /// Interface names compare as the kernel stores them: IFNAMSIZ bytes, NUL padded. A name
    /// ending in `*` (`ppp*`) compares only the bytes before it, as nft does.
    private static func interfaceBytes(_ name: String) -> [UInt8] {
        if name.hasSuffix("*") { return Array(name.utf8.dropLast().prefix(15)) }
        let bytes = Array(name.utf8.prefix(15))
        return bytes + [UInt8](repeating: 0, count: 16 - bytes.count)
    }

    /// Stores `comment` as the rule's userdata: one NFTNL_UDATA_RULE_COMMENT TLV holding the
    /// NUL-terminated text, which is where nft reads `comment "…"` from.
    func setComment(_ comment: String) throws {
        guard let buffer = nftnl_udata_buf_alloc(UInt32(NFT_USERDATA_MAXLEN)) else {
            throw NetlinkError.system("allocate rule userdata", ENOMEM)
        }
        defer { nftnl_udata_buf_free(buffer) }
        guard nftnl_udata_put_strz(buffer, UInt8(NFTNL_UDATA_RULE_COMMENT.rawValue), comment) else {
            throw NetlinkError.system("store comment \"\(comment)\" in rule userdata", EMSGSIZE)
        }
        nftnl_rule_set_data(pointer, attribute(NFTNL_RULE_USERDATA), nftnl_udata_buf_data(buffer), nftnl_udata_buf_len(buffer))
    }
}
