public import Access
package import Addressing
package import Logging
package import NIOCore
public import Routing

/// What a listener's connections need to know: which listener, how to authenticate, where flows
/// go, and the gate they pass through.
public struct ListenerContext: Sendable {
    /// The listener's resource key; flows admitted here end when it is removed.
    public var key: String
    public var inbound: InboundKind
    public var authMode: ListenerAuth
    /// The listener's own exit; overrides the user's when set (DECISIONS #9).
    public var exit: ExitRoute
    public var gate: InboundGate

    public init(key: String, inbound: InboundKind, authMode: ListenerAuth, exit: ExitRoute, gate: InboundGate) {
        self.key = key
        self.inbound = inbound
        self.authMode = authMode
        self.exit = exit
        self.gate = gate
    }

    /// Admits a client of this listener, logged in as `account` (`nil`: anonymous), and gives
    /// its flow: the listener's exit, else the account's (DECISIONS #9).
    package func admit(_ account: Account?, on channel: any Channel) throws(AuthRefusal) -> (FlowTicket, Flow) {
        try admit(account, from: channel.remoteAddress?.ipAddress ?? "")
    }

    /// Admits a client at `clientAddress` (an IP address as text).
    package func admit(_ account: Account?, from clientAddress: String) throws(AuthRefusal) -> (FlowTicket, Flow) {
        let identity = Identity(userID: account?.id, username: account?.username ?? "", inbound: inbound,
                                clientAddress: clientAddress)
        let ticket = try gate.admit(identity, account: account, listenerKey: key)
        return (ticket, Flow(identity: identity, exit: exit.overriding(account?.exit ?? .direct)))
    }

    /// Logs one line for a client this listener turned away (no secrets: the name it gave, not
    /// its password).
    package func logRefusal(of channel: any Channel, user: String, reason: String) {
        gate.logger.info("\(inbound.rawValue) client refused", metadata: [
            "listener": "\(key)", "client": "\(channel.remoteAddress?.description ?? "?")",
            "user": "\(user)", "reason": "\(reason)",
        ])
    }

    /// Opens the target side of `flow` through the router, on `loop` (a relay needs both sides
    /// on one event loop).
    package func openStream(to target: Target, for flow: Flow, on loop: any EventLoop) -> EventLoopFuture<any Channel> {
        let router = gate.router
        return loop.makeFutureWithTask { try await router.openStream(to: target, for: flow, on: loop) }
    }
}
