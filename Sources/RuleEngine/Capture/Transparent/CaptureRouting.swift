import Access
public import Addressing
public import Routing

/// Where captured traffic goes: the rule whose targets hold a flow's original destination.
///
/// The rule engine implements it over the same rules, in the same order, as the kernel's capture
/// chains, so a listener and the kernel never disagree about which rule a flow belongs to.
public protocol CaptureRouting: Sendable {
    /// The route of a flow from `source` to `destination`: the rule that covers the destination,
    /// else the exit of the gateway client `source` is; `nil` when neither (any more).
    /// - Parameter host: the name the client asked for, read from its first bytes (TLS SNI,
    ///   HTTP Host), when there was one.
    func route(from source: IPAddress, to destination: IPAddress, host: String?) -> CaptureRoute?
}

/// The rule that captured a flow (or the gateway client it came from), and the exit it takes.
public struct CaptureRoute: Hashable, Sendable {
    /// Empty when no rule covers the flow and it goes by its gateway client's exit.
    public var ruleID: String
    public var exit: ExitRoute
    /// The VPN client the flow came from, when it came through a gateway.
    public var client: GatewayClient?
    /// Whether the exit should dial the host the client named rather than the address: a
    /// domain rule's flow, so the exit resolves the name itself (its answer suits where it is).
    public var dialsHost: Bool

    public init(ruleID: String, exit: ExitRoute, dialsHost: Bool = false, client: GatewayClient? = nil) {
        self.ruleID = ruleID
        self.exit = exit
        self.dialsHost = dialsHost
        self.client = client
    }

    /// What the flow goes by, for logs: `rule web` or `wireguard peer alice`.
    public var label: String {
        ruleID.isEmpty ? "\(client?.inbound.rawValue ?? "gateway") peer \(client?.name ?? "?")" : "rule \(ruleID)"
    }

    /// The exit of a flow admitted for `account`: the rule's, else the client's, unless the
    /// client follows its user's exit and the user has one.
    func exit(for account: Account?) -> ExitRoute {
        guard ruleID.isEmpty, client?.followsUserExit == true, let account, !account.exit.isDirect else { return exit }
        return account.exit
    }

    /// Who the flow belongs to (its gateway client, or host/LAN traffic of a rule) and the
    /// account it counts against; `nil` when its client's user may not have flows now.
    func admission(from source: IPAddress, gate: InboundGate) -> (Identity, Account?)? {
        guard let client else { return (Identity(userID: nil, username: "", inbound: .rule, clientAddress: "\(source)"), nil) }
        return client.admission(at: source, gate: gate)
    }
}
