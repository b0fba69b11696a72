package import Access
package import Logging
package import NIOCore
package import NIOPosix
package import QUIC
package import Routing
package import Synchronization

/// A running Hysteria 2 server: the QUIC socket, its connections, and the settings they read.
/// The node password and certificate change in place; live peer connections of a replaced
/// password are closed, and users' connections follow the access policy through the gate.
package final class HysteriaServer: Sendable {
    /// The listener key its flows are admitted under.
    package static let listenerKey = "hy2"

    /// What a credential turned out to be.
    package enum CredentialCheck {
        /// The node password: a peer node (DECISIONS #8).
        case peer
        case user(Account)
        /// Refused; the name it gave (never the password) and why, for the log.
        case refused(user: String, reason: String)
    }

    package let quic: QUICServer
    package let context: ListenerContext
    package let logger: Logger
    /// Serves the relay streams of peers; without it peers can only proxy.
    package let mesh: (any PeerStreamService)?
    /// Time from a client's handshake to its successful login.
    package let loginTimeout: Duration
    private let password: Mutex<String>
    /// Connections logged in with the node password, closed when it changes.
    private let peers = Mutex<[ObjectIdentifier: HysteriaServerConnection]>([:])
    private let acceptor = Mutex<Task<Void, Never>?>(nil)

    private init(quic: QUICServer, password: String, loginTimeout: Duration, gate: InboundGate, mesh: (any PeerStreamService)?) {
        self.quic = quic
        self.mesh = mesh
        self.loginTimeout = loginTimeout
        self.password = Mutex(password)
        context = ListenerContext(key: Self.listenerKey, inbound: .hy2, authMode: .users, exit: .direct, gate: gate)
        logger = gate.logger
    }

    /// Binds `address` and starts serving.
    package static func start(at address: SocketAddress, password: String, identity: QUICServerIdentity,
                      obfuscation: (any QUICPacketObfuscation)?, loginTimeout: Duration, gate: InboundGate,
                      mesh: (any PeerStreamService)?, group: any EventLoopGroup) async throws -> HysteriaServer {
        var configuration = QUICConfiguration()
        configuration.maxIncomingBidirectionalStreams = 4096  // reference-api §2.2
        configuration.maxIncomingUnidirectionalStreams = 16
        configuration.obfuscation = obfuscation
        let quic = try await QUICServer.bind(to: address, identity: identity, configuration: configuration,
                                             group: group, logger: gate.logger)
        let server = HysteriaServer(quic: quic, password: password, loginTimeout: loginTimeout, gate: gate, mesh: mesh)
        // Bridge: a driver starts the server and has no run() to own children; closing the socket
        // ends the connections' stream, and close() waits for this task.
        let task = Task { [server] in
            await withDiscardingTaskGroup { group in
                for await connection in quic.connections {
                    group.addTask { await HysteriaServerConnection(quic: connection, server: server).run() }
                }
            }
        }
        server.acceptor.withLock { $0 = task }
        return server
    }

    /// A node with `exit_node: false` relays for its peers but does not dial targets for them
    /// (v1.3 never enforced the flag).
    package var refusesPeerExits: Bool { mesh?.refusesPeerExits ?? false }

    /// Checks a login's credential: the node password first, then users when the config lets
    /// them use hy2 (DECISIONS #8).
    package func authenticate(_ credential: String) -> CredentialCheck {
        if constantTimeEqual(credential, password.withLock { $0 }) { return .peer }
        // For the log: the name before a colon when it is a user's. A credential without one is a
        // bare password, and a name nobody has may be one mistyped.
        let claimed = credential.firstIndex(of: ":").map { String(credential[..<$0]) }
        let user = claimed.flatMap { context.gate.policy.account(username: $0) != nil ? $0 : nil } ?? ""
        guard context.gate.policy.usersMayUseHy2 else {
            return .refused(user: user, reason: "not the node password, and users may not log in (hy2_user_auth: false)")
        }
        switch context.gate.authenticate(hysteriaCredential: credential) {
        case .success(let account): return .user(account)
        case .failure(let refusal): return .refused(user: user, reason: "\(refusal)")
        }
    }

    /// Sets the node password; peers logged in with the old one are closed.
    package func update(password new: String) async {
        let changed = password.withLock { current in
            defer { current = new }
            return current != new
        }
        guard changed else { return }
        let stale = peers.withLock { peers in
            defer { peers.removeAll() }
            return Array(peers.values)
        }
        for peer in stale { await peer.quic.close(errorCode: HysteriaErrorCode.noError) }
    }

    package func rememberPeer(_ connection: HysteriaServerConnection) {
        peers.withLock { $0[ObjectIdentifier(connection)] = connection }
    }

    package func forgetPeer(_ connection: HysteriaServerConnection) {
        peers.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    /// Closes every connection (H3_NO_ERROR) and the socket, and ends the flows admitted here.
    package func close() async {
        await quic.close(errorCode: HysteriaErrorCode.noError)
        await acceptor.withLock { $0 }?.value
        context.gate.endFlows(ofListener: Self.listenerKey)
    }
}
