/// The internal relay-routed DNS resolver (`dns_resolver`).
public struct DNSResolverConfig: Codable, Sendable, Equatable {
    /// Default positive cache lifetime in seconds.
    public static let defaultCacheTTL = 300
    /// Default negative cache lifetime in seconds.
    public static let defaultNegativeTTL = 30
    /// Default cache capacity in entries.
    public static let defaultCacheSize = 1024
    /// Default per-query timeout in milliseconds.
    public static let defaultQueryTimeoutMilliseconds = 3000
    /// Where the forwarder answers by default: this host only.
    public static let defaultListen = "127.0.0.1:53"

    /// Whether domain rules resolve through their exit; `nil` (absent) means on.
    public var isEnabled: Bool?
    /// Positive cache lifetime in seconds; 0 means 300.
    public var cacheTTL: Int
    /// Failure cache lifetime in seconds; 0 means 30.
    public var negativeTTL: Int
    /// Cache capacity in entries; 0 means 1024.
    public var cacheSize: Int
    /// Per-query timeout in milliseconds; 0 means 3000.
    public var queryTimeoutMilliseconds: Int
    /// Where the forwarder for domain rules answers queries (`host:port`); empty means
    /// 127.0.0.1:53. Point the host's or the LAN's resolver here so answers fill the rules' sets.
    public var listen: String

    /// A resolver section; every field zero means all defaults.
    public init(isEnabled: Bool? = nil, cacheTTL: Int = 0, negativeTTL: Int = 0, cacheSize: Int = 0,
                queryTimeoutMilliseconds: Int = 0, listen: String = "") {
        self.isEnabled = isEnabled
        self.cacheTTL = cacheTTL
        self.negativeTTL = negativeTTL
        self.cacheSize = cacheSize
        self.queryTimeoutMilliseconds = queryTimeoutMilliseconds
        self.listen = listen
    }

    enum CodingKeys: String, CodingKey {
        case isEnabled = "enabled"
        case cacheTTL = "cache_ttl"
        case negativeTTL = "negative_ttl"
        case cacheSize = "cache_size"
        case queryTimeoutMilliseconds = "query_timeout_ms"
        case listen
    }

    /// Decodes a `dns_resolver` section; absent keys are zero.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        isEnabled = try c.decodeIfPresent(Bool.self, forKey: .isEnabled)
        cacheTTL = try c.value(.cacheTTL, or: 0)
        negativeTTL = try c.value(.negativeTTL, or: 0)
        cacheSize = try c.value(.cacheSize, or: 0)
        queryTimeoutMilliseconds = try c.value(.queryTimeoutMilliseconds, or: 0)
        listen = try c.value(.listen, or: "")
    }

    /// Encodes only the keys that differ from zero.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(isEnabled, forKey: .isEnabled)
        if cacheTTL != 0 { try c.encode(cacheTTL, forKey: .cacheTTL) }
        if negativeTTL != 0 { try c.encode(negativeTTL, forKey: .negativeTTL) }
        if cacheSize != 0 { try c.encode(cacheSize, forKey: .cacheSize) }
        if queryTimeoutMilliseconds != 0 { try c.encode(queryTimeoutMilliseconds, forKey: .queryTimeoutMilliseconds) }
        if !listen.isEmpty { try c.encode(listen, forKey: .listen) }
    }

    /// ``listen``, or 127.0.0.1:53 when empty.
    public var effectiveListen: String { listen.isEmpty ? Self.defaultListen : listen }

    /// Whether the resolver is on: true unless `enabled: false` is written.
    public var isEffectivelyEnabled: Bool { isEnabled ?? true }
    /// ``cacheTTL``, or 300 when not positive.
    public var effectiveCacheTTL: Int { cacheTTL > 0 ? cacheTTL : Self.defaultCacheTTL }
    /// ``negativeTTL``, or 30 when not positive.
    public var effectiveNegativeTTL: Int { negativeTTL > 0 ? negativeTTL : Self.defaultNegativeTTL }
    /// ``cacheSize``, or 1024 when not positive.
    public var effectiveCacheSize: Int { cacheSize > 0 ? cacheSize : Self.defaultCacheSize }
    /// ``queryTimeoutMilliseconds``, or 3000 when not positive.
    public var effectiveQueryTimeoutMilliseconds: Int {
        queryTimeoutMilliseconds > 0 ? queryTimeoutMilliseconds : Self.defaultQueryTimeoutMilliseconds
    }
}
