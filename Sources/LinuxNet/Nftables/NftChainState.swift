/// A chain as the reconciler compares it: name, hook, and its rules by comment.
///
/// Rules are compared by the comment hy2scale writes (id + fingerprint), not by decoding their
/// expressions: a rule added by hand has no such comment, and a rule edited by hand loses or
/// changes it, so either shows up as drift and the chain's rules are rewritten.
public struct NftChainState: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let hook: NftChain.BaseHook?
    /// In kernel order.
    public let rules: [NftRuleEntry]

    public init(name: String, hook: NftChain.BaseHook?, rules: [NftRuleEntry]) {
        self.name = name
        self.hook = hook
        self.rules = rules
    }

    /// `chain prerouting (type filter hook prerouting priority -150; policy accept; 2 rules)`.
    public var description: String {
        "chain \(name) (\(NftChain.headerText(hook)); \(rules.count) rule\(rules.count == 1 ? "" : "s"))"
    }
}

/// One rule of a chain: the comment that identifies it, plus what only one side knows.
///
/// Equality and hashing look at the comment alone: a desired entry carries the rule to write,
/// an observed one the kernel handle to delete it by, and neither makes two rules differ.
public struct NftRuleEntry: Hashable, Sendable, CustomStringConvertible {
    /// `<id> <fingerprint>` for rules hy2scale wrote; whatever else (often empty) for others.
    public let comment: String
    /// The rule to write (desired entries only).
    public let rule: NftRule?
    /// The kernel's handle (observed entries only).
    public let handle: UInt64?

    public init(comment: String, rule: NftRule? = nil, handle: UInt64? = nil) {
        self.comment = comment
        self.rule = rule
        self.handle = handle
    }

    public static func == (lhs: NftRuleEntry, rhs: NftRuleEntry) -> Bool { lhs.comment == rhs.comment }
    public func hash(into hasher: inout Hasher) { hasher.combine(comment) }

    /// The rule's nft text when known, else its comment.
    public var description: String {
        if let rule { return rule.description }
        return comment.isEmpty ? "rule without comment (handle \(handle.map(String.init) ?? "?"))" : "rule \(comment) (handle \(handle.map(String.init) ?? "?"))"
    }
}
