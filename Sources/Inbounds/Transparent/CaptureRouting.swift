public import Routing
public import ScaleConfig

/// Where captured traffic goes: the rule whose targets hold a flow's original destination.
///
/// The rule engine implements it over the same rules, in the same order, as the kernel's capture
/// chains, so a listener and the kernel never disagree about which rule a flow belongs to.
public protocol CaptureRouting: Sendable {
    /// The rule for a flow to `destination`; `nil` when no rule covers it (any more).
    func route(to destination: IPAddress) -> CaptureRoute?
}

/// The rule that captured a flow, and the exit its flows take.
public struct CaptureRoute: Hashable, Sendable {
    public var ruleID: String
    public var exit: ExitRoute

    public init(ruleID: String, exit: ExitRoute) {
        self.ruleID = ruleID
        self.exit = exit
    }
}
