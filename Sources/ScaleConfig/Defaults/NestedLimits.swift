/// The nested-discovery limits in effect: each `max_*` key with 0 (or less) replaced by its
/// default and values above the cap clamped (reference-api §2.1, §2.15).
public struct NestedLimits: Sendable, Equatable {
    /// Cap of `max_nested_depth`.
    public static let depthCap = 10
    /// Cap of `max_response_nodes`.
    public static let responseNodesCap = 65536
    /// Cap of `max_cache_entries`.
    public static let cacheEntriesCap = 100_000
    /// Cap of `max_response_bytes`.
    public static let responseBytesCap = 16 * 1024 * 1024
    /// Cap of `max_fetch_fan_out`.
    public static let fetchFanOutCap = 64

    /// Nested discovery depth; default 5.
    public var depth: Int
    /// Nodes in one list-peers response; default 1024.
    public var responseNodes: Int
    /// Qualified keys in the sub-peer cache; default 5000.
    public var cacheEntries: Int
    /// Bytes of a peer's list-peers payload; default 1 MiB.
    public var responseBytes: Int
    /// Concurrent sub-peer fetches; default 8.
    public var fetchFanOut: Int

    /// The limits of a config, defaulted and clamped.
    public init(_ config: Config) {
        func effective(_ value: Int, default fallback: Int, cap: Int) -> Int {
            value <= 0 ? fallback : min(value, cap)
        }
        depth = effective(config.maxNestedDepth, default: 5, cap: Self.depthCap)
        responseNodes = effective(config.maxResponseNodes, default: 1024, cap: Self.responseNodesCap)
        cacheEntries = effective(config.maxCacheEntries, default: 5000, cap: Self.cacheEntriesCap)
        responseBytes = effective(config.maxResponseBytes, default: 1024 * 1024, cap: Self.responseBytesCap)
        fetchFanOut = effective(config.maxFetchFanOut, default: 8, cap: Self.fetchFanOutCap)
    }
}
