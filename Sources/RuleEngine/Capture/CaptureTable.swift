public import Addressing
import Foundation
import Access
import LinuxNet
import Synchronization

/// The rules in force and the addresses the DNS forwarder learned for domain rules: what the
/// transparent listeners consult to send a captured flow through its rule's exit.
///
/// It mirrors the kernel's capture chains: rules in the same order, domain rules' addresses with
/// the same lifetimes as their set elements.
public final class CaptureTable: CaptureRouting {
    private struct State {
        var rules: [CaptureRule] = []
        var clients: [GatewayClient] = []
        /// Clients by their single addresses (a WireGuard peer's `/32`), the common case.
        var clientsByAddress: [[UInt8]: GatewayClient] = [:]
        var names = DomainMatcher.empty
        var isInstalled = false
        /// Per domain rule: address → when it stops being captured.
        var learned: [String: [IPAddress: ContinuousClock.Instant]] = [:]
    }

    private let state = Mutex(State())
    private let clock = ContinuousClock()
    private let directory = Mutex<(any GatewayDirectory)?>(nil)

    public init() {}

    /// Where the users of pool clients (IKEv2's virtual IPs) are asked for.
    public func attach(_ directory: any GatewayDirectory) { self.directory.withLock { $0 = directory } }

    /// The rules a reconcile put in force; `nil` before the first and after ``uninstall()``.
    public var installedRules: [CaptureRule]? { state.withLock { $0.isInstalled ? $0.rules : nil } }

    /// The gateway clients a reconcile put in force.
    public var installedClients: [GatewayClient] { state.withLock { $0.clients } }

    /// Puts `rules` (already in precedence order) and the gateways' `clients` in force; forgets
    /// what removed domain rules learned.
    public func install(_ rules: [CaptureRule], clients: [GatewayClient] = []) {
        state.withLock { s in
            s.rules = rules
            s.clients = clients
            s.clientsByAddress = [:]
            for client in clients {
                // The first client named wins, as in the scan below.
                for range in client.addresses where range.isSingleAddress && s.clientsByAddress[range.first] == nil {
                    s.clientsByAddress[range.first] = client
                }
            }
            s.names = DomainMatcher(rules: rules)
            s.isInstalled = true
            let domainRules = Set(rules.filter(\.isDomainRule).map(\.id))
            s.learned = s.learned.filter { domainRules.contains($0.key) }
        }
    }

    /// The rule for a flow to `destination` when the client named no host.
    public func route(to destination: IPAddress) -> CaptureRoute? { route(to: destination, host: nil) }

    /// A rule's route when one covers the flow (the rules steer VPN clients' traffic too),
    /// else the route of the gateway client `source` is.
    public func route(from source: IPAddress, to destination: IPAddress, host: String?) -> CaptureRoute? {
        let client = self.client(at: source)
        if var route = route(to: destination, host: host) {
            route.client = client
            return route
        }
        return client.map { CaptureRoute(ruleID: "", exit: $0.exit, client: $0) }
    }

    /// The gateway client whose addresses hold `address`; for a pool, the user who holds the
    /// address now, as a client of that one address (none when nobody holds it).
    public func client(at address: IPAddress) -> GatewayClient? {
        let found = state.withLock { s in
            s.clientsByAddress[address.bytes] ?? s.clients.first { $0.addresses.contains { $0.contains(address.bytes) } }
        }
        guard var client = found, client.isPool else { return found }
        guard let username = directory.withLock({ $0 })?.username(at: address, of: client.inbound),
              let single = try? AddressRange(address: address.bytes) else { return nil }
        client.name = username
        client.username = username
        client.addresses = [single]
        client.isPool = false
        client.followsUserExit = true
        return client
    }

    public func uninstall() {
        state.withLock { $0 = State() }
    }

    /// Records that `addresses` answered a name of domain rule `ruleID`, for `ttl` seconds;
    /// what the rule learned before and has expired is forgotten, so the table stays as small as
    /// the kernel's timeout sets.
    public func learn(ruleID: String, addresses: [IPAddress], ttl: Int) {
        let now = clock.now
        let until = now.advanced(by: .seconds(ttl))
        state.withLock { s in
            guard s.rules.contains(where: { $0.id == ruleID && $0.isDomainRule }) else { return }
            var known = s.learned[ruleID, default: [:]].filter { $0.value > now }
            for address in addresses { known[address] = until }
            s.learned[ruleID] = known
        }
    }

    /// The first rule, in precedence order, that holds `destination` (an address rule's range,
    /// or an address a domain rule learned) or whose names match `host`; a domain rule matched
    /// by name dials the name.
    public func route(to destination: IPAddress, host: String?) -> CaptureRoute? {
        let now = clock.now
        return state.withLock { s -> CaptureRoute? in
            let named = host.flatMap { s.names.rule(for: $0)?.id }
            for rule in s.rules {
                if rule.id == named { return CaptureRoute(ruleID: rule.id, exit: rule.exit, dialsHost: true) }
                let holds: Bool
                switch rule.targets {
                case .addresses: holds = rule.holds(destination)
                case .domains: holds = s.learned[rule.id]?[destination].map { $0 > now } ?? false
                }
                if holds { return CaptureRoute(ruleID: rule.id, exit: rule.exit) }
            }
            return nil
        }
    }
}
