import CNftnl

/// ``NftOperation``s as nf_tables messages, all in table `inet hy2scale` and nowhere else.
extension NftBatchWriter {
    private static let table = NftTable.name

    /// nft's numbers for the two key types (`TYPE_IPADDR`, `TYPE_IP6ADDR` in nft's datatype.h);
    /// `nft list` uses them to print the elements as addresses.
    static let ipv4DataType: UInt32 = 7
    static let ipv6DataType: UInt32 = 8

    mutating func add(_ operation: NftOperation) throws {
        switch operation {
        case .addTable, .deleteTable:
            let table = try NftnlTable(name: Self.table)
            message(operation == .addTable ? NFT_MSG_NEWTABLE : NFT_MSG_DELTABLE,
                    flags: operation == .addTable ? NLM_F_CREATE : 0, what: operation.description) {
                nftnl_table_nlmsg_build_payload($0, table.pointer)
            }
        case .addSet(let set):
            let object = try Self.set(named: set.name)
            let family = set.keyType.family ?? .ipv4
            nftnl_set_set_u32(object.pointer, attribute(NFTNL_SET_KEY_TYPE), family == .ipv4 ? Self.ipv4DataType : Self.ipv6DataType)
            nftnl_set_set_u32(object.pointer, attribute(NFTNL_SET_KEY_LEN), UInt32(family.addressLength))
            nftnl_set_set_u32(object.pointer, attribute(NFTNL_SET_FLAGS), Self.flags(of: set.kind))
            // The kernel requires a transaction-local id on every new set (NFTA_SET_ID).
            nftnl_set_set_u32(object.pointer, attribute(NFTNL_SET_ID), nextSetID())
            message(NFT_MSG_NEWSET, flags: NLM_F_CREATE, what: operation.description) {
                nftnl_set_nlmsg_build_payload($0, object.pointer)
            }
        case .deleteSet(let name):
            let object = try Self.set(named: name)
            message(NFT_MSG_DELSET, what: operation.description) { nftnl_set_nlmsg_build_payload($0, object.pointer) }
        case .addElements(let set, let ranges):
            try elements(ranges, of: set, type: NFT_MSG_NEWSETELEM, verb: "add")
        case .deleteElements(let set, let ranges):
            try elements(ranges, of: set, type: NFT_MSG_DELSETELEM, verb: "delete")
        case .addChain(let name, let hook):
            let chain = try Self.chain(named: name)
            if let hook {
                nftnl_chain_set_u32(chain.pointer, attribute(NFTNL_CHAIN_HOOKNUM), hook.hook.rawValue)
                nftnl_chain_set_s32(chain.pointer, attribute(NFTNL_CHAIN_PRIO), hook.priority)
                nftnl_chain_set_str(chain.pointer, attribute(NFTNL_CHAIN_TYPE), hook.type.rawValue)
                nftnl_chain_set_u32(chain.pointer, attribute(NFTNL_CHAIN_POLICY), UInt32(hook.policy == .accept ? NF_ACCEPT : NF_DROP))
            }
            message(NFT_MSG_NEWCHAIN, flags: NLM_F_CREATE, what: operation.description) {
                nftnl_chain_nlmsg_build_payload($0, chain.pointer)
            }
        case .deleteChain(let name):
            let chain = try Self.chain(named: name)
            message(NFT_MSG_DELCHAIN, what: operation.description) { nftnl_chain_nlmsg_build_payload($0, chain.pointer) }
        case .deleteRule(let chainName, let handle):
            let rule = try Self.rule(in: chainName)
            nftnl_rule_set_u64(rule.pointer, attribute(NFTNL_RULE_HANDLE), handle)
            message(NFT_MSG_DELRULE, what: operation.description) { nftnl_rule_nlmsg_build_payload($0, rule.pointer) }
        case .addRule(let chainName, let nftRule, let comment):
            let rule = try Self.rule(in: chainName)
            for statement in nftRule.statements { try rule.add(statement) }
            try rule.setComment(comment)
            message(NFT_MSG_NEWRULE, flags: NLM_F_CREATE | NLM_F_APPEND, what: operation.description) {
                nftnl_rule_nlmsg_build_payload($0, rule.pointer)
            }
        }
    }

    /// Interval elements, in messages of at most ``elementsPerMessage`` ranges: a start element
    /// at each range's first address and an end element just past its last; a range that runs
    /// to the family's last address has no end element (nothing lies past it).
    private mutating func elements(_ ranges: [AddressRange], of set: String, type: nf_tables_msg_types, verb: String) throws {
        for start in stride(from: 0, to: ranges.count, by: Self.elementsPerMessage) {
            let chunk = ranges[start..<min(ranges.count, start + Self.elementsPerMessage)]
            let object = try Self.set(named: set)
            for range in chunk {
                try object.addElement(key: range.first)
                if let end = AddressRange.successor(of: range.last) {
                    try object.addElement(key: end, flags: NFT_SET_ELEM_INTERVAL_END.rawValue)
                }
            }
            let shown = chunk.prefix(3).map(\.description).joined(separator: ", ") + (chunk.count > 3 ? ", …" : "")
            message(type, flags: type == NFT_MSG_NEWSETELEM ? NLM_F_CREATE : 0,
                    what: "\(verb) elements { \(shown) } of set \(set)") {
                nftnl_set_elems_nlmsg_build_payload($0, object.pointer)
            }
        }
    }

    /// Adds single addresses with a timeout to a timeout set (``NftRuntimeSet``).
    mutating func addTimedElements(_ addresses: [[UInt8]], to set: String, timeoutMilliseconds: UInt64) throws {
        for start in stride(from: 0, to: addresses.count, by: Self.elementsPerMessage) {
            let chunk = addresses[start..<min(addresses.count, start + Self.elementsPerMessage)]
            let object = try Self.set(named: set)
            for address in chunk { try object.addElement(key: address, timeoutMilliseconds: timeoutMilliseconds) }
            message(NFT_MSG_NEWSETELEM, flags: NLM_F_CREATE, what: "add \(chunk.count) timed elements to set \(set)") {
                nftnl_set_elems_nlmsg_build_payload($0, object.pointer)
            }
        }
    }

    /// How many messages ``elements`` needs for `count` ranges or addresses.
    static func messageCount(forElements count: Int) -> Int {
        (count + elementsPerMessage - 1) / elementsPerMessage
    }

    static func flags(of kind: NftSet.Kind) -> UInt32 {
        switch kind {
        case .intervals: NFT_SET_INTERVAL.rawValue
        case .timeouts: NFT_SET_TIMEOUT.rawValue
        case .unrecognised(let flags): flags
        }
    }

    private static func set(named name: String) throws -> NftnlSet {
        let set = try NftnlSet()
        nftnl_set_set_str(set.pointer, attribute(NFTNL_SET_TABLE), table)
        nftnl_set_set_str(set.pointer, attribute(NFTNL_SET_NAME), name)
        return set
    }

    private static func chain(named name: String) throws -> NftnlChain {
        let chain = try NftnlChain()
        nftnl_chain_set_str(chain.pointer, attribute(NFTNL_CHAIN_TABLE), table)
        nftnl_chain_set_str(chain.pointer, attribute(NFTNL_CHAIN_NAME), name)
        return chain
    }

    private static func rule(in chain: String) throws -> NftnlRule {
        let rule = try NftnlRule()
        nftnl_rule_set_str(rule.pointer, attribute(NFTNL_RULE_TABLE), table)
        nftnl_rule_set_str(rule.pointer, attribute(NFTNL_RULE_CHAIN), chain)
        return rule
    }
}
