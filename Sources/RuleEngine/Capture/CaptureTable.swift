public import Addressing
import Foundation
import Access
import Synchronization

/// The rules in force and the addresses the DNS forwarder learned for domain rules: what the
/// transparent listeners consult to send a captured flow through its rule's exit.
///
/// It mirrors the kernel's capture chains: rules in the same order, domain rules' addresses with
/// the same lifetimes as their set elements.
public final class CaptureTable: CaptureRouting {
    private struct State {
        var rules: [CaptureRule] = []
        var names = DomainMatcher.empty
        var isInstalled = false
        /// Per domain rule: address → when it stops being captured.
        var learned: [String: [IPAddress: ContinuousClock.Instant]] = [:]
    }

    private let state = Mutex(State())
    private let clock = ContinuousClock()

    public init() {}

    /// The rules a reconcile put in force; `nil` before the first and after ``uninstall()``.
    public var installedRules: [CaptureRule]? { state.withLock { $0.isInstalled ? $0.rules : nil } }

    /// Puts `rules` in force (already in precedence order); forgets what removed domain rules
    /// learned.
    public func install(_ rules: [CaptureRule]) {
        state.withLock { s in
            s.rules = rules
            s.names = DomainMatcher(rules: rules)
            s.isInstalled = true
            let domainRules = Set(rules.filter(\.isDomainRule).map(\.id))
            s.learned = s.learned.filter { domainRules.contains($0.key) }
        }
    }

    /// The rule for a flow to `destination` when the client named no host.
    public func route(to destination: IPAddress) -> CaptureRoute? { route(to: destination, host: nil) }

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
