public import LinuxNet

/// The desired kernel and listener state for `rules[]`: pure functions of the rules in force.
public enum HostCapture {
    /// The transparent listeners the rules need: IPv4 always, IPv6 when a rule can match IPv6
    /// (an IPv6 target, or a domain whose answers may hold AAAA records).
    static func endpoints(for rules: [CaptureRule]) -> [CaptureEndpoint] {
        let needsIPv6 = rules.contains { rule in
            switch rule.targets {
            case .addresses(let ranges): ranges.contains { !$0.isIPv4 }
            case .domains: true
            }
        }
        return CaptureEndpoint.pair(ipv6: false) + (needsIPv6 ? CaptureEndpoint.pair(ipv6: true) : [])
    }

    /// Policy routing for captured packets: marked packets are delivered locally, where the
    /// TPROXY rule hands them to a listener.
    public static func routingEntries(for rules: [CaptureRule]) -> [RoutingEntry] {
        guard !rules.isEmpty else { return [] }
        return [AddressFamily.ipv4, .ipv6].flatMap { family -> [RoutingEntry] in
            [
                .route(Route(kind: .local, table: OwnedNames.captureRouteTable, destination: .any(family), device: "lo")),
                .rule(PolicyRule(family: family, priority: OwnedNames.capturePriority,
                                 selector: .mark(OwnedNames.captureMark), table: OwnedNames.captureRouteTable)),
            ]
        }
    }
}
