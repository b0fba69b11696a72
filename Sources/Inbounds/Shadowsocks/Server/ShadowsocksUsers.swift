import Access
import Shadowsocks
import Logging
import Routing
import Synchronization

/// The keys of the users who may use Shadowsocks, in policy order, derived once per policy and
/// method and shared by every connection and packet.
final class ShadowsocksUsers: Sendable {
    struct Ring: Sendable {
        let generation: UInt64
        let method: ShadowsocksCipher
        /// `accounts[i]` owns `keyring.keys[i]`.
        let accounts: [Account]
        /// `nil` when no user may use Shadowsocks.
        let keyring: ShadowsocksKeyring?
    }

    private let cache = Mutex<Ring?>(nil)

    /// The ring for the policy in force and `method`.
    func ring(gate: InboundGate, method: ShadowsocksCipher) -> Ring {
        let (policy, generation) = gate.versionedPolicy
        if let ring = cache.withLock({ $0 }), ring.generation == generation, ring.method == method { return ring }
        var accounts: [Account] = []
        var keys: [ShadowsocksKey] = []
        for account in policy.candidates(for: .ss) {
            do {
                keys.append(try ShadowsocksKey(method: method, password: account.shadowsocksPassword))
                accounts.append(account)
            } catch {
                gate.logger.warning("user cannot use Shadowsocks", metadata: ["user": "\(account.username)", "reason": "\(error)"])
            }
        }
        let ring = Ring(generation: generation, method: method, accounts: accounts, keyring: try? ShadowsocksKeyring(keys))
        cache.withLock { $0 = ring }
        return ring
    }
}

/// What the Shadowsocks listener keeps across reconciles: its users' keys and the salts it has
/// seen (a settings change must not make an old request replayable).
public final class ShadowsocksListenerState: Sendable {
    let users = ShadowsocksUsers()
    let replayFilter = ShadowsocksReplayFilter()

    public init() {}
}
