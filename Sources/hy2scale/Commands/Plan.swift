import Access
import Assembly
import AdminAPI
import ArgumentParser
import Egress
import Inbounds
import Logging
import Mesh
import NIOPosix
import NodeState
import Reconciler
import ScaleConfig
import VPN

struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what applying the configuration would change, without changing anything.",
        discussion: """
        Reads the configuration and what this node has created on the system, and prints one line \
        per change, grouped by kind: `+` create, `~` update, `-` delete. The kernel's state is read \
        back as it is: the nftables table `inet hy2scale` (sets, chains, rules), and hy2scale's \
        routing tables and policy rules, so their lines are exactly what applying would change. \
        Listeners, peers, the access policy, the capture listeners, the TUN device, the DNS \
        forwarder, the charon of the IKEv2 and L2TP servers and the L2TP server's xl2tpd live inside \
        the serving process, so this command \
        lists each of them as wanted (`+`). \
        With WireGuard on, a last line names the engine it runs on (`kernel` or `wireguard-go`), or \
        says why there is none. \
        Reading the kernel's state needs the same privileges as `serve` (root or CAP_NET_ADMIN). \
        Exits 0 after printing the plan, 1 when the configuration is invalid.
        """
    )

    @OptionGroup var paths: PathOptions

    func run() async throws {
        let logger = Logger(label: "hy2scale") { _ in SwiftLogNoOpLogHandler() }
        let source = ConfigFileSource(path: paths.config) { [stateDirectory = paths.stateDirectory] in
            ValidationContext.reading(stateDirectory: stateDirectory)
        }
        // Listeners and peers live in the serving process: this one has none, so they show as wanted.
        let gate = InboundGate(router: DirectRouter(), counters: NoTrafficLedger(), logger: logger)
        let nodeID = StateDirectory.inspect(path: paths.stateDirectory).nodeID ?? ""
        let mesh = MeshNode(settings: MeshSettings(name: nodeID, nodeID: nodeID), group: MultiThreadedEventLoopGroup.singleton, logger: logger)
        let kernel = try HostKernel(mesh: mesh, trigger: nil, stateDirectory: paths.stateDirectory, tlsStore: nil, logger: logger)
        let drivers = NodeDrivers.all(gate: gate, mesh: mesh, kernel: kernel, stateNodeID: nodeID, tlsStore: nil,
                                      adminTransport: AdminTransport(), group: MultiThreadedEventLoopGroup.singleton, logger: logger)
        let reconciler = Reconciler(source: source, drivers: drivers, logger: logger)
        let report = await reconciler.plan()
        guard report.problems.isEmpty else {
            for problem in report.problems { printError(problem) }
            throw ExitCode.failure
        }
        print("config \(paths.config) (revision \(report.revision.map { String($0.prefix(12)) } ?? "-"))")
        var any = false
        for kind in report.kinds {
            for line in kind.applied { print("  \(kind.kind): \(line)"); any = true }
            for line in kind.failed { print("  \(kind.kind): cannot observe: \(line)"); any = true }
        }
        if !any { print("  no changes") }
        if case .valid(let config, _) = await source.load(), config.wireGuard?.isEnabled == true {
            print("wireguard engine: " + (kernel.wireGuard.backend ?? "none (\(WireGuardGateway.noEngine))"))
        }
    }
}
