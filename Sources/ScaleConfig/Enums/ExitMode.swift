/// How a flow uses several exit paths (`exit_mode` of users, proxies, rules, WireGuard peers).
public enum ExitMode: String, ConfigEnum {
    /// Plain: the first path, the others raced as failover. Spelled `""` or `"direct"` (DECISIONS #18).
    case direct = ""
    /// Adaptive choice of the best path.
    case quality
    /// Multi-path bonding; every path must end at the same node.
    case aggregate

    /// `direct` (seed spelling) and the v1.3 names `stability` and `speed`.
    public static var aliases: [String: ExitMode] {
        ["direct": .direct, "stability": .quality, "speed": .aggregate]
    }

    /// v1.3 compat: `stability` and `speed` are older names of `quality` and `aggregate`.
    public static var legacySpellings: Set<String> { ["stability", "speed"] }
}
