/// A user as the data plane sees it: credentials, limits and exit, from one `users[]` entry.
public struct Account: Hashable, Sendable, CustomStringConvertible {
    public var id: String
    public var username: String
    /// The main password: SOCKS5, HTTP, L2TP, IKEv2 (reference §0.2).
    public var password: String
    /// The effective Hysteria 2 password (`proxy_passwords.hy2`, else the main one).
    public var hy2Password: String
    /// The effective Shadowsocks password (`proxy_passwords.ss`, else the main one).
    public var shadowsocksPassword: String
    public var disabledInbounds: Set<String>
    public var isEnabled: Bool
    /// Bytes up and down together; 0 means unlimited.
    public var quotaBytes: Int64
    /// Seconds since 1970 UTC at which access ends; `nil` for never.
    public var expiresAt: Int64?
    public var exit: ExitRoute

    public init(id: String, username: String, password: String, hy2Password: String, shadowsocksPassword: String,
                disabledInbounds: Set<String> = [], isEnabled: Bool = true, quotaBytes: Int64 = 0,
                expiresAt: Int64? = nil, exit: ExitRoute = .direct) {
        self.id = id
        self.username = username
        self.password = password
        self.hy2Password = hy2Password
        self.shadowsocksPassword = shadowsocksPassword
        self.disabledInbounds = disabledInbounds
        self.isEnabled = isEnabled
        self.quotaBytes = max(0, quotaBytes)
        self.expiresAt = expiresAt
        self.exit = exit
    }

    /// Whether the account may use `inbound` at all (enabled, not barred from it).
    public func admits(_ inbound: InboundKind) -> Bool {
        isEnabled && !disabledInbounds.contains(inbound.rawValue)
    }

    public func hasExpired(at now: Int64) -> Bool { expiresAt.map { now >= $0 } ?? false }

    public func isOverQuota(used: UInt64) -> Bool { quotaBytes > 0 && used >= UInt64(quotaBytes) }

    /// Whether a live flow admitted under `old` must end now that the account reads `self`:
    /// the credentials, the name or the allowed inbounds changed (reference §0.2), or it was
    /// disabled (DECISIONS #10).
    public func revokes(_ old: Account) -> Bool {
        username != old.username || password != old.password || hy2Password != old.hy2Password
            || shadowsocksPassword != old.shadowsocksPassword || disabledInbounds != old.disabledInbounds
            || !isEnabled
    }

    public var description: String { "Account(\(username), id \(id), password <redacted>)" }
}
