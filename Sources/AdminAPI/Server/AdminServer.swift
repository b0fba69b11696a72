public import Hummingbird
import HummingbirdCore
import Logging
public import ScaleConfig
import Foundation
import HTTPTypes
import YAMLDocument
import NIOCore
import NodeState
import Reconciler

/// The admin HTTP server: the web UI at the UI base path (`/scale/`) and the REST API under it
/// (`/scale/api/...`).
///
/// A Hummingbird `Application`, so it runs as a service of the node's service group. Listen
/// address and base path are read from the config at start (`ui_listen`, `ui_base_path`).
public struct AdminServer: Sendable {
    let deps: AdminDependencies

    public init(dependencies: AdminDependencies) { deps = dependencies }

    /// The router with every route, for the server and for tests.
    public func router(basePath: String) -> Router<AdminRequestContext> {
        let router = Router(context: AdminRequestContext.self)
        router.add(middleware: StrictTransportMiddleware(transport: deps.transport))
        router.add(middleware: NotFoundMiddleware())
        router.add(middleware: WebUIMiddleware(basePath: basePath, source: deps.webUI))
        let api = router.group(RouterPath(basePath + "/api"))
        let limiter = LoginLimiter(clock: ContinuousClock())
        let auth = AuthController(deps: deps, limiter: limiter)
        let status = StatusController(deps: deps)
        auth.addPublicRoutes(to: api)
        status.addPublicRoutes(to: api)
        RuntimeController(deps: deps).addPublicRoutes(to: api)
        api.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        let signedIn = api.group().add(middleware: AuthMiddleware(sessions: deps.sessions, configStore: deps.configStore))
        auth.addRoutes(to: signedIn)
        // Everything else is closed to a session that must change the initial password first.
        let secured = signedIn.group().add(middleware: InitialPasswordGate())
        status.addRoutes(to: secured)
        NodeController(deps: deps).addRoutes(to: secured)
        UsersController(deps: deps).addRoutes(to: secured)
        GraphLayoutController(deps: deps).addRoutes(to: secured)
        RuntimeController(deps: deps).addRoutes(to: secured)
        SystemController(deps: deps).addRoutes(to: secured)
        TLSController(deps: deps).addRoutes(to: secured)
        BackupController(deps: deps, limiter: limiter).addRoutes(to: secured)
        UpgradeController(deps: deps, limiter: limiter).addRoutes(to: secured)
        ClientsController(deps: deps).addRoutes(to: secured)
        PeersFlagsController(deps: deps).addRoutes(to: secured)
        ProxiesController(deps: deps).addRoutes(to: secured)
        ShadowsocksController(deps: deps).addRoutes(to: secured)
        L2TPController(deps: deps).addRoutes(to: secured)
        IKEv2Controller(deps: deps).addRoutes(to: secured)
        WireGuardController(deps: deps).addRoutes(to: secured)
        RulesController(deps: deps).addRoutes(to: secured)
        BatchController(deps: deps).addRoutes(to: secured)
        SettingsController(deps: deps).addRoutes(to: secured)
        ConfigController(deps: deps).addRoutes(to: secured)
        // Unknown API paths answer JSON 404 after authentication, like every other error.
        return router
    }

    /// How long a connection may go without a request part: a client that connects and sends
    /// nothing, drips a request head, or keeps an idle keep-alive connection is closed after it.
    /// A response in progress (an event stream) does not count as idle. A request body gets as
    /// long, plus a second per KiB that arrives (``RequestBodyDeadline``).
    public static let idleTimeout = Duration.seconds(30)

    /// The key the admin server's socket is recorded under in ``AdminDependencies/listeners``.
    public static let listenerKey = "ui"

    /// The application, listening where the config says, serving HTTPS and plain HTTP on one
    /// port as ``AdminDependencies/transport`` says.
    /// - Parameter idleTimeout: see ``idleTimeout``; tests pass a short one.
    public func application(config: Config, idleTimeout: Duration = AdminServer.idleTimeout) -> some ApplicationProtocol {
        let (host, port) = Self.split(config.effectiveUIListen)
        let limit = TimeAmount(idleTimeout)
        let server = HTTPServerBuilder { [transport = deps.transport] responder in
            let http = HTTP1Channel(responder: responder, configuration: .init(
                additionalChannelHandlers: [RequestBodyDeadline(limit: limit, bytesPerSecond: 1024)], idleTimeout: limit))
            return AdminChildChannel(base: http, transport: transport)
        }
        let listen = config.effectiveUIListen
        return Application(router: router(basePath: config.effectiveUIBasePath), server: server,
                           configuration: .init(address: .hostname(host, port: port), serverName: "hy2scale"),
                           onServerRunning: { [deps] channel in
                               let bound = channel.localAddress
                               deps.listeners.record(BoundListener(key: Self.listenerKey, listen: listen, host: bound?.ipAddress ?? host,
                                                                   port: bound?.port ?? port), logger: deps.logger)
                           },
                           logger: deps.logger)
    }

    /// `host:port` (IPv6 hosts in brackets) into its parts; validation has already checked it.
    static func split(_ listen: String) -> (String, Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
            return ("0.0.0.0", 5565)
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
