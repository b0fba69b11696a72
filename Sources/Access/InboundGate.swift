package import Foundation
public import Logging
public import NodeState
public import Routing
package import Synchronization

/// What every inbound shares (DESIGN invariant 7): the access policy in force, authentication,
/// the router, and the one place where flows are admitted, counted, and ended.
///
/// Kicking, disabling or deleting a user, changing their credentials, a used-up quota and a
/// passed expiry end live flows at once (DECISIONS #10).
public final class InboundGate: Sendable {
    public let router: any FlowRouter
    public let logger: Logger
    package let counters: any TrafficLedger
    package let registry = SessionRegistry()
    /// The sockets the inbounds have bound; every listener that admits flows here records itself.
    public let listeners: BoundListeners
    /// The policy in force, how many policies were installed before it, and whether one is
    /// installed at all (an empty policy can be in force or merely the starting state).
    private let current: Mutex<(policy: AccessPolicy, generation: UInt64, isInstalled: Bool)>
    private let nextFlowID = Atomic<UInt64>(1)
    private let clock: @Sendable () -> Int64
    /// Told when a user may have stopped (or started again) being admitted: flows ended by a
    /// kick, a used-up quota or a policy change, or a kick's block running out. The VPN
    /// engines' peers follow their users' state, so the node reconciles then.
    private let admissionsChanged: @Sendable () -> Void

    /// - Parameters:
    ///   - listeners: where bound sockets are recorded; shared with the admin API's status.
    ///   - now: seconds since 1970 UTC; the system clock unless a test injects its own.
    ///   - admissionsChanged: see ``admitsNow(username:inbound:)``.
    public init(router: any FlowRouter, counters: any TrafficLedger, logger: Logger,
                listeners: BoundListeners = BoundListeners(), now: (@Sendable () -> Int64)? = nil,
                admissionsChanged: @escaping @Sendable () -> Void = {}) {
        self.router = router
        self.admissionsChanged = admissionsChanged
        self.listeners = listeners
        self.counters = counters
        self.logger = logger
        self.clock = now ?? { Int64(Date().timeIntervalSince1970) }
        current = Mutex((.empty, 0, false))
    }

    /// The time the gate reads for expiry and sessions, in seconds since 1970 UTC: the `now`
    /// it was given, else the system clock.
    public var now: Int64 { clock() }

    public var policy: AccessPolicy { current.withLock { $0.policy } }

    /// The policy in force with a number that changes whenever a policy is installed, so a cache
    /// derived from it (Shadowsocks keys) can tell it is stale without comparing users.
    package var versionedPolicy: (policy: AccessPolicy, generation: UInt64) { current.withLock { ($0.policy, $0.generation) } }

    /// The policy a reconcile put in force; `nil` before the first one and after ``uninstall()``.
    public var installedPolicy: AccessPolicy? { current.withLock { $0.isInstalled ? $0.policy : nil } }

    /// Puts `policy` in force and ends the flows it no longer allows.
    public func install(_ policy: AccessPolicy) {
        current.withLock { $0 = (policy, $0.generation + 1, true) }
        enforce(policy)
    }

    /// Nobody may log in any more; every user's flows end.
    public func uninstall() {
        current.withLock { $0 = (.empty, $0.generation + 1, false) }
        enforce(.empty)
    }

    /// Checks a username and password for `inbound`, including the quota.
    public func authenticate(username: String, password: String, for inbound: InboundKind) -> Result<Account, AuthRefusal> {
        policy.authenticate(username: username, password: password, for: inbound, at: clock()).flatMap(checkQuota)
    }

    /// Checks a Hysteria 2 user credential (`username:password` or a hy2 password), including the quota.
    public func authenticate(hysteriaCredential credential: String) -> Result<Account, AuthRefusal> {
        policy.authenticate(hysteriaCredential: credential, at: clock()).flatMap(checkQuota)
    }

