import CNftnl
import Glibc

/// Reads table `inet hy2scale` back from the kernel into ``NftResource``s.
///
/// Every request names our table, and replies about any other table are dropped, so nothing
/// outside it is ever seen (DESIGN invariant 6). Observation decides nothing: a set in a shape
/// hy2scale never writes is reported as such and the diff replaces it.
struct NftTableReader {
    let socket: NetlinkSocket
    private static let table = NftTable.name

    /// The table, its sets (interval sets with their elements) and its chains with their rules'
    /// comments and handles in kernel order; empty when the table does not exist.
    func read() throws -> [NftResource] {
        guard try tableExists() else { return [] }
        var resources: [NftResource] = [.table]
        resources += try readSets().map(NftResource.set)
        resources += try readChains().map(NftResource.chain)
        return resources
    }

    /// The namespace's ruleset generation: the kernel adds one for every committed batch, of any
    /// table, so the same number later means nothing changed in between.
    func generation() throws -> UInt32 {
        var found: UInt32?
        try request("get the ruleset generation", NFT_MSG_GETGEN, flags: NLM_F_ACK, { _ in }, each: { header in
            guard let generation = nftnl_gen_alloc() else { return }
            defer { nftnl_gen_free(generation) }
            if nftnl_gen_nlmsg_parse(header, generation) >= 0, nftnl_gen_is_set(generation, attribute(NFTNL_GEN_ID)) {
                found = nftnl_gen_get_u32(generation, attribute(NFTNL_GEN_ID))
            }
        })
        guard let found else { throw NetlinkError.system("get the ruleset generation", EPROTO) }
        return found
    }

    private func tableExists() throws -> Bool {
        let table = try NftnlTable(name: Self.table)
        do {
            try request("get table inet \(Self.table)", NFT_MSG_GETTABLE, flags: NLM_F_ACK, { nftnl_table_nlmsg_build_payload($0, table.pointer) }, each: { _ in })
            return true
        } catch let error as NetlinkError where error.code == ENOENT {
            return false
        }
    }

    private func readSets() throws -> [NftSet] {
        struct Found { let name: String; let flags: UInt32; let keyType: UInt32; let keyLength: UInt32 }
        var found: [Found] = []
        let filter = try NftnlSet()
        nftnl_set_set_str(filter.pointer, attribute(NFTNL_SET_TABLE), Self.table)
        try request("list sets of inet \(Self.table)", NFT_MSG_GETSET, flags: NLM_F_DUMP, { nftnl_set_nlmsg_build_payload($0, filter.pointer) }, each: { header in
            let set = try NftnlSet()
            guard nftnl_set_nlmsg_parse(header, set.pointer) >= 0,
                  Self.string(nftnl_set_get_str(set.pointer, attribute(NFTNL_SET_TABLE))) == Self.table,
                  let name = Self.string(nftnl_set_get_str(set.pointer, attribute(NFTNL_SET_NAME))) else { return }
            func number(_ key: nftnl_set_attr) -> UInt32 {
                nftnl_set_is_set(set.pointer, attribute(key)) ? nftnl_set_get_u32(set.pointer, attribute(key)) : 0
            }
            found.append(Found(name: name, flags: number(NFTNL_SET_FLAGS), keyType: number(NFTNL_SET_KEY_TYPE),
                               keyLength: number(NFTNL_SET_KEY_LEN)))
        })
        return try found.map { set in
            let keyType: NftSet.KeyType = switch (set.keyType, set.keyLength) {
            case (NftBatchWriter.ipv4DataType, 4): .ipv4Address
            case (NftBatchWriter.ipv6DataType, 16): .ipv6Address
            default: .unrecognised(datatype: set.keyType, length: set.keyLength)
            }
            switch set.flags {
            case NftBatchWriter.flags(of: .timeouts):
                return NftSet(name: set.name, keyType: keyType, kind: .timeouts, elements: [])
            case NftBatchWriter.flags(of: .intervals):
                if let ranges = IntervalElements.ranges(from: try elements(of: set.name).map { IntervalElements.Element(key: $0.key, isEnd: $0.isEnd) }),
                   ranges.allSatisfy({ $0.first.count == keyType.family?.addressLength }) {
                    return NftSet(name: set.name, keyType: keyType, kind: .intervals, elements: ranges)
                }
                return NftSet(name: set.name, keyType: keyType, kind: .unrecognised(flags: set.flags), elements: [])
            default:
                return NftSet(name: set.name, keyType: keyType, kind: .unrecognised(flags: set.flags), elements: [])
            }
        }
    }

