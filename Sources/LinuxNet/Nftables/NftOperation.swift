/// One message of an nftables batch, before encoding: what ``NftOperation/operations(for:)``
/// derives from a plan and the netlink layer turns into bytes.
public enum NftOperation: Hashable, Sendable, CustomStringConvertible {
    case addTable
    /// Removes the table and everything in it; the only message of a teardown.
    case deleteTable
    case addSet(NftSet)
    case deleteSet(name: String)
    /// Adds ranges to an interval set (start element, and an end element unless the range ends
    /// at the family's last address).
    case addElements(set: String, ranges: [AddressRange])
    /// Removes ranges from an interval set, written as they were added.
    case deleteElements(set: String, ranges: [AddressRange])
    case addChain(name: String, hook: NftChain.BaseHook?)
    /// Removes a chain and its rules.
    case deleteChain(name: String)
    case deleteRule(chain: String, handle: UInt64)
    /// Appends a rule, with `comment` as its userdata comment.
    case addRule(chain: String, rule: NftRule, comment: String)

    public var description: String {
        switch self {
        case .addTable: "add table inet \(NftTable.name)"
        case .deleteTable: "delete table inet \(NftTable.name)"
        case .addSet(let set): "add \(set)"
        case .deleteSet(let name): "delete set \(name)"
        case .addElements(let set, let ranges): "add \(ranges.count) element\(ranges.count == 1 ? "" : "s") to set \(set)"
        case .deleteElements(let set, let ranges): "delete \(ranges.count) element\(ranges.count == 1 ? "" : "s") from set \(set)"
        case .addChain(let name, let hook): "add chain \(name) (\(NftChain.headerText(hook)))"
        case .deleteChain(let name): "delete chain \(name)"
        case .deleteRule(let chain, let handle): "delete rule handle \(handle) from chain \(chain)"
        case .addRule(let chain, let rule, _): "add rule to chain \(chain): \(rule)"
        }
    }
}