    /// Whether an account identified by other means (a Shadowsocks key) may log in now.
    public func check(_ account: Account, for inbound: InboundKind) -> Result<Account, AuthRefusal> {
        policy.check(account, for: inbound, at: clock()).flatMap(checkQuota)
    }

    private func checkQuota(_ account: Account) -> Result<Account, AuthRefusal> {
        account.isOverQuota(used: counters.used(by: account.id)) ? .failure(.overQuota) : .success(account)
    }

    /// Whether user `username` may have flows of `inbound` now: the user exists, is enabled, has
    /// not expired, may use `inbound`, has quota left and no device of theirs on `inbound` is
    /// blocked after a kick. What a VPN peer linked to the user is kept on its device by.
    public func admitsNow(username: String, inbound: InboundKind) -> Bool {
        guard let account = policy.account(username: username), case .success = check(account, for: inbound) else { return false }
        return !registry.isBlocked(username: username, inbound: inbound, at: clock())
    }

    /// Registers a flow of `identity`; refused while its device is blocked after a kick.
    public func admit(_ identity: Identity, account: Account?, listenerKey: String) throws(AuthRefusal) -> FlowTicket {
        let ticket = FlowTicket(
            id: nextFlowID.add(1, ordering: .relaxed).oldValue, identity: identity, account: account,
            listenerKey: listenerKey,
            onBytes: { [weak self] ticket, up, down in self?.count(ticket, up: up, down: down) },
            onFinish: { [weak self] ticket in self?.registry.unregister(ticket) })
        try registry.register(ticket, at: clock())
        return ticket
    }

    /// The data-path call, once per read: no policy lookup for a flow admitted without a quota
    /// (a quota added later reaches it through ``enforceLimits()`` within a second).
    private func count(_ ticket: FlowTicket, up: UInt64, down: UInt64) {
        guard let admitted = ticket.account else { return }
        let id = admitted.id
        counters.add(user: id, up: up, down: down)
        guard admitted.quotaBytes > 0, let account = policy.account(id: id), account.quotaBytes > 0,
              account.isOverQuota(used: counters.used(by: id)) else { return }
        logger.notice("traffic quota used up; ending the user's flows", metadata: ["user": "\(account.username)"])
        registry.end { $0.account?.id == id }
        admissionsChanged()
    }

    /// Live devices.
    public func sessions() -> [DeviceSnapshot] { registry.devices() }

    /// Flows admitted and not ended yet (a Hysteria 2 connection counts once).
    public var liveFlowCount: Int { registry.flowCount }

    /// The most flows there were at once since the last call; see ``liveFlowCount``.
    public func takeFlowHighWater() -> Int { registry.takeHighWater() }

    /// Ends a device's flows and refuses it for 60 s; false when it has no live flow.
    public func kick(sessionKey: String) -> Bool {
        let kicked = registry.kick(key: sessionKey, at: clock())
        if kicked {
            logger.notice("session kicked", metadata: ["session": "\(sessionKey)"])
            admissionsChanged()
        }
        return kicked
    }

    /// Ends the flows a listener admitted (the listener was removed).
    public func endFlows(ofListener key: String) {
        registry.end { $0.listenerKey == key }
    }

    /// Ends flows whose user expired or ran out of quota since they started; called every second.
    public func enforceLimits() {
        let ended = enforce(policy)
        let unblocked = registry.pruneBlocks(at: clock())
        if ended > 0 || unblocked > 0 { admissionsChanged() }
    }

    /// Ends the flows `policy` no longer admits; returns how many.
    @discardableResult
    private func enforce(_ policy: AccessPolicy) -> Int {
        let now = clock()
        return registry.end { flow in
            guard let old = flow.account else { return false }
            guard let account = policy.account(id: old.id) else { return true }  // deleted
            if account.revokes(old) { return true }
            if case .failure = policy.check(account, for: flow.identity.inbound, at: now) { return true }
            return account.isOverQuota(used: counters.used(by: account.id))
        }
    }
}
