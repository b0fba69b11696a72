/// The table as an `nft -f` file: what an operator can read or load by hand, and what the
/// benchmark compares our batches against.
extension NftTable {
    /// `table inet hy2scale { … }` with every set, element, chain and rule (rules carry the
    /// same comments the driver writes, so the loaded table observes as equal).
    public var nftText: String {
        var lines = ["table inet \(Self.name) {"]
        let byName = Dictionary(sets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for set in sets {
            lines.append("\tset \(set.name) {")
            lines.append("\t\ttype \(set.typeText)")
            switch set.kind {
            case .intervals: lines.append("\t\tflags interval")
            case .timeouts: lines.append("\t\tflags timeout")
            case .unrecognised: break
            }
            if !set.elements.isEmpty {
                lines.append("\t\telements = { " + set.elements.map(\.description).joined(separator: ",\n\t\t\t") + " }")
            }
            lines.append("\t}")
        }
        for chain in chains {
            lines.append("\tchain \(chain.name) {")
            if let hook = chain.hook {
                lines.append("\t\ttype \(hook.type.rawValue) hook \(hook.hook) priority \(hook.priority); policy \(hook.policy.rawValue);")
            }
            for rule in chain.rules {
                lines.append("\t\t\(rule.text) comment \"\(comment(for: rule, sets: byName))\"")
            }
            lines.append("\t}")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}
