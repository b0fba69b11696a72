public import ScaleConfig
public import LinuxNet

/// How each enabled rule is carried out: captured by TPROXY into the transparent listeners, or
/// routed raw into the TUN device (`use_tun`, or every IP rule under the legacy `tun_mode`).
///
/// A `use_tun` rule falls back to capture where this host cannot create TUN devices (v1.3's
/// "mixed" behaviour), so its traffic still leaves through its exit.
public struct RulePlan: Hashable, Sendable {
    /// Rules captured by TPROXY, in precedence order.
    public var captured: [CaptureRule] = []
    /// `use_tun` IP rules, in precedence order.
    public var tunnelled: [CaptureRule] = []
    /// The peers' literal addresses: this host's own sessions to them are never captured, even
    /// when a rule's targets include them.
    public var bypass: [AddressRange] = []

    /// - Parameter tunnelsAvailable: whether this host can create TUN devices.
    public init(config: Config, tunnelsAvailable: Bool = TunDevice.isAvailable) {
        let tunnelIDs = Set(config.rules.filter { rule in
            RuleType(spelling: rule.type) == .ip && (rule.usesTun || config.legacyTunModeRequestsTun)
        }.map(\.id))
        bypass = config.clients.flatMap { [$0.address] + $0.addresses }.compactMap { text in
            guard case .success(let address) = ListenAddress.parse(text, allowsPortHopping: true) else { return nil }
            return try? AddressRange(parsing: address.host)
        }
        for rule in CaptureRule.all(in: config) {
            if tunnelsAvailable, tunnelIDs.contains(rule.id) {
                tunnelled.append(rule)
            } else {
                captured.append(rule)
            }
        }
    }
}
