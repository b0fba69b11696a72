public import Routing
public import ScaleConfig

extension AccessPolicy {
    /// The users of `config`, with whether users may log in to the Hysteria 2 server.
    public init(config: Config) {
        self.init(accounts: config.users.map(Account.init), usersMayUseHy2: config.allowsUsersOnHy2)
    }
}

extension Account {
    /// The account of one `users[]` entry.
    public init(_ user: User) {
        self.init(id: user.id, username: user.username, password: user.password,
                  hy2Password: user.password(for: .hy2), shadowsocksPassword: user.password(for: .ss),
                  disabledInbounds: Set(user.disabledProtocols), isEnabled: user.isEnabled,
                  quotaBytes: user.trafficLimitBytes, expiresAt: user.expiryInstant,
                  exit: ExitRoute(via: user.exitVia, paths: user.exitPaths, mode: user.exitMode, fallback: user.fallback))
    }
}

extension ExitRoute {
    /// The route of config fields: `exit_paths` when present (its first entry is `exit_via`),
    /// otherwise `exit_via`. Spellings were validated; an unknown one reads as the default.
    public init(via: String, paths: [String], mode: String, fallback: String = "") {
        self.init(paths: paths.isEmpty ? [via] : paths,
                  mode: Mode(ExitMode(spelling: mode) ?? .direct),
                  fallback: ExitFallback(spelling: fallback) == .direct ? .direct : .none)
    }
}

extension ExitRoute.Mode {
    /// The data plane's name for a config `exit_mode`.
    public init(_ mode: ExitMode) {
        switch mode {
        case .direct: self = .direct
        case .quality: self = .quality
        case .aggregate: self = .aggregate
        }
    }
}
