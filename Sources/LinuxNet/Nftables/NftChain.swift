/// A chain of hy2scale's table: a base chain attached to a netfilter hook, or a regular one.
public struct NftChain: Hashable, Sendable, CustomStringConvertible {
    /// A valid ``NftName``; unique within the table.
    public let name: String
    /// `nil` for a regular chain (reached only by jumps).
    public let hook: BaseHook?
    /// In kernel order; ids unique within the chain.
    public let rules: [NftRule]

    /// Where and how a base chain sees packets.
    public struct BaseHook: Hashable, Sendable {
        public var type: ChainType
        public var hook: Hook
        /// Lower runs first: mangle is -150, dstnat -100, filter 0, srcnat 100.
        public var priority: Int32
        public var policy: Policy

        public init(type: ChainType, hook: Hook, priority: Int32, policy: Policy = .accept) {
            self.type = type
            self.hook = hook
            self.priority = priority
            self.policy = policy
        }
    }

    /// The chain types nft knows for the inet family.
    public enum ChainType: String, Hashable, Sendable {
        case filter, route, nat
    }

    /// The netfilter hooks of the inet family, numbered as the kernel numbers them (`NF_INET_*`).
    public enum Hook: UInt32, Hashable, Sendable, CustomStringConvertible {
        case prerouting = 0, input, forward, output, postrouting

        public var description: String {
            switch self {
            case .prerouting: "prerouting"
            case .input: "input"
            case .forward: "forward"
            case .output: "output"
            case .postrouting: "postrouting"
            }
        }
    }

    /// What a base chain does with a packet no rule decided on.
    public enum Policy: String, Hashable, Sendable {
        case accept, drop
    }

    /// A chain; checks its name and that rule ids are unique.
    /// - Throws: ``NftModelError`` for a bad name or a repeated rule id.
    public init(name: String, hook: BaseHook? = nil, rules: [NftRule]) throws(NftModelError) {
        try NftName.validate(name, as: "chain")
        var seen = Set<String>()
        for rule in rules where !seen.insert(rule.id).inserted {
            throw .inconsistent("chain \(name) has two rules with id \(rule.id); rule ids must be unique within a chain")
        }
        self.name = name
        self.hook = hook
        self.rules = rules
    }

    /// `chain prerouting (type filter hook prerouting priority -150; policy accept; 2 rules)`.
    public var description: String { "chain \(name) (\(Self.headerText(hook)); \(rules.count) rule\(rules.count == 1 ? "" : "s"))" }

    /// The hook as nft writes it in a chain body, or `regular`.
    static func headerText(_ hook: BaseHook?) -> String {
        guard let hook else { return "regular" }
        return "type \(hook.type.rawValue) hook \(hook.hook) priority \(hook.priority); policy \(hook.policy.rawValue)"
    }
}
