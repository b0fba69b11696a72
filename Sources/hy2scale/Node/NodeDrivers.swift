import Inbounds
import NIOCore
import NodeState
import Reconciler
import ScaleConfig

/// The drivers this node reconciles, in dependency order; `serve` and `plan` use the same list.
enum NodeDrivers {
    /// - Parameters:
    ///   - gate: the inbound services the listeners feed.
    static func all(gate: InboundGate, tlsStore: TLSStore?, group: any EventLoopGroup) -> [AnyDriver<Config>] {
        // The access policy first: a listener's first client already sees the new users.
        [
            AnyDriver(AccessPolicyDriver(gate: gate)),
            AnyDriver(ListenerDriver(gate: gate, tlsStore: tlsStore, group: group)),
            AnyDriver(HysteriaServerDriver(gate: gate, tlsStore: tlsStore, group: group)),
        ]
    }
}
