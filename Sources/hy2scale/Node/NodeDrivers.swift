import HysteriaServer
import Access
import Routing
import AdminAPI
import Assembly
import Inbounds
import LinuxNet
import Logging
import Mesh
import NIOCore
import NodeState
import Reconciler
import RuleEngine
import ScaleConfig
import VPN

/// The drivers this node reconciles, in dependency order; `serve` and `plan` use the same list.
enum NodeDrivers {
    /// - Parameters:
    ///   - gate: the inbound services the listeners feed.
    ///   - mesh: the relay node; the Hysteria 2 server hands it the streams of peers.
    ///   - kernel: the netlink handles, capture table and tunnel exit of the host.
    ///   - adminTransport: the admin server's TLS, which the `admin` driver keeps.
    static func all(gate: InboundGate, mesh: MeshNode, kernel: HostKernel, stateNodeID: String, tlsStore: TLSStore?,
                    adminTransport: AdminTransport, group: any EventLoopGroup, logger: Logger) -> [AnyDriver<Config>] {
        // The access policy first: a listener's first client already sees the new users. The
        // mesh before the server: a peer's first relay stream finds the node's name set. The
        // capture listeners and the TUN device before the kernel state that sends them traffic;
        // a teardown runs in reverse, so capture stops before its listeners go.
        let plans = RulePlans()
        return [
            AnyDriver(AccessPolicyDriver(gate: gate)),
            AnyDriver(AdminTransportDriver(transport: adminTransport, tlsStore: tlsStore)),
            AnyDriver(MeshDriver(node: mesh, stateNodeID: stateNodeID)),
            AnyDriver(ListenerDriver(gate: gate, tlsStore: tlsStore, group: group)),
            AnyDriver(HysteriaServerDriver(gate: gate, tlsStore: tlsStore, mesh: mesh, group: group)),
            AnyDriver(WireGuardDriver(gateway: kernel.wireGuard, admits: admitting(.wireguard, gate: gate))),
            AnyDriver(IPsecDriver(gateway: kernel.ipsec, admits: admitting(.ikev2, gate: gate)), tlsStore: tlsStore),
            AnyDriver(L2TPDriver(gateway: kernel.l2tp, admits: admitting(.l2tp, gate: gate))),
            AnyDriver(CaptureDriver(table: kernel.capture, gate: gate, group: group), plans: plans),
            AnyDriver(TunnelDriver(mesh: mesh, netlink: kernel.routes, slot: kernel.tunnelEntry, logger: logger), plans: plans),
            AnyDriver(ResolverDriver(gate: gate, capture: kernel.capture, netfilter: kernel.netfilter, logger: logger), plans: plans),
            AnyDriver(RoutesDriver<Config>(netlink: kernel.routes) { config in
                plans.plan(for: config).routingEntries(exitSlots: kernel.exitSlots)
            }),
            AnyDriver(NftablesDriver<Config>(socket: kernel.netfilter) { config in
                do {
                    return try plans.table(for: config, exitSlots: kernel.exitSlots)
                } catch {
                    // Names come from NftName.part and fixed ids, so a validated config cannot
                    // get here; if it did, the table goes and this line says why.
                    logger.error("cannot build the nftables table", metadata: ["error": "\(error)"])
                    return nil
                }
            }),
        ]
    }

    /// Whether a user may have flows on `inbound` now, for a VPN driver that keeps out the users
    /// who may not. `plan` installs no access policy, so it knows nothing of users' live state
    /// and takes them as admitted; `serve` has installed the policy by the time a driver asks.
    private static func admitting(_ inbound: InboundKind, gate: InboundGate) -> @Sendable (String) -> Bool {
        { user in gate.installedPolicy == nil || gate.admitsNow(username: user, inbound: inbound) }
    }
}