    /// One element of a set dump.
    struct DumpedElement {
        let key: [UInt8]
        let isEnd: Bool
        /// Milliseconds, when the element has a timeout.
        let timeout: UInt64?
        let expiration: UInt64?
    }

    /// Every element of set `name`, as the kernel lists them.
    func elements(of name: String) throws -> [DumpedElement] {
        var elements: [DumpedElement] = []
        let filter = try NftnlSet()
        nftnl_set_set_str(filter.pointer, attribute(NFTNL_SET_TABLE), Self.table)
        nftnl_set_set_str(filter.pointer, attribute(NFTNL_SET_NAME), name)
        try request("list elements of set \(name)", NFT_MSG_GETSETELEM, flags: NLM_F_DUMP, { nftnl_set_elems_nlmsg_build_payload($0, filter.pointer) }, each: { header in
            let set = try NftnlSet()
            guard nftnl_set_elems_nlmsg_parse(header, set.pointer) >= 0,
                  let iterator = nftnl_set_elems_iter_create(set.pointer) else { return }
            defer { nftnl_set_elems_iter_destroy(iterator) }
            var element = nftnl_set_elems_iter_next(iterator)
            while let current = element {
                var length: UInt32 = 0
                if let key = nftnl_set_elem_get(current, attribute(NFTNL_SET_ELEM_KEY), &length) {
                    func number(_ attr: Int) -> UInt64? {
                        nftnl_set_elem_is_set(current, attribute(attr)) ? nftnl_set_elem_get_u64(current, attribute(attr)) : nil
                    }
                    let flags = nftnl_set_elem_is_set(current, attribute(NFTNL_SET_ELEM_FLAGS))
                        ? nftnl_set_elem_get_u32(current, attribute(NFTNL_SET_ELEM_FLAGS)) : 0
                    elements.append(DumpedElement(
                        key: Array(UnsafeRawBufferPointer(start: key, count: Int(length))),
                        isEnd: flags & NFT_SET_ELEM_INTERVAL_END.rawValue != 0,
                        timeout: number(NFTNL_SET_ELEM_TIMEOUT), expiration: number(NFTNL_SET_ELEM_EXPIRATION)))
                }
                element = nftnl_set_elems_iter_next(iterator)
            }
        })
        return elements
    }

    /// The chains alone (a sibling of ``read()`` for after a batch, whose sets are known).
    func readChains() throws -> [NftChainState] {
        var chains: [(name: String, hook: NftChain.BaseHook?)] = []
        let filter = try NftnlChain()
        nftnl_chain_set_str(filter.pointer, attribute(NFTNL_CHAIN_TABLE), Self.table)
        try request("list chains of inet \(Self.table)", NFT_MSG_GETCHAIN, flags: NLM_F_DUMP, { nftnl_chain_nlmsg_build_payload($0, filter.pointer) }, each: { header in
            let chain = try NftnlChain()
            guard nftnl_chain_nlmsg_parse(header, chain.pointer) >= 0,
                  Self.string(nftnl_chain_get_str(chain.pointer, attribute(NFTNL_CHAIN_TABLE))) == Self.table,
                  let name = Self.string(nftnl_chain_get_str(chain.pointer, attribute(NFTNL_CHAIN_NAME))) else { return }
            chains.append((name, Self.hook(of: chain)))
        })
        var rules: [String: [NftRuleEntry]] = [:]
        let ruleFilter = try NftnlRule()
        nftnl_rule_set_str(ruleFilter.pointer, attribute(NFTNL_RULE_TABLE), Self.table)
        try request("list rules of inet \(Self.table)", NFT_MSG_GETRULE, flags: NLM_F_DUMP, { nftnl_rule_nlmsg_build_payload($0, ruleFilter.pointer) }, each: { header in
            let rule = try NftnlRule()
            guard nftnl_rule_nlmsg_parse(header, rule.pointer) >= 0,
                  Self.string(nftnl_rule_get_str(rule.pointer, attribute(NFTNL_RULE_TABLE))) == Self.table,
                  let chain = Self.string(nftnl_rule_get_str(rule.pointer, attribute(NFTNL_RULE_CHAIN))) else { return }
            let handle = nftnl_rule_get_u64(rule.pointer, attribute(NFTNL_RULE_HANDLE))
            var length: UInt32 = 0
            var comment = ""
            if nftnl_rule_is_set(rule.pointer, attribute(NFTNL_RULE_USERDATA)),
               let data = nftnl_rule_get_data(rule.pointer, attribute(NFTNL_RULE_USERDATA), &length) {
                comment = RuleUserdata.comment(in: Array(UnsafeRawBufferPointer(start: data, count: Int(length)))) ?? ""
            }
            rules[chain, default: []].append(NftRuleEntry(comment: comment, handle: handle))
        })
        return chains.map { NftChainState(name: $0.name, hook: $0.hook, rules: rules[$0.name] ?? []) }
    }

