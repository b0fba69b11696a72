import Addressing
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
    /// VPN devices whose clients' traffic is captured whatever its destination.
    public var gateways: [GatewayCapture] = []

    /// Whether anything is captured: transparent listeners and their policy route are needed.
    public var capturesAnything: Bool { !captured.isEmpty || !gateways.isEmpty }

    /// - Parameters:
    ///   - rules: the enabled rules in precedence order.
    ///   - tunnelIDs: the ids of the rules that ask for the TUN device.
    ///   - peerAddresses: every address this node dials its peers at (`host:port` specs).
    ///   - tunnelsAvailable: whether this host can create TUN devices.
    ///   - gateways: the VPN devices whose traffic is captured.
    public init(rules: [CaptureRule], tunnelIDs: Set<String>, peerAddresses: [String], gateways: [GatewayCapture] = [],
                tunnelsAvailable: Bool = TunDevice.isAvailable) {
        self.gateways = gateways
        bypass = peerAddresses.compactMap { text in
            guard case .success(let address) = ListenAddress.parse(text, allowsPortHopping: true) else { return nil }
            return try? AddressRange(parsing: address.host)
        }
        for rule in rules {
            if tunnelsAvailable, tunnelIDs.contains(rule.id) {
                tunnelled.append(rule)
            } else {
                captured.append(rule)
            }
        }
    }
}
