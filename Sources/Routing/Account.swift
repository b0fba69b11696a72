public import ScaleConfig

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

    public init(_ user: User) {
        id = user.id
        username = user.username
        password = user.password
        hy2Password = Self.effective(user, .hy2)
        shadowsocksPassword = Self.effective(user, .ss)
        disabledInbounds = Set(user.disabledProtocols)
        isEnabled = user.isEnabled
        quotaBytes = max(0, user.trafficLimitBytes)
        expiresAt = user.expiryInstant
        exit = ExitRoute(via: user.exitVia, paths: user.exitPaths, mode: user.exitMode, fallback: user.fallback)
    }

    private static func effective(_ user: User, _ key: PasswordProtocolKey) -> String {
        let own = user.protocolPasswords[key.rawValue] ?? ""
        return own.isEmpty ? user.password : own
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
