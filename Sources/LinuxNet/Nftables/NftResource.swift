public import Reconciler

/// One object of table `inet hy2scale` as the reconciler sees it: the table itself, a set, or a
/// chain with its rules. Desired resources come from an ``NftTable``; observed ones are read back
/// from the kernel into the same shape, so ``Reconciler/diff(desired:observed:)`` compares them.
public enum NftResource: Resource {
    case table
    case set(NftSet)
    case chain(NftChainState)

    /// Table first, then sets, then chains, so a plan reads top-down like `nft list table`.
    public var key: NftResourceKey {
        switch self {
        case .table: NftResourceKey(rank: 0, name: NftTable.name)
        case .set(let set): NftResourceKey(rank: 1, name: set.name)
        case .chain(let chain): NftResourceKey(rank: 2, name: chain.name)
        }
    }

    public var description: String {
        switch self {
        case .table: "table inet \(NftTable.name)"
        case .set(let set): set.description
        case .chain(let chain): chain.description
        }
    }
}

/// Orders and identifies ``NftResource``s: the table, then sets by name, then chains by name.
public struct NftResourceKey: Comparable, Hashable, Sendable {
    let rank: Int
    let name: String

    public static func < (lhs: NftResourceKey, rhs: NftResourceKey) -> Bool {
        (lhs.rank, lhs.name) < (rhs.rank, rhs.name)
    }
}

extension NftTable {
    /// The table, its sets and its chains as resources, each rule tagged with its comment.
    public var resources: [NftResource] {
        let byName = Dictionary(sets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return [.table] + sets.map(NftResource.set) + chains.map { chain in
            .chain(NftChainState(name: chain.name, hook: chain.hook,
                                 rules: chain.rules.map { NftRuleEntry(comment: comment(for: $0, sets: byName), rule: $0) }))
        }
    }
}
