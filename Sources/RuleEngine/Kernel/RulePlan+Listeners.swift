import LinuxNet

extension RulePlan {
    /// The transparent listeners the captured rules and gateways need: IPv4 always, IPv6 when
    /// a rule can match IPv6 (an IPv6 target, or a domain whose answers may hold AAAA records)
    /// or a gateway client has an IPv6 address.
    public var captureEndpoints: [CaptureEndpoint] {
        guard capturesAnything else { return [] }
        let needsIPv6 = captured.contains { rule in
            switch rule.targets {
            case .addresses(let ranges): ranges.contains { $0.family == .ipv6 }
            case .domains: true
            }
        } || gateways.contains { $0.clients.contains { $0.addresses.contains { $0.family == .ipv6 } } }
        return CaptureEndpoint.pair(ipv6: false) + (needsIPv6 ? CaptureEndpoint.pair(ipv6: true) : [])
    }
}
