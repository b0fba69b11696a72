import HysteriaServer
import Access
import Assembly
import Egress
import Foundation
import Inbounds
import Logging
import Mesh
import NIOCore
import NIOPosix
import NodeState
import Reconciler
import Routing
import ScaleConfig
import TestSupport
import Testing

/// A whole node in this process, as `serve` wires it: the access policy, the mesh, the listeners
/// and the Hysteria 2 server that hands peers' relay streams to the mesh, with the mesh's router
/// behind the gate. Configured by a file, like ``InboundTestNode``.
final class MeshTestNode: Sendable {
    static let stateNodeID = "test0001"

    let directory: TemporaryDirectory
    let configPath: String
    let gate: InboundGate
    let mesh: MeshNode
    let router: MeshRouter
    let reconciler: Reconciler<Config>
    /// The mesh service running, as `serve`'s service group runs it.
    private let meshService: Task<Void, Never>

    init(_ yaml: String, loginTimeout: Duration = .seconds(30)) async throws {
        directory = try TemporaryDirectory()
        configPath = directory.child("config.yaml").path
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
        let counters = try TrafficCounters(store: StateStore(url: directory.child("state.db")))
        let tlsStore = try TLSStore(directory: directory.child("tls"))
        _ = try tlsStore.ensureDefaultCertificate(nodeID: Self.stateNodeID)
        var logger = Logger(label: "mesh-test")
        logger.logLevel = .warning
        let group = MultiThreadedEventLoopGroup.singleton
        mesh = MeshNode(settings: MeshSettings(name: Self.stateNodeID, nodeID: Self.stateNodeID), group: group, logger: logger)
        router = MeshRouter(node: mesh)
        meshService = Task { [mesh] in
            do { try await mesh.run() } catch { Issue.record("the mesh service failed: \(error)") }
        }
        gate = InboundGate(router: router, counters: counters, logger: logger)
        let source = ConfigFileSource(path: configPath) {
            ValidationContext(tlsCertificateIDs: (try? tlsStore.certificateIDs()) ?? [])
        }
        reconciler = Reconciler(
            source: source,
            drivers: [AnyDriver(AccessPolicyDriver(gate: gate)),
                      AnyDriver(MeshDriver(node: mesh, stateNodeID: Self.stateNodeID)),
                      AnyDriver(ListenerDriver(gate: gate, tlsStore: tlsStore, group: group, handshakeTimeout: .seconds(30))),
                      AnyDriver(HysteriaServerDriver(gate: gate, tlsStore: tlsStore, mesh: mesh, group: group, loginTimeout: loginTimeout))],
            logger: logger)
        let report = await reconciler.reconcile()
        guard report.problems.isEmpty, report.failures.isEmpty else { throw TestNodeError.refused(report.problems + report.failures) }
    }

    /// The port the listener under `key` (`hy2`, `proxy/<id>`) is bound to: configs give port 0,
    /// so the kernel picks a free one and no other test can take it in between.
    func port(_ key: String) throws -> Int {
        guard let listener = gate.listeners.listener(key) else { throw TestNodeError.notListening(key) }
        return listener.port
    }

    /// Replaces the config file and reconciles.
    @discardableResult
    func apply(_ yaml: String) async throws -> ReconcileReport {
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
        return await reconciler.reconcile()
    }

    /// The live peer called `name`, if any.
    func peer(_ name: String) -> MeshPeerStatus? {
        mesh.peerStatuses().first { $0.name == name }
    }

    deinit { meshService.cancel() }  // a test that threw before stop()

    func stop() async {
        await reconciler.teardown()
        meshService.cancel()
        await meshService.value
        directory.remove()
    }
}

/// A mesh node's file: its name and id, a Hysteria 2 server on `port` with the node password,
/// users allowed on it (alice), and `extra` top-level YAML (clients, proxies, peers).
func meshNodeConfig(name: String = "hub", nodeID: String = "188c762f", port: Int, password: String = "node-secret-1",
                    aliceExit: String = "", extra: String = "") -> String {
    """
    name: \(name)
    node_id: \(nodeID)
    hy2_user_auth: true
    server:
      listen: 127.0.0.1:\(port)
      password: \(password)
    users:
      - id: u-alice
        username: alice
        password: alice-pass-1
        enabled: true\(aliceExit.isEmpty ? "" : "\n    exit_via: \(aliceExit)")
    \(extra)
    """
}
