public import Logging
public import NodeState
public import Reconciler
public import ScaleConfig
import Foundation
import HTTPTypes
import Hummingbird
import YAMLDocument

/// Everything the admin API reads or asks for; handlers never touch runtime objects directly.
public struct AdminDependencies: Sendable {
    /// The config file, for every read and write of declared state.
    public var configStore: ConfigStore
    /// Runtime facts: traffic counters, layout.
    public var counters: TrafficCounters
    /// The TLS store of the state directory.
    public var tlsStore: TLSStore
    /// The reconciler, for status.
    public var reconciler: Reconciler<Config>
    /// Admin sessions.
    public var sessions: SessionStore
    /// The password made on first start, while it is in force; `nil` where the node keeps none.
    public var initialPassword: InitialAdminPassword?
    /// This node's id from the state directory.
    public var nodeID: String
    /// Live peers, traffic and sessions.
    public var runtime: any NodeRuntime
    /// TLS and `force_https` for new connections, kept by ``AdminTransportDriver``.
    public var transport: AdminTransport
    /// Graph layout changes, for the event stream.
    public var layoutEvents: LayoutBroadcaster
    /// The binary an upgrade replaces (the running one by default).
    public var executablePath: String
    /// Asks the node to stop so the service manager starts the new binary.
    public var requestRestart: @Sendable () async -> Void
    /// The sockets the node listens on; the admin server records its own here, and
    /// `GET /api/status` lists them all.
    public var listeners: BoundListeners
    /// Where the web UI's files come from: built in, or a directory for development.
    public var webUI: WebUIAssets.Source
    public var logger: Logger

    public init(configStore: ConfigStore, counters: TrafficCounters, tlsStore: TLSStore,
                reconciler: Reconciler<Config>, nodeID: String, runtime: any NodeRuntime = IdleRuntime(),
                sessions: SessionStore = SessionStore(), initialPassword: InitialAdminPassword? = nil,
                transport: AdminTransport = AdminTransport(),
                executablePath: String = CommandLine.arguments.first ?? "/usr/bin/hy2scale",
                requestRestart: @escaping @Sendable () async -> Void = {}, listeners: BoundListeners = BoundListeners(),
                webUI: WebUIAssets.Source = .embedded, logger: Logger) {
        self.webUI = webUI
        self.executablePath = executablePath
        self.listeners = listeners
        self.requestRestart = requestRestart
        self.nodeID = nodeID
        self.runtime = runtime
        self.layoutEvents = LayoutBroadcaster()
        self.configStore = configStore
        self.counters = counters
        self.tlsStore = tlsStore
        self.reconciler = reconciler
        self.sessions = sessions
        self.initialPassword = initialPassword
        self.transport = transport
        self.logger = logger
    }

    /// Deletes the initial password's file and record once the password has been changed; a
    /// failure is logged, since the change itself has happened.
    func forgetInitialPassword() {
        do {
            try initialPassword?.clear()
        } catch {
            logger.warning("cannot remove the initial admin password file", metadata: ["error": "\(error)"])
        }
    }
}
