/// A client account shared by every inbound protocol (`users[]`).
///
/// The quota is held in bytes whichever key the file used; ``quotaSpelling`` and
/// ``expirySpelling`` remember the key so that an edit writes the same one back.
public struct User: Codable, Sendable, Hashable {
    /// Bytes in one GiB, the unit of `traffic_limit_gb`.
    public static let bytesPerGiB: Int64 = 1 << 30

    /// Stable id used in API URLs. Required.
    public var id: String
    /// Login name (case-sensitive). Required.
    public var username: String
    /// Main password. Secret. Required.
    public var password: String
    /// Per-protocol passwords keyed by `hy2` or `ss`; an empty value means the main password. Secret.
    public var protocolPasswords: [String: String]
    /// Raw protocol keys this user may not use; see ``ProtocolKey``.
    public var disabledProtocols: [String]
    /// Primary exit path (§7); empty egresses locally.
    public var exitVia: String
    /// Ordered alternative exit paths.
    public var exitPaths: [String]
    /// Raw exit mode; see ``ExitMode``.
    public var exitMode: String
    /// Raw fallback when the exit cannot be reached; see ``ExitFallback``.
    public var fallback: String
    /// Traffic quota in bytes; 0 means unlimited.
    public var trafficLimitBytes: Int64
    /// The key the quota was read from.
    public var quotaSpelling: QuotaSpelling
    /// Expiry as written: RFC 3339 or `YYYY-MM-DD`; empty means never.
    public var expiry: String
    /// The key the expiry was read from.
    public var expirySpelling: ExpirySpelling
    /// Disabled users cannot authenticate. v1.3 compat: false when the key is absent.
    public var isEnabled: Bool
    /// v1.3 `traffic_used` found in the file; it belongs in the state directory (DECISIONS #1)
    /// and is never encoded.
    public var legacyTrafficUsed: Int64?
    /// Alias keys that were present next to their canonical key and therefore ignored.
    public var shadowedAliasKeys: [String]

    /// A user; unspecified fields are zero.
    public init(
        id: String = "", username: String = "", password: String = "",
        protocolPasswords: [String: String] = [:], disabledProtocols: [String] = [],
        exitVia: String = "", exitPaths: [String] = [], exitMode: String = "", fallback: String = "",
        trafficLimitBytes: Int64 = 0, quotaSpelling: QuotaSpelling = .gibibytes,
        expiry: String = "", expirySpelling: ExpirySpelling = .expiry, isEnabled: Bool = false,
        legacyTrafficUsed: Int64? = nil, shadowedAliasKeys: [String] = []
    ) {
        self.id = id
        self.username = username
        self.password = password
        self.protocolPasswords = protocolPasswords
        self.disabledProtocols = disabledProtocols
        self.exitVia = exitVia
        self.exitPaths = exitPaths
        self.exitMode = exitMode
        self.fallback = fallback
        self.trafficLimitBytes = trafficLimitBytes
        self.quotaSpelling = quotaSpelling
        self.expiry = expiry
        self.expirySpelling = expirySpelling
        self.isEnabled = isEnabled
        self.legacyTrafficUsed = legacyTrafficUsed
        self.shadowedAliasKeys = shadowedAliasKeys
    }

    enum CodingKeys: String, CodingKey {
        case id, username, password
        case protocolPasswords = "proxy_passwords"
        case disabledProtocols = "proxy_disabled"
        case exitVia = "exit_via"
        case exitPaths = "exit_paths"
        case exitMode = "exit_mode"
        case fallback
        case trafficLimitGiB = "traffic_limit_gb"
        case trafficLimit = "traffic_limit"
        case trafficUsed = "traffic_used"
        case expiry
        case expiryDate = "expiry_date"
        case isEnabled = "enabled"
    }

    /// Decodes a `users[]` entry, accepting the v1.3 aliases `traffic_limit` and `expiry_date`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when `traffic_limit_gb` is not finite or does not
    ///   fit in 64-bit bytes; a type mismatch as usual. An absent key is never an error.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.value(.id, or: "")
        username = try c.value(.username, or: "")
        password = try c.value(.password, or: "")
        protocolPasswords = try c.value(.protocolPasswords, or: [:])
        disabledProtocols = try c.value(.disabledProtocols, or: [])
        exitVia = try c.value(.exitVia, or: "")
        exitPaths = try c.value(.exitPaths, or: [])
        exitMode = try c.value(.exitMode, or: "")
        fallback = try c.value(.fallback, or: "")
        isEnabled = try c.value(.isEnabled, or: false)
        legacyTrafficUsed = try c.decodeIfPresent(Int64.self, forKey: .trafficUsed)
        shadowedAliasKeys = []

