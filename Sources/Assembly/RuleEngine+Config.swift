import Addressing
public import LinuxNet
import Routing
public import RuleEngine
public import ScaleConfig
import Synchronization

extension CaptureRule {
    /// The enabled rules of `config` in the order they are consulted. Targets that do not parse
    /// are left out (validation has refused such a file before it gets here).
    public static func all(in config: Config) -> [CaptureRule] {
        config.rules.filter(\.isEnabled).compactMap { rule -> CaptureRule? in
            let targets: Targets
            switch RuleType(spelling: rule.type) {
            case .ip: targets = .addresses(rule.targets.compactMap { try? AddressRange(parsing: $0) })
            case .domain: targets = .domains(rule.targets.map { $0.lowercased() })
            case nil: return nil
            }
            return CaptureRule(id: rule.id, priority: rule.priority, targets: targets,
                               exit: ExitRoute(via: rule.exitVia, paths: rule.exitPaths, mode: rule.exitMode,
                                               fallback: rule.fallback))
        }
        .sorted(by: precedes)
    }
}

extension RulePlan {
    /// How the enabled rules of `config` are carried out: `use_tun` IP rules (every IP rule under
    /// the legacy `tun_mode`) go to the TUN device, the rest are captured.
    ///
    /// - Parameter tunnelsAvailable: whether this host can create TUN devices.
    public init(config: Config, tunnelsAvailable: Bool = TunDevice.isAvailable) {
        let tunnelIDs = config.rules.filter { rule in
            RuleType(spelling: rule.type) == .ip && (rule.usesTun || config.legacyTunModeRequestsTun)
        }.map(\.id)
        self.init(rules: CaptureRule.all(in: config), tunnelIDs: Set(tunnelIDs),
                  peerAddresses: config.clients.flatMap { [$0.address] + $0.addresses }, gateways: GatewayCapture.all(in: config),
                  tunnelsAvailable: tunnelsAvailable)
    }
}

extension ResolverResource {
    /// The DNS forwarders of `config`'s captured domain rules in `plan`: at `dns_resolver.listen`,
    /// and on each VPN gateway's own address (port 53) for its clients, unless the first already
    /// answers there (a wildcard or that very address); none while there are no such rules or
    /// `dns_resolver` is off.
    public static func all(config: Config, plan: RulePlan) -> [ResolverResource] {
        let rules = plan.captured.filter(\.isDomainRule)
        guard !rules.isEmpty, config.dnsResolver.isEffectivelyEnabled else { return [] }
        let main = ResolverResource(listen: config.dnsResolver.effectiveListen, upstreams: config.effectiveDNSServers,
                                    queryTimeoutMilliseconds: config.dnsResolver.effectiveQueryTimeoutMilliseconds, rules: rules)
        guard case .success(let listen) = ListenAddress.parse(main.listen, allowsAnyPort: true),
              !["", "0.0.0.0", "::"].contains(listen.host) else { return [main] }
        let gateways = plan.gateways.flatMap { gateway in
            gateway.ownAddresses.compactMap { range -> ResolverResource? in
                guard range.isSingleAddress, let address = IPAddress(bytes: range.first) else { return nil }
                var forwarder = main
                forwarder.listen = ListenAddress(host: "\(address)", port: 53).description
                forwarder.listenerKey = "dns/\(gateway.device)"
                return forwarder.listen == main.listen ? nil : forwarder
            }
        }
        return [main] + gateways
    }
}

/// The rule plan of the config in force, built once and shared by the five drivers that carry
/// it out (capture, tunnel, resolver, routes, nftables), and kept while the parts of the config
/// it is made from stay the same: an edit of a user does not rebuild ten thousand rules.
public final class RulePlans: Sendable {
    private struct Kept {
        let key: Config
        let tunnelsAvailable: Bool
        let plan: RulePlan
        /// The nftables table of `plan` for some exit slots, once asked for.
        var table: (exitSlots: Set<Int>, table: Result<NftTable?, NftModelError>)?
    }

    private let last = Mutex<Kept?>(nil)

    public init() {}

    /// `RulePlan(config:tunnelsAvailable:)`, or the same plan as last time.
    public func plan(for config: Config, tunnelsAvailable: Bool = TunDevice.isAvailable) -> RulePlan {
        kept(for: config, tunnelsAvailable: tunnelsAvailable).plan
    }

    /// The plan's `table(exitSlots:)`, built once per plan and exit slots: ten thousand rules
    /// make a table of ten thousand sets.
    public func table(for config: Config, exitSlots: Set<Int>,
                      tunnelsAvailable: Bool = TunDevice.isAvailable) throws(NftModelError) -> NftTable? {
        let kept = kept(for: config, tunnelsAvailable: tunnelsAvailable)
        if let table = kept.table, table.exitSlots == exitSlots { return try table.table.get() }
        let table: Result<NftTable?, NftModelError>
        do throws(NftModelError) {
            table = .success(try kept.plan.table(exitSlots: exitSlots))
        } catch {
            table = .failure(error)
        }
        last.withLock { now in
            if now?.key == kept.key, now?.tunnelsAvailable == kept.tunnelsAvailable { now?.table = (exitSlots, table) }
        }
        return try table.get()
    }

    private func kept(for config: Config, tunnelsAvailable: Bool) -> Kept {
        var key = config
        key.users = []  // the plan is made without them; comparing the rest is cheap
        let previous = last.withLock { $0 }.flatMap { $0.tunnelsAvailable == tunnelsAvailable ? $0 : nil }
        if let previous, previous.key == key { return previous }
        let plan = RulePlan(config: config, tunnelsAvailable: tunnelsAvailable)
        // An edit elsewhere in the file (the first start rehashes the admin password) keeps the
        // previous plan's arrays: the drivers installed those, and they compare with the same
        // arrays at once rather than rule by rule on every reconcile.
        let kept = if let previous, previous.plan == plan {
            Kept(key: key, tunnelsAvailable: tunnelsAvailable, plan: previous.plan, table: previous.table)
        } else {
            Kept(key: key, tunnelsAvailable: tunnelsAvailable, plan: plan)
        }
        last.withLock { $0 = kept }
        return kept
    }
}
