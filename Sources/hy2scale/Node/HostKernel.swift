import LinuxNet
import Logging
import Mesh
import Reconciler
import RuleEngine
import VPN

/// The kernel side of a node: netlink handles for its routes and its nftables table, the rules
/// the transparent listeners consult, and the exit of raw IP tunnels when this host can make
/// TUN devices.
struct HostKernel {
    let routes: Rtnetlink
    let netfilter: NetlinkSocket
    let capture = CaptureTable()
    let tunnelEntry = TunnelEntrySlot()
    let tunnelExits: TunnelExits?
    let wireGuard: WireGuardGateway

    /// - Parameters:
    ///   - mesh: offered the tunnel exit, so peers learn this node exits raw IP tunnels.
    ///   - trigger: asked for a reconcile when a tunnel opens or ends (its kernel state is part
    ///     of the desired state).
    init(mesh: MeshNode, trigger: ReconcileTrigger?, logger: Logger) throws {
        routes = try Rtnetlink()
        netfilter = try NetlinkSocket.netfilter()
        // An engine that ended on its own is started again by the reconcile it asks for.
        wireGuard = WireGuardGateway(netlink: routes, logger: logger) { trigger?.request() }
        if TunDevice.isAvailable, let trigger {
            let exits = TunnelExits(netlink: routes, logger: logger) { trigger.request() }
            mesh.tunnelExit = exits
            tunnelExits = exits
        } else {
            tunnelExits = nil
        }
    }

    /// The live exit tunnels' numbers.
    var exitSlots: Set<Int> { tunnelExits?.slots ?? [] }
}
