/// The users index every inbound authenticates against; built from the config in force and
/// swapped as a whole by a reconcile.
public struct AccessPolicy: Hashable, Sendable {
    /// Enabled and disabled accounts in config order.
    public let accounts: [Account]
    private let byUsername: [String: Int]
    private let byID: [String: Int]
    /// The first account (in config order) with each effective Hysteria 2 password, so a
    /// password-only login costs one look-up at any number of users. The hash of a lookup says
    /// nothing useful about the stored passwords (Swift's hashing is seeded per process); the
    /// comparison that decides is still constant-time.
    private let byHy2Password: [String: Int]
    /// Account ids that share their effective password with another enabled account, per
    /// password-only inbound; they cannot log in there (reference §0.2).
    public let conflicted: [InboundKind: Set<String>]
    /// Per password-only inbound, the positions of accounts, enabled or not, that have the
    /// same password as another: what `conflicted` is made from when only the enabled flags
    /// changed.
    private let sharingPasswords: [InboundKind: [[Int]]]
    /// Whether users (not only peers) may log in to the Hysteria 2 server (DECISIONS #8).
    public let usersMayUseHy2: Bool
    /// How many accounts are enabled.
    public let enabledCount: Int

    /// Nobody may log in.
    public static let empty = AccessPolicy(accounts: [], usersMayUseHy2: false)

    public init(accounts: [Account], usersMayUseHy2: Bool) {
        self.init(accounts: accounts, usersMayUseHy2: usersMayUseHy2, reusingIndexesOf: nil)
    }

    /// The policy of `accounts`, taking the look-up indexes from `earlier` when every account
    /// has the username, id and Hysteria 2 password it had there, at the same place (a toggle, a
    /// quota or an expiry changed): a reconcile of 100,000 users then rebuilds only what the
    /// enabled accounts decide.
    public init(accounts: [Account], usersMayUseHy2: Bool, reusingIndexesOf earlier: AccessPolicy?) {
        self.accounts = accounts
        self.usersMayUseHy2 = usersMayUseHy2
        if let earlier, earlier.accounts.count == accounts.count, zip(earlier.accounts, accounts).allSatisfy({
            $0.username == $1.username && $0.id == $1.id && $0.hy2Password == $1.hy2Password
                && $0.shadowsocksPassword == $1.shadowsocksPassword
        }) {
            byUsername = earlier.byUsername
            byID = earlier.byID
            byHy2Password = earlier.byHy2Password
            sharingPasswords = earlier.sharingPasswords
        } else {
            // Filled from the last account back, so the first in config order wins a shared key.
            var byUsername: [String: Int] = [:], byID: [String: Int] = [:], byHy2Password: [String: Int] = [:]
            byUsername.reserveCapacity(accounts.count)
            byID.reserveCapacity(accounts.count)
            byHy2Password.reserveCapacity(accounts.count)
            for (i, account) in accounts.enumerated().reversed() {
                byUsername[account.username] = i
                byID[account.id] = i
                byHy2Password[account.hy2Password] = i
            }
            self.byUsername = byUsername
            self.byID = byID
            self.byHy2Password = byHy2Password
            sharingPasswords = [.hy2: Self.sharing(accounts.map(\.hy2Password)),
                                .ss: Self.sharing(accounts.map(\.shadowsocksPassword))]
        }
        conflicted = sharingPasswords.mapValues { groups in
            var ids: Set<String> = []
            for group in groups {
                let enabled = group.filter { accounts[$0].isEnabled }
                if enabled.count > 1 { ids.formUnion(enabled.map { accounts[$0].id }) }
            }
            return ids
        }
        enabledCount = accounts.reduce(0) { $0 + ($1.isEnabled ? 1 : 0) }
    }

