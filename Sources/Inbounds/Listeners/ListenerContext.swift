public import Routing
public import ScaleConfig

/// What a listener's connections need to know: which listener, how to authenticate, where flows
/// go, and the gate they pass through.
public struct ListenerContext: Sendable {
    /// The listener's resource key; flows admitted here end when it is removed.
    public var key: String
    public var inbound: InboundKind
    public var authMode: ProxyAuthMode
    /// The listener's own exit; overrides the user's when set (DECISIONS #9).
    public var exit: ExitRoute
    public var gate: InboundGate

    public init(key: String, inbound: InboundKind, authMode: ProxyAuthMode, exit: ExitRoute, gate: InboundGate) {
        self.key = key
        self.inbound = inbound
        self.authMode = authMode
        self.exit = exit
        self.gate = gate
    }

    /// The flow of a client on this listener: the listener's exit, else the account's.
    func flow(for identity: Identity, account: Account?) -> Flow {
        Flow(identity: identity, exit: exit.overriding(account?.exit ?? .direct))
    }
}
