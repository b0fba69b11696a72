import Assembly
import AdminAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NodeState
import Reconciler
import ScaleConfig
import TestSupport

/// A node's admin API over a real config file and state directory in a temporary folder.
///
/// A config without `web_password` gets ``TestAdmin``'s, so ``APIClient/login()`` works; a test
/// of the password rules writes its own.
struct APITestNode {
    static let sha256Admin = TestAdmin.defaultDigest

    let dir: TemporaryDirectory
    let configURL: URL
    let server: AdminServer
    /// Where the admin server records its socket once bound.
    let listeners = BoundListeners()
    let counters: TrafficCounters
    /// Where an upgrade would install the binary, and whether it asked for a restart.
    let executable: URL
    let restarts = TextBuffer()

    /// The initial admin password record of the state directory.
    let initialPassword: InitialAdminPassword
    /// The state directory's TLS store.
    let tlsStore: TLSStore
    /// The config's reconciler; its one driver keeps the admin server's TLS.
    let reconciler: Reconciler<Config>

    init(config: String) throws {
        dir = try TemporaryDirectory()
        configURL = dir.child("config.yaml")
        let text = config.contains("web_password") ? config : TestAdmin.configLine + config
        try Data(text.utf8).write(to: configURL)
        let state = try StateDirectory(path: dir.child("state").path)
        let stateStore = try state.openStore()
        counters = try TrafficCounters(store: stateStore)
        initialPassword = state.initialAdminPassword(store: stateStore)
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let context: @Sendable () -> ValidationContext = { [path = dir.child("state").path] in
            let ids = (try? TLSStore.certificateIDs(in: URL(fileURLWithPath: path).appendingPathComponent("tls"))) ?? []
            return ValidationContext(tlsCertificateIDs: ids, nodeID: "a1b2c3d4")
        }
        tlsStore = try state.openTLSStore()
        let transport = AdminTransport()
        let checked = ConfigFileCache()  // shared, as in the node
        let reconciler = Reconciler(source: ConfigFileSource(path: configURL.path, cache: checked, context: context),
                                    drivers: [AnyDriver(AdminTransportDriver(transport: transport, tlsStore: tlsStore))],
                                    logger: logger)
        self.reconciler = reconciler
        let store = ConfigStore(path: configURL.path, cache: checked, validationContext: context,
                                reconcile: { await reconciler.reconcile() })
        executable = dir.child("bin/hy2scale")
        try FileManager.default.createDirectory(at: executable.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("old binary".utf8).write(to: executable)
        server = AdminServer(dependencies: AdminDependencies(
            configStore: store, counters: counters, tlsStore: tlsStore, reconciler: reconciler,
            nodeID: state.nodeID, initialPassword: initialPassword, transport: transport, executablePath: executable.path,
            requestRestart: { [restarts] in restarts.append("restart") }, listeners: listeners, logger: logger))
    }

    var text: String { (try? String(contentsOf: configURL, encoding: .utf8)) ?? "" }

    /// Runs `body` against the API on a real socket.
    func test(_ body: @escaping @Sendable (APIClient) async throws -> Void) async throws {
        let app = Application(router: server.router(basePath: "/scale"))
        try await app.test(.live) { client in try await body(APIClient(client: client)) }
        dir.remove()
    }
}

/// A thin JSON client over the test client.
struct APIClient: Sendable {
    let client: any TestClientProtocol

    /// The live server's port.
    var port: Int { client.port ?? 0 }

    struct Answer: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
    }

    func call(_ method: HTTPRequest.Method, _ path: String, token: String? = nil, body: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> Answer {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: "/scale/api/" + path, method: method, headers: headers,
                                        body: body.map { ByteBuffer(string: $0) }) { response in
            Answer(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    func json(_ value: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }

    /// Logs in as admin with ``TestAdmin``'s password (or `digest`) and returns the token.
    func login(digest: String = TestAdmin.digest) async throws -> String {
        let answer = try await call(.post, "login", body: json(["username": "admin", "password": digest]))
        return answer.object["token"] as? String ?? ""
    }
}

extension HTTPField.Name {
    /// Where upload calls take the current admin password.
    static let currentPassword = HTTPField.Name("X-Current-Password")!
}