    /// The groups of positions whose passwords are the same, for the passwords more than one has.
    private static func sharing(_ passwords: [String]) -> [[Int]] {
        var last: [String: Int] = [:]
        last.reserveCapacity(passwords.count)
        var next: [Int: Int] = [:]  // a position -> the next one with the same password
        for (i, password) in passwords.enumerated() {
            if let previous = last.updateValue(i, forKey: password) { next[previous] = i }
        }
        let followers = Set(next.values)
        return next.keys.filter { !followers.contains($0) }.sorted().map { start in
            var group = [start], at = start
            while let following = next[at] {
                group.append(following)
                at = following
            }
            return group
        }
    }

    /// Policies are the same when their accounts are: everything else is derived from them.
    public static func == (lhs: AccessPolicy, rhs: AccessPolicy) -> Bool {
        lhs.usersMayUseHy2 == rhs.usersMayUseHy2 && lhs.accounts == rhs.accounts
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(usersMayUseHy2)
        hasher.combine(accounts)
    }

    public func account(id: String) -> Account? { byID[id].map { accounts[$0] } }

    public func account(username: String) -> Account? { byUsername[username].map { accounts[$0] } }

    /// Checks a username and main password for `inbound` at `now` (reference §0.2 order: exists,
    /// password, enabled, inbound allowed, expiry). Quota is the caller's, who knows the usage.
    public func authenticate(username: String, password: String, for inbound: InboundKind,
                             at now: Int64) -> Result<Account, AuthRefusal> {
        guard let account = account(username: username) else { return .failure(.unknownUser) }
        guard constantTimeEqual(account.password, password) else { return .failure(.wrongPassword) }
        return check(account, for: inbound, at: now)
    }

    /// Checks a Hysteria 2 credential at `now` (DECISIONS #8): `username:password` with the main
    /// password, else the whole text as a user's effective hy2 password. Whether users may use
    /// hy2 at all (`usersMayUseHy2`) is the caller's, who also knows the node password.
    public func authenticate(hysteriaCredential credential: String, at now: Int64) -> Result<Account, AuthRefusal> {
        if let colon = credential.firstIndex(of: ":") {
            let named = authenticate(username: String(credential[..<colon]),
                                     password: String(credential[credential.index(after: colon)...]), for: .hy2, at: now)
            switch named {
            case .failure(.unknownUser), .failure(.wrongPassword): break  // a password may contain ':'
            default: return named
            }
        }
        guard let account = byHy2Password[credential].map({ accounts[$0] }), constantTimeEqual(account.hy2Password, credential) else {
            return .failure(.wrongPassword)
        }
        return check(account, for: .hy2, at: now)
    }

    /// Whether `account` may log in on `inbound` at `now`, credentials aside.
    public func check(_ account: Account, for inbound: InboundKind, at now: Int64) -> Result<Account, AuthRefusal> {
        guard account.isEnabled else { return .failure(.disabled) }
        guard account.admits(inbound) else { return .failure(.inboundDisabled) }
        guard !(conflicted[inbound]?.contains(account.id) ?? false) else { return .failure(.passwordShared) }
        guard !account.hasExpired(at: now) else { return .failure(.expired) }
        return .success(account)
    }

    /// The accounts that may be tried on a password-only inbound, in config order.
    public func candidates(for inbound: InboundKind) -> [Account] {
        accounts.filter { $0.admits(inbound) && !(conflicted[inbound]?.contains($0.id) ?? false) }
    }
}

/// Why a login was refused; for logs only, a client is never told which.
public enum AuthRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownUser, wrongPassword, disabled, inboundDisabled, passwordShared, expired, overQuota, blocked

    public var description: String {
        switch self {
        case .unknownUser: "unknown user"
        case .wrongPassword: "wrong password"
        case .disabled: "user disabled"
        case .inboundDisabled: "protocol disabled for this user"
        case .passwordShared: "password shared with another user on this protocol"
        case .expired: "user expired"
        case .overQuota: "traffic quota used up"
        case .blocked: "device kicked less than 60 s ago"
        }
    }
}

/// Compares secrets in time independent of where they differ.
public func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    var difference = UInt8(x.count == y.count ? 0 : 1)
    for i in 0..<max(x.count, y.count) {
        difference |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
    }
    return difference == 0
}