        // DECISIONS #2: the canonical key wins; the alias is consulted either way.
        let gib = try c.decodeIfPresent(Double.self, forKey: .trafficLimitGiB)
        let bytes = try c.decodeIfPresent(Int64.self, forKey: .trafficLimit)
        if let gib {
            let scaled = gib * Double(Self.bytesPerGiB)
            guard scaled.isFinite, abs(scaled) < 9.2e18 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .trafficLimitGiB, in: c,
                    debugDescription: "\(gib) is not a usable quota; use a number of GiB up to 8589934591")
            }
            trafficLimitBytes = Int64(scaled.rounded())
            quotaSpelling = .gibibytes
            if bytes != nil { shadowedAliasKeys.append(CodingKeys.trafficLimit.rawValue) }
        } else if let bytes {
            trafficLimitBytes = bytes
            quotaSpelling = .bytes
        } else {
            trafficLimitBytes = 0
            quotaSpelling = .gibibytes
        }

        let canonicalExpiry = try c.decodeIfPresent(String.self, forKey: .expiry)
        let legacyExpiry = try c.decodeIfPresent(String.self, forKey: .expiryDate)
        if let canonicalExpiry {
            expiry = canonicalExpiry
            expirySpelling = .expiry
            if legacyExpiry != nil { shadowedAliasKeys.append(CodingKeys.expiryDate.rawValue) }
        } else if let legacyExpiry {
            expiry = legacyExpiry
            expirySpelling = .expiryDate
        } else {
            expiry = ""
            expirySpelling = .expiry
        }
    }

    /// Encodes canonical keys only: `traffic_limit_gb` and `expiry`, never `traffic_used`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(username, forKey: .username)
        try c.encode(password, forKey: .password)
        if !protocolPasswords.isEmpty { try c.encode(protocolPasswords, forKey: .protocolPasswords) }
        if !disabledProtocols.isEmpty { try c.encode(disabledProtocols, forKey: .disabledProtocols) }
        try c.encode(exitVia, forKey: .exitVia)
        if !exitPaths.isEmpty { try c.encode(exitPaths, forKey: .exitPaths) }
        if !exitMode.isEmpty { try c.encode(exitMode, forKey: .exitMode) }
        if !fallback.isEmpty { try c.encode(fallback, forKey: .fallback) }
        try c.encode(trafficLimitGiB, forKey: .trafficLimitGiB)
        try c.encode(expiry, forKey: .expiry)
        try c.encode(isEnabled, forKey: .isEnabled)
    }

    /// The quota in GiB, as written under `traffic_limit_gb`; exact for byte counts below 2^53.
    public var trafficLimitGiB: Double { Double(trafficLimitBytes) / Double(Self.bytesPerGiB) }

    /// The YAML key this entry uses for its quota.
    public var quotaKey: String {
        switch quotaSpelling {
        case .gibibytes: CodingKeys.trafficLimitGiB.rawValue
        case .bytes: CodingKeys.trafficLimit.rawValue
        }
    }

    /// The YAML key this entry uses for its expiry.
    public var expiryKey: String {
        switch expirySpelling {
        case .expiry: CodingKeys.expiry.rawValue
        case .expiryDate: CodingKeys.expiryDate.rawValue
        }
    }

    /// The instant the account expires, in seconds since 1970 UTC; `nil` when it never expires
    /// or ``expiry`` does not parse (validation reports the latter).
    ///
    /// v1.3 compat: a bare date expires at 00:00 UTC at the start of that day.
    public var expiryInstant: Int64? {
        expiry.isEmpty ? nil : ExpiryDate.parse(expiry)?.secondsSinceEpoch
    }

    /// The password `key`'s protocol takes: its own (`proxy_passwords`), else the main one.
    public func password(for key: PasswordProtocolKey) -> String {
        let own = protocolPasswords[key.rawValue] ?? ""
        return own.isEmpty ? password : own
    }

    /// Whether the account has expired at `now` (seconds since 1970 UTC).
    public func hasExpired(at now: Int64) -> Bool {
        guard let instant = expiryInstant else { return false }
        return now >= instant
    }
}

extension User: CustomStringConvertible {
    /// A summary without passwords.
    public var description: String {
        "User(id: \"\(id)\", username: \"\(username)\", password: <redacted>, enabled: \(isEnabled))"
    }
}
