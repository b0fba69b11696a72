import Access
import Assembly
import AdminAPI
import ArgumentParser
import Foundation
import Inbounds
import Logging
import Mesh
import NIOPosix
import NodeState
import LinuxNet
import Reconciler
import ScaleConfig
import ServiceLifecycle
import UnixSignals

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the node: apply the configuration and keep it applied.",
        discussion: """
        With no configuration file present, writes a commented default first (with a random server \
        password and WireGuard key) and runs with it. Empty secrets in an existing file are \
        generated and written back the same way. A default TLS certificate and the node id are \
        created in the state directory when missing.

        Reconciles on start-up, on every change of the file, on SIGHUP, on API edits and every \
        --drift-interval seconds. SIGTERM or SIGINT stop it cleanly: traffic counters are flushed and \
        what the node created on the system is removed.
        """
    )

    @OptionGroup var paths: PathOptions

    @Option(name: .customLong("api"),
            help: ArgumentHelp("Listen address of the web UI and REST API, overriding `ui_listen` (host:port; port 0 picks a free one).",
                               valueName: "host:port"))
    var apiListen: String?

    @Option(name: .customLong("ui-dir"),
            help: ArgumentHelp("Serve the web UI from this directory, read on every request, instead of the copy built into the binary (for working on the UI: Sources/AdminAPI/WebUI). The environment variable HY2SCALE_UI_DIR does the same.",
                               valueName: "directory"))
    var uiDirectory: String?

    @Option(help: ArgumentHelp("Seconds between drift checks.", valueName: "seconds"))
    var driftInterval: Int = 30

    @Option(help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel = "info"

    func validate() throws {
        guard driftInterval > 0 else { throw ValidationError("--drift-interval must be at least 1 second") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        MallocTuning.apply()
        let logLevel = Logger.Level(rawValue: self.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let logger = Logger(label: "hy2scale")
        OpenFilesLimit.raise(logger: logger)
        let state: StateDirectory
        let store: StateStore
        do {
            state = try StateDirectory(path: paths.stateDirectory)
            store = try state.openStore()
            try FirstStart(configPath: paths.config, state: state, store: store, logger: logger).prepare()
        } catch {
            logger.critical("cannot prepare the node", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        let counters = try TrafficCounters(store: store)
        // Named by the first reconcile; until then it holds no peers and dials nothing.
        let mesh = MeshNode(settings: MeshSettings(name: state.nodeID, nodeID: state.nodeID),
                            group: MultiThreadedEventLoopGroup.singleton, logger: logger,
                            socketMark: SocketMarking.bypassMark)
        let trigger = ReconcileTrigger()
        // VPN peers follow their users: a kick, a used-up quota or a block running out is a
        // reason to reconcile.
        let gate = InboundGate(router: MeshRouter(node: mesh), counters: counters, logger: logger,
                               admissionsChanged: { trigger.request() })
        let tlsStore = try state.openTLSStore()
        let checkedConfig = ConfigFileCache()  // one parse per text for the reconciler and the API
        let source = ConfigFileSource(path: paths.config, cache: checkedConfig) { [stateDirectory = paths.stateDirectory] in
            ValidationContext.reading(stateDirectory: stateDirectory)
        }
        let adminTransport = AdminTransport()
        let kernel = try HostKernel(mesh: mesh, trigger: trigger, stateDirectory: paths.stateDirectory, tlsStore: tlsStore, logger: logger)
        let reconcile = ReconcileService(
            reconciler: Reconciler(
                source: source,
                drivers: NodeDrivers.all(gate: gate, mesh: mesh, kernel: kernel, stateNodeID: state.nodeID,
                                         tlsStore: tlsStore, adminTransport: adminTransport,
                                         group: MultiThreadedEventLoopGroup.singleton, logger: logger),
                logger: logger),
            trigger: trigger, driftInterval: .seconds(driftInterval), clock: ContinuousClock(), logger: logger)
        let watcher = ConfigWatcher(path: paths.config, clock: ContinuousClock()) { [trigger = reconcile.trigger] in
            trigger.request()
        }
        let flusher = TrafficFlusher(counters: counters, logger: logger)
        let configStore = ConfigStore(path: paths.config, cache: checkedConfig, validationContext: { [stateDirectory = paths.stateDirectory] in
            ValidationContext.reading(stateDirectory: stateDirectory)
        }, reconcile: { [trigger = reconcile.trigger] in await trigger.requestAndWait() })
        let restart = RestartRequest()
        let initialPassword = state.initialAdminPassword(store: store)
        let admin = AdminServer(dependencies: AdminDependencies(
            configStore: configStore, counters: counters, tlsStore: tlsStore,
            reconciler: reconcile.reconciler, nodeID: state.nodeID,
            runtime: LiveRuntime(gate: gate, mesh: mesh, tunnels: kernel.tunnelEntry, wireGuardGateway: kernel.wireGuard,
                                 ipsecGateway: kernel.ipsec, l2tpGateway: kernel.l2tp),
            initialPassword: initialPassword, transport: adminTransport,
            executablePath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? "/usr/bin/hy2scale",  // no /proc: the packaged location
            requestRestart: { await restart.request() }, listeners: gate.listeners,
            webUI: (uiDirectory ?? ProcessInfo.processInfo.environment["HY2SCALE_UI_DIR"]).map { .directory($0) } ?? .embedded,
            logger: logger))
        // Listen address and base path are read once; changing them needs a restart (reference §2.1).
        var uiConfig = (try? await configStore.snapshot().config) ?? Config()  // unreadable file: defaults
        if let apiListen { uiConfig.uiListen = apiListen }
        await AdminTransportDriver(transport: adminTransport, tlsStore: tlsStore).prime(with: uiConfig)
        let adminApp = admin.application(config: uiConfig)
        AdminPasswordNotice(initialPassword: initialPassword, logger: logger).log(for: uiConfig)
        logger.info("node starting", metadata: [
            "node.id": "\(state.nodeID)", "config.path": "\(paths.config)", "state.path": "\(paths.stateDirectory)",
            "version": "\(NodeVersion.release)",
        ])
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: flusher),
                .init(service: LimitWatch(gate: gate, clock: ContinuousClock())),
                .init(service: WireGuardTraffic(gateway: kernel.wireGuard, counters: counters, clock: ContinuousClock())),
                .init(service: HeapTrim(gate: gate, clock: ContinuousClock(), revision: { [reconciler = reconcile.reconciler] in
                    await reconciler.status.revision
                }, trim: MallocTuning.trim)),
                .init(service: mesh),  // before the reconciler, so it still runs while the teardown stops sessions
                .init(service: reconcile),
                .init(service: watcher),
                .init(service: adminApp),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        restart.attach(group)
        try await group.run()
        logger.info("node stopped")
        if restart.isRequested {
            // Non-zero, so `Restart=on-failure` starts the upgraded binary (EX_TEMPFAIL).
            throw ExitCode(75)
        }
    }
}
