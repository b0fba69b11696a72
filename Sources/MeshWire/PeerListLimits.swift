/// The bounds a list-peers consumer holds an answer to (§3.6, §11; reference-api.md
/// `max_response_bytes`, `max_nested_depth`, `max_response_nodes`). `max_cache_entries` bounds
/// the consumer's cache, not one answer, so it is not here.
public struct PeerListLimits: Hashable, Sendable {
    /// `max_response_bytes`: the largest body accepted; one byte more is refused. 1...16 MiB.
    public let maximumBytes: Int
    /// `max_nested_depth`: top-level entries are level 1 and each `children` array adds one;
    /// the deepest entry may be at this level. 1...10.
    public let maximumDepth: Int
    /// `max_response_nodes`: entries at every level, counted together. 1...65536.
    public let maximumNodes: Int

    /// Limits as the reference's config applies them: 0 or less means the default, and a value
    /// above the hard cap is clamped to it (reference-api.md, "0 → default, clamp").
    public init(maximumBytes: Int = 0, maximumDepth: Int = 0, maximumNodes: Int = 0) {
        self.maximumBytes = Self.effective(maximumBytes, MeshWireLimits.defaultPeerListBytes, MeshWireLimits.peerListBytesCap)
        self.maximumDepth = Self.effective(maximumDepth, MeshWireLimits.defaultNestedDepth, MeshWireLimits.nestedDepthCap)
        self.maximumNodes = Self.effective(maximumNodes, MeshWireLimits.defaultPeerListNodes, MeshWireLimits.peerListNodesCap)
    }

    /// 1 MiB, depth 5, 1024 entries.
    public static let `default` = PeerListLimits()

    /// How deep the JSON text may nest before it reaches a decoder: the array, each entry's
    /// object and each `children` array take one level apiece, and two spare levels let an
    /// unknown key hold a small object (v1.3 ignores unknown keys). The exact depth rule is
    /// checked on the decoded entries.
    public var jsonNestingLimit: Int { 2 * maximumDepth + 2 + 2 }

    private static func effective(_ value: Int, _ fallback: Int, _ cap: Int) -> Int {
        value <= 0 ? fallback : min(value, cap)
    }
}
