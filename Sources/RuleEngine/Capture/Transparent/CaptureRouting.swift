public import Addressing
public import Routing

/// Where captured traffic goes: the rule whose targets hold a flow's original destination.
///
/// The rule engine implements it over the same rules, in the same order, as the kernel's capture
/// chains, so a listener and the kernel never disagree about which rule a flow belongs to.
public protocol CaptureRouting: Sendable {
    /// The rule for a flow to `destination`; `nil` when no rule covers it (any more).
    /// - Parameter host: the name the client asked for, read from its first bytes (TLS SNI,
    ///   HTTP Host), when there was one.
    func route(to destination: IPAddress, host: String?) -> CaptureRoute?
}

/// The rule that captured a flow, and the exit its flows take.
public struct CaptureRoute: Hashable, Sendable {
    public var ruleID: String
    public var exit: ExitRoute
    /// Whether the exit should dial the host the client named rather than the address: a
    /// domain rule's flow, so the exit resolves the name itself (its answer suits where it is).
    public var dialsHost: Bool

    public init(ruleID: String, exit: ExitRoute, dialsHost: Bool = false) {
        self.ruleID = ruleID
        self.exit = exit
        self.dialsHost = dialsHost
    }
}
