import Addressing
import LinuxNet
import Logging
import Mesh
import NodeState
import Reconciler
import Routing
import RuleEngine
import Synchronization
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
    /// charon, for the IKEv2 server and L2TP's IPsec.
    let ipsec: IPsecGateway
    let l2tp: L2TPGateway

    /// - Parameters:
    ///   - mesh: offered the tunnel exit, so peers learn this node exits raw IP tunnels.
    ///   - trigger: asked for a reconcile when a tunnel opens or ends (its kernel state is part
    ///     of the desired state).
    ///   - stateDirectory: where charon's own configuration and control socket go (`ikev2/`), and
    ///     xl2tpd's and pppd's files (`l2tp/`).
    ///   - tlsStore: where the IKEv2 server's certificate is issued from the node's CA, when the
    ///     config names none; `nil` for `plan`, which issues nothing.
    init(mesh: MeshNode, trigger: ReconcileTrigger?, stateDirectory: String, tlsStore: TLSStore?, logger: Logger) throws {
        routes = try Rtnetlink()
        netfilter = try NetlinkSocket.netfilter()
        // An engine that ended on its own is started again by the reconcile it asks for.
        wireGuard = WireGuardGateway(netlink: routes, logger: logger) { trigger?.request() }
        // The kernel's ESP is probed once, when charon is first wanted.
        let kernelESP = KernelESPAnswer()
        ipsec = IPsecGateway(directory: stateDirectory + "/ikev2", netlink: routes, logger: logger, userspaceESP: { !kernelESP.value },
                             tlsStore: tlsStore) { trigger?.request() }
        l2tp = L2TPGateway(directory: stateDirectory + "/l2tp", logger: logger, kernelESP: { kernelESP.value }) { trigger?.request() }
        capture.attach(VPNDirectory(ipsec: ipsec, l2tp: l2tp))
        if TunDevice.isAvailable, let trigger {
            let exits = TunnelExits(netlink: routes, logger: logger) { trigger.request() }
            mesh.tunnelExit = exits
            tunnelExits = exits
        } else {
            tunnelExits = nil
        }
    }

    /// The users behind the VPN pools' addresses, for the capture table.
    private struct VPNDirectory: GatewayDirectory {
        let ipsec: IPsecGateway
        let l2tp: L2TPGateway

        func username(at address: IPAddress, of inbound: InboundKind) -> String? {
            switch inbound {
            case .ikev2: ipsec.username(at: address)
            case .l2tp: l2tp.username(at: address)
            default: nil
            }
        }
    }

    /// Whether the kernel carries ESP, asked once.
    private final class KernelESPAnswer: Sendable {
        private let answer = Mutex<Bool?>(nil)
        var value: Bool {
            answer.withLock { answer in
                if answer == nil { answer = KernelIPsec.hasESP() }
                return answer ?? false
            }
        }
    }

    /// The live exit tunnels' numbers.
    var exitSlots: Set<Int> { tunnelExits?.slots ?? [] }
}
