import Reconciler

extension NftResource {
    /// How many listed elements or rules a summary shows before `…`.
    private static var shown: Int { 3 }

    /// One line that says what really changes: `~ set r_web_v4: +1 -0 (+10.9.0.1)` for a set
    /// whose elements change, `~ chain prerouting: 5 rules -> 6 (+web2, -old)` for a chain whose
    /// rules change, and the plain `old -> new` otherwise. A set of ten thousand targets with one
    /// new address prints one short line rather than two element counts.
    public static func describeUpdate(from old: NftResource, to new: NftResource) -> String? {
        switch (old, new) {
        case (.set(let old), .set(let new)) where old.keyType == new.keyType && old.kind == new.kind:
            let kept = Set(old.elements).intersection(new.elements)
            let added = new.elements.filter { !kept.contains($0) }
            let removed = old.elements.filter { !kept.contains($0) }
            let listed = Self.list(added.map { "+\($0)" }) + Self.list(removed.map { "-\($0)" })
            return "~ set \(new.name): +\(added.count) -\(removed.count) (\(listed.joined(separator: ", ")))"
        case (.chain(let old), .chain(let new)) where old.hook == new.hook:
            let oldComments = Set(old.rules.map(\.comment)), newComments = Set(new.rules.map(\.comment))
            let added = new.rules.filter { !oldComments.contains($0.comment) }.map { "+\(Self.ruleName($0))" }
            let removed = old.rules.filter { !newComments.contains($0.comment) }.map { "-\(Self.ruleName($0))" }
            let listed = Self.list(added) + Self.list(removed)
            let detail = listed.isEmpty ? "reordered" : listed.joined(separator: ", ")
            return "~ chain \(new.name): \(old.rules.count) rules -> \(new.rules.count) (\(detail))"
        default:
            return nil
        }
    }

    private static func list(_ items: [String]) -> [String] {
        items.count > shown ? Array(items.prefix(shown)) + ["…"] : items
    }

    /// A rule's id (the comment's first word), or its handle when it has no comment.
    private static func ruleName(_ entry: NftRuleEntry) -> String {
        if let rule = entry.rule { return rule.id }
        if let id = entry.comment.split(separator: " ").first { return String(id) }
        return "handle \(entry.handle.map(String.init) ?? "?")"
    }
}
