import HysteriaServer
import Access
import Assembly
import Egress
import Foundation
import Inbounds
import Logging
import NIOCore
import NIOPosix
import NodeState
import Reconciler
import Routing
import ScaleConfig
import Synchronization
import TestSupport

/// The inbound half of a node, in this process: a config file, the reconciler with the access
/// and listener drivers, real traffic counters and a TLS store with the default certificate.
final class InboundTestNode: Sendable {
    let directory: TemporaryDirectory
    let configPath: String
    let counters: TrafficCounters
    let gate: InboundGate
    let tlsStore: TLSStore
    let reconciler: Reconciler<Config>
    let clock: TestClock

    /// - Parameters:
    ///   - handshakeTimeout: the listeners' handshake deadline; generous by default, so a loaded
    ///     machine running the whole suite never trips it by accident.
    ///   - loginTimeout: the Hysteria 2 server's time from handshake to login.
    init(_ yaml: String, handshakeTimeout: TimeAmount = .seconds(30), loginTimeout: Duration = .seconds(30)) async throws {
        directory = try TemporaryDirectory()
        configPath = directory.child("config.yaml").path
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
        counters = try TrafficCounters(store: StateStore(url: directory.child("state.db")))
        tlsStore = try TLSStore(directory: directory.child("tls"))
        _ = try tlsStore.ensureDefaultCertificate(nodeID: "test0001")
        var logger = Logger(label: "inbounds-test")
        logger.logLevel = .warning
        let clock = TestClock()
        self.clock = clock
        gate = InboundGate(router: DirectRouter(), counters: counters, logger: logger, now: { clock.now })
        let store = tlsStore
        let source = ConfigFileSource(path: configPath) {
            ValidationContext(tlsCertificateIDs: (try? store.certificateIDs()) ?? [])
        }
        reconciler = Reconciler(
            source: source,
            drivers: [AnyDriver(AccessPolicyDriver(gate: gate)),
                      AnyDriver(ListenerDriver(gate: gate, tlsStore: tlsStore, group: MultiThreadedEventLoopGroup.singleton,
                                               handshakeTimeout: handshakeTimeout)),
                      AnyDriver(HysteriaServerDriver(gate: gate, tlsStore: tlsStore, group: MultiThreadedEventLoopGroup.singleton,
                                                       loginTimeout: loginTimeout))],
            logger: logger)
        let report = await reconciler.reconcile()
        guard report.problems.isEmpty, report.failures.isEmpty else { throw TestNodeError.refused(report.problems + report.failures) }
    }

    /// The port the listener under `key` (`proxy/<id>`, `ss`, `hy2`) is bound to: configs give
    /// port 0, so the kernel picks a free one and no other test can take it in between.
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

    func stop() async {
        await reconciler.teardown()
        directory.remove()
    }
}

enum TestNodeError: Error { case refused([String]), notListening(String) }

/// Seconds since 1970 the gate reads; tests move it to pass an expiry.
final class TestClock: Sendable {
    private let seconds = Mutex<Int64>(Int64(Date().timeIntervalSince1970))
    var now: Int64 { seconds.withLock { $0 } }
    func advance(by delta: Int64) { seconds.withLock { $0 += delta } }
}
