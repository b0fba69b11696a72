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

    /// - Parameter tunnelsAvailable: whether this host can create TUN devices.
    public init(config: Config, tunnelsAvailable: Bool = TunDevice.isAvailable) {
        let tunnelIDs = Set(config.rules.filter { rule in
            RuleType(spelling: rule.type) == .ip && (rule.usesTun || config.legacyTunModeRequestsTun)
        }.map(\.id))
        for rule in CaptureRule.all(in: config) {
            if tunnelsAvailable, tunnelIDs.contains(rule.id) {
                tunnelled.append(rule)
            } else {
                captured.append(rule)
            }
        }
    }
}
