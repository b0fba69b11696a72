public import Access
import Addressing
package import Foundation
package import Logging
package import Hysteria
public import NIOCore
public import NodeState
package import QUIC
public import Reconciler

/// Converges the Hysteria 2 server: starts it when the config has one, swaps the node password
/// and certificate in place (live connections stay; peers of a replaced password are closed),
/// rebinds for a new address or obfuscation, and stops it when the config drops it.
public struct HysteriaServerDriver: Driver {
    /// The server the config asks for; its certificate files are empty when it names none.
    public typealias Config = HysteriaServerSpec?
    public let kind = "hy2"
    private let running: RunningHysteriaServer
    private let tlsStore: TLSStore?

    /// - Parameters:
    ///   - tlsStore: its `default` certificate is presented when the config names no files.
    ///   - mesh: serves the relay streams of peers that log in with the node password.
    ///   - loginTimeout: how long a client may take from its handshake to a successful login.
    public init(gate: InboundGate, tlsStore: TLSStore?, mesh: (any PeerStreamService)? = nil, group: any EventLoopGroup,
                loginTimeout: Duration = .seconds(10)) {
        running = RunningHysteriaServer(gate: gate, mesh: mesh, group: group, loginTimeout: loginTimeout)
        self.tlsStore = tlsStore
    }

    public func desired(for spec: HysteriaServerSpec?) -> [HysteriaServerSpec] {
        spec.map { [$0.presenting(defaultCertificate)] } ?? []
    }

    /// The TLS store's default certificate files, when both exist.
    private var defaultCertificate: (certificate: String, key: String)? {
        guard let tlsStore, let certificate = try? tlsStore.certificateURL(id: TLSStore.defaultID).path,
              let key = try? tlsStore.keyURL(id: TLSStore.defaultID).path,
              FileManager.default.fileExists(atPath: certificate), FileManager.default.fileExists(atPath: key)
        else { return nil }
        return (certificate, key)
    }

    public func observe() async throws -> [HysteriaServerSpec] { await running.spec.map { [$0] } ?? [] }

    public func apply(_ plan: Plan<HysteriaServerSpec>) async -> [Outcome<HysteriaServerSpec>] {
        await plan.applyEach { change in
            switch change {
            case .create(let spec): try await running.start(spec)
            case .update(_, let new): try await running.update(to: new)
            case .delete: await running.stop()
            }
        }
    }
}

/// The one server and the spec it runs.
package actor RunningHysteriaServer {
    private let gate: InboundGate
    private let mesh: (any PeerStreamService)?
    private let group: any EventLoopGroup
    private let loginTimeout: Duration
    private(set) var spec: HysteriaServerSpec?
    private var server: HysteriaServer?
    /// The certificate made when the config names no files; kept while the server runs.
    private var generated: QUICServerIdentity?

    package init(gate: InboundGate, mesh: (any PeerStreamService)?, group: any EventLoopGroup, loginTimeout: Duration) {
        self.gate = gate
        self.mesh = mesh
        self.group = group
        self.loginTimeout = loginTimeout
    }

    package func start(_ new: HysteriaServerSpec) async throws {
        let identity = try identity(for: new)
        let obfuscation = try new.obfuscationPassword.map { try Salamander(password: $0) }
        guard case .success(let listen) = ListenAddress.parse(new.listen, allowsAnyPort: true) else { throw ListenerError.badAddress(new.listen) }
        do {
            let address = try SocketAddress.makeAddressResolvingHost(listen.host.isEmpty ? "0.0.0.0" : listen.host, port: listen.port)
            server = try await HysteriaServer.start(at: address, password: new.password, identity: identity,
                                                   obfuscation: obfuscation, loginTimeout: loginTimeout, gate: gate, mesh: mesh, group: group)
        } catch {
            throw ListenerError.bind(new.listen, reason: "\(error)")
        }
        spec = new
        gate.recordListening(key: HysteriaServer.listenerKey, listen: new.listen, at: server?.quic.localAddress,
                             metadata: ["salamander": "\(obfuscation != nil)"])
    }

    package func update(to new: HysteriaServerSpec) async throws {
        guard let old = spec, let server else { return try await start(new) }
        if new.needsRebind(from: old) {
            // The same UDP port cannot be bound twice, so a moved server binds first only when it moves.
            if new.listen == old.listen { await stop() }
            let previous = self.server
            try await start(new)
            if new.listen != old.listen { await previous?.close() }
            return
        }
        if new.certificatePath != old.certificatePath || new.keyPath != old.keyPath || new.certificateDigest != old.certificateDigest {
            try await server.quic.replaceIdentity(try identity(for: new))
        }
        await server.update(password: new.password)
        spec = new
    }

    package func stop() async {
        gate.forgetListening(HysteriaServer.listenerKey)
        await server?.close()
        server = nil
        spec = nil
        generated = nil
    }

    /// The certificate files of `spec`, or a self-signed certificate made once when there are
    /// none (no TLS store: reference-api §2.2's ephemeral certificate).
    private func identity(for spec: HysteriaServerSpec) throws -> QUICServerIdentity {
        if spec.certificatePath.isEmpty {
            if let generated { return generated }
            let certificate = try SelfSignedCertificate.generate(domains: ["hy2scale"], notValidBefore: Date(timeIntervalSinceNow: -86_400), days: 3650)
            let identity = QUICServerIdentity(certificateChainPEM: certificate.certificatePEM, privateKeyPEM: certificate.privateKeyPEM)
            generated = identity
            return identity
        }
        do {
            return QUICServerIdentity(certificateChainPEM: try String(contentsOfFile: spec.certificatePath, encoding: .utf8),
                                      privateKeyPEM: try String(contentsOfFile: spec.keyPath, encoding: .utf8))
        } catch {
            throw ListenerError.certificateFiles(spec.certificatePath, spec.keyPath, reason: "\(error.localizedDescription)")
        }
    }
}