    private static func hook(of chain: NftnlChain) -> NftChain.BaseHook? {
        guard nftnl_chain_is_set(chain.pointer, attribute(NFTNL_CHAIN_HOOKNUM)) else { return nil }
        let number = nftnl_chain_get_u32(chain.pointer, attribute(NFTNL_CHAIN_HOOKNUM))
        let typeName = string(nftnl_chain_get_str(chain.pointer, attribute(NFTNL_CHAIN_TYPE))) ?? "filter"
        let policy = nftnl_chain_is_set(chain.pointer, attribute(NFTNL_CHAIN_POLICY))
            ? nftnl_chain_get_u32(chain.pointer, attribute(NFTNL_CHAIN_POLICY)) : UInt32(NF_ACCEPT)
        // A hook or type hy2scale never writes (ingress, say) reads as no hook at all: any base
        // chain we want under that name then differs and is replaced.
        guard let hook = NftChain.Hook(rawValue: number), let type = NftChain.ChainType(rawValue: typeName) else { return nil }
        return NftChain.BaseHook(type: type, hook: hook, priority: nftnl_chain_get_s32(chain.pointer, attribute(NFTNL_CHAIN_PRIO)),
                                 policy: policy == UInt32(NF_ACCEPT) ? .accept : .drop)
    }

    /// Sends one get or dump request and hands each answer to `each` as a netlink message in
    /// memory, the form libnftnl's parsers read.
    /// - Throws: ``NetlinkError`` (ENOENT when what was asked for does not exist), else what
    ///   `each` throws.
    private func request(_ what: String, _ type: nf_tables_msg_types, flags: Int32,
                         _ payload: (UnsafeMutablePointer<nlmsghdr>) -> Void,
                         each: (UnsafePointer<nlmsghdr>) throws -> Void) throws {
        let sequence = socket.sequence()
        let messages: [NetlinkMessage]
        do {
            messages = try socket.exchange(Self.build(type, flags: flags, sequence, payload), expecting: [sequence])
        } catch {
            // Say which request the kernel refused; ENOENT stays as it is for callers to test.
            let code = error.code ?? EIO
            throw code == ENOENT ? error : NetlinkError.system(what, code)
        }
        for message in messages {
            var bytes: [UInt8] = []
            bytes.appendInteger(UInt32(NetlinkMessage.headerSize + message.payload.count))
            bytes.appendInteger(message.type)
            bytes.appendInteger(message.flags)
            bytes.appendInteger(message.sequence)
            bytes.appendInteger(UInt32(0))
            bytes += message.payload
            try bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return }
                try each(base.assumingMemoryBound(to: nlmsghdr.self))
            }
        }
    }

    /// A request message for our table's family, built in a small scratch buffer.
    static func build(_ type: nf_tables_msg_types, flags: Int32, _ sequence: UInt32,
                      _ payload: (UnsafeMutablePointer<nlmsghdr>) -> Void) -> [UInt8] {
        var scratch = [UInt8](repeating: 0, count: 4096)
        return scratch.withUnsafeMutableBytes { raw -> [UInt8] in
            guard let base = raw.baseAddress,
                  let header = nftnl_nlmsg_build_hdr(base.assumingMemoryBound(to: CChar.self), UInt16(type.rawValue),
                                                     UInt16(NFPROTO_INET), UInt16(flags | NLM_F_REQUEST), sequence) else { return [] }
            payload(header)
            return Array(UnsafeRawBufferPointer(start: base, count: Int(header.pointee.nlmsg_len)))
        }
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
