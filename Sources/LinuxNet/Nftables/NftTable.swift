/// The whole of table `inet hy2scale` as hy2scale wants it: a pure value built from the config.
///
/// Everything is checked here, so a table that exists as a value can be sent to the kernel; a
/// mistake in the config surfaces while the model is built, before any netlink I/O.
public struct NftTable: Hashable, Sendable {
    /// The table's name; always ``OwnedNames/nftablesTable``.
    public static let name = OwnedNames.nftablesTable

    /// Sorted by name; names unique.
    public let sets: [NftSet]
    /// Sorted by name; names unique.
    public let chains: [NftChain]

    /// A table of `sets` and `chains`.
    /// - Throws: ``NftModelError`` when two sets or two chains share a name, a rule looks up a
    ///   set that is missing or of the other family, or a set given here came from observation.
    ///   Where a statement may run (tproxy only in prerouting, masquerade only in nat) is the
    ///   kernel's to judge; it rejects the whole batch, and the table stays as it was.
    public init(sets: [NftSet] = [], chains: [NftChain] = []) throws(NftModelError) {
        var setsByName: [String: NftSet] = [:]
        for set in sets {
            guard setsByName.updateValue(set, forKey: set.name) == nil else {
                throw .inconsistent("two sets are named \(set.name); set names must be unique in the table")
            }
            if case .unrecognised = set.keyType { throw .inconsistent("set \(set.name) has a key type hy2scale cannot write") }
            if case .unrecognised = set.kind { throw .inconsistent("set \(set.name) has flags hy2scale cannot write") }
        }
        var chainNames = Set<String>()
        for chain in chains {
            guard chainNames.insert(chain.name).inserted else {
                throw .inconsistent("two chains are named \(chain.name); chain names must be unique in the table")
            }
            for rule in chain.rules {
                for (name, family) in rule.referencedSets {
                    guard let set = setsByName[name] else {
                        throw .inconsistent("rule \(rule.id) in chain \(chain.name) looks up set \(name), which is not in the table")
                    }
                    guard set.keyType.family == family else {
                        throw .inconsistent("rule \(rule.id) in chain \(chain.name) matches \(family.nftKeyword) daddr against set \(name), which holds \(set.typeText)")
                    }
                }
            }
        }
        self.sets = sets.sorted { $0.name < $1.name }
        self.chains = chains.sorted { $0.name < $1.name }
    }

    /// One line per object, nft-like, for plans and logs: the table, each set, each chain and,
    /// indented under it, each rule.
    public var descriptionLines: [String] {
        var lines = ["table inet \(Self.name)"]
        lines += sets.map { "  \($0)" }
        for chain in chains {
            lines.append("  \(chain)")
            lines += chain.rules.map { "    \($0)" }
        }
        return lines
    }

    /// The comment the kernel stores with `rule`: its id and a fingerprint of what it does.
    ///
    /// Observation compares rules by this comment alone, so the fingerprint covers the rule's
    /// text and the shape (key type and flags) of every set it looks up: a set that must be
    /// re-created also changes the rules that use it, which are then replaced in the same batch
    /// (the kernel refuses to delete a set a rule still references).
    public func comment(for rule: NftRule) -> String {
        comment(for: rule, sets: Dictionary(sets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    /// ``comment(for:)`` with the sets by name, built once for a whole table.
    func comment(for rule: NftRule, sets: [String: NftSet]) -> String {
        var canonical = rule.text
        for (name, _) in rule.referencedSets {
            if let set = sets[name] {
                canonical += " @\(name)=\(set.typeText)/\(set.kind == .intervals ? "interval" : "timeout")"
            }
        }
        return "\(rule.id) \(FNV1a.hex(canonical))"
    }
}
