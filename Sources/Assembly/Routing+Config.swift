public import Routing
public import ScaleConfig
import Synchronization

extension AccessPolicy {
    /// The users of `config`, with whether users may log in to the Hysteria 2 server.
    public init(config: Config) {
        self.init(accounts: config.users.map(Account.init), usersMayUseHy2: config.allowsUsersOnHy2)
    }
}

/// The access policy of the config in force, made from the last one: the users unchanged before
/// and after the changed ones keep their accounts (an edit of one user of 100,000 converts one),
/// and a config whose users did not change at all keeps the whole policy.
public final class AccessPolicies: Sendable {
    private let last = Mutex<(users: [User], policy: AccessPolicy)?>(nil)

    public init() {}

    /// `AccessPolicy(config:)`, from the last one where the users are the same.
    public func policy(for config: Config) -> AccessPolicy {
        let usersMayUseHy2 = config.allowsUsersOnHy2
        let earlier = last.withLock { $0 }
        var accounts: [Account]
        if let earlier {
            let (old, new) = (earlier.users, config.users)
            // The users the same at the start and at the end keep their accounts.
            var prefix = 0
            while prefix < min(old.count, new.count), old[prefix] == new[prefix] { prefix += 1 }
            var suffix = 0
            while suffix < min(old.count, new.count) - prefix, old[old.count - 1 - suffix] == new[new.count - 1 - suffix] {
                suffix += 1
            }
            if prefix == old.count, old.count == new.count, earlier.policy.usersMayUseHy2 == usersMayUseHy2 {
                return earlier.policy
            }
            accounts = earlier.policy.accounts
            accounts.replaceSubrange(prefix..<old.count - suffix, with: new[prefix..<new.count - suffix].map(Account.init))
        } else {
            accounts = config.users.map(Account.init)
        }
        let policy = AccessPolicy(accounts: accounts, usersMayUseHy2: usersMayUseHy2, reusingIndexesOf: earlier?.policy)
        last.withLock { $0 = (config.users, policy) }
        return policy
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
