import Inbounds
import LinuxNet
import Mesh
import NIOCore
import NodeState
import Reconciler
import RuleEngine
import ScaleConfig

/// The drivers this node reconciles, in dependency order; `serve` and `plan` use the same list.
enum NodeDrivers {
    /// - Parameters:
    ///   - gate: the inbound services the listeners feed.
    ///   - mesh: the relay node; the Hysteria 2 server hands it the streams of peers.
    ///   - capture: the rules the transparent listeners consult.
    ///   - kernel: the netlink handles for the routes and the nftables table.
    static func all(gate: InboundGate, mesh: MeshNode, capture: CaptureTable, kernel: Rtnetlink,
                    stateNodeID: String, tlsStore: TLSStore?, group: any EventLoopGroup) -> [AnyDriver<Config>] {
        // The access policy first: a listener's first client already sees the new users. The
        // mesh before the server: a peer's first relay stream finds the node's name set. The
        // capture listeners before the kernel state that sends them flows; a teardown runs in
        // reverse, so capture stops before its listeners go.
        [
            AnyDriver(AccessPolicyDriver(gate: gate)),
            AnyDriver(MeshDriver(node: mesh, stateNodeID: stateNodeID)),
            AnyDriver(ListenerDriver(gate: gate, tlsStore: tlsStore, group: group)),
            AnyDriver(HysteriaServerDriver(gate: gate, tlsStore: tlsStore, mesh: mesh, group: group)),
            AnyDriver(CaptureDriver(table: capture, gate: gate, group: group)),
            AnyDriver(RoutesDriver<Config>(netlink: kernel) { HostCapture.routingEntries(for: CaptureRule.all(in: $0)) }),
        ]
    }
}
