import Addressing
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NodeState
import QRCode
import ScaleConfig
import YAMLDocument

/// The WireGuard server, `wireguard`, and its peers (reference §5.10, DECISIONS #5, #21).
///
/// Peer names and public keys are unique (409). `GET /api/wireguard/qr` lives elsewhere; it
/// renders ``clientConfig(peerName:config:endpointHost:)``.
struct WireGuardController {
    let deps: AdminDependencies

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("wireguard", use: show)
        group.put("wireguard", use: update)
        group.post("wireguard/generate-key", use: generateKey)
        group.post("wireguard/peers", use: createPeer)
        group.put("wireguard/peers/{name}", use: updatePeer)
        group.delete("wireguard/peers/{name}", use: deletePeer)
        group.get("wireguard/peers/{name}/config", use: peerConfig)
        group.get("wireguard/qr", use: qrCode)
    }

    /// The section when absent.
    static let defaults = WireGuardConfig(isEnabled: false, listenPort: WireGuardConfig.defaultListenPort, privateKey: "",
                                          address: "10.0.0.1/24", mtu: WireGuardConfig.defaultMTU)

    /// A peer's handshake counts as connected this long (WireGuard re-keys every two minutes).
    static let connectedWindow: Int64 = 180

    /// The section with the derived server public key, and the running device: its engine
    /// (`backend`), why it is not running when it should be (`reason`), and each peer's
    /// endpoint, last handshake and bytes (`peer_status`).
    struct View: Encodable, Sendable {
        var section: WireGuardConfig
        var public_key: String
        var running: Bool
        var backend: String?
        var reason: String?
        var connected: Int
        var peer_status: [PeerStatus]

        struct PeerStatus: Encodable, Sendable {
            var name: String
            var public_key: String
            var endpoint: String?
            /// Unix seconds of the last handshake; 0 for none.
            var latest_handshake: Int64
            var rx_bytes: UInt64
            var tx_bytes: UInt64
        }

        enum CodingKeys: String, CodingKey { case public_key, running, backend, reason, connected, peer_status }

        func encode(to encoder: any Encoder) throws {
            try section.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(public_key, forKey: .public_key)
            try c.encode(running, forKey: .running)
            try c.encodeIfPresent(backend, forKey: .backend)
            try c.encodeIfPresent(reason, forKey: .reason)
            try c.encode(connected, forKey: .connected)
            try c.encode(peer_status, forKey: .peer_status)
        }
    }

    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> Tagged<View> {
        let snapshot = try await deps.configStore.snapshot()
        let section = snapshot.config.wireGuard ?? Self.defaults
        let publicKey = (try? SecretGenerator.wireGuardPublicKey(fromPrivateKey: section.privateKey)) ?? ""
        let live = await deps.runtime.wireGuard()
        let names = Dictionary(section.peers.map { ($0.publicKey, $0.name) }, uniquingKeysWith: { first, _ in first })
        let now = Int64(Date().timeIntervalSince1970)
        let peers = live.peers.map { peer in
            View.PeerStatus(name: names[peer.publicKey] ?? "", public_key: peer.publicKey, endpoint: peer.endpoint,
                            latest_handshake: peer.lastHandshake, rx_bytes: peer.receivedBytes, tx_bytes: peer.sentBytes)
        }
        let view = View(section: section, public_key: publicKey, running: live.isRunning, backend: live.backend,
                        reason: section.isEnabled ? live.reason : nil,
                        connected: peers.filter { $0.latest_handshake > 0 && now - $0.latest_handshake < Self.connectedWindow }.count,
                        peer_status: peers)
        return Tagged(body: view, revision: snapshot.revision)
    }

    /// Full replace of the section, except: `peers` are kept when the body has none (use the
    /// peer calls to change them), and an empty `private_key` keeps the current key.
    @Sendable func update(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let body = try await request.decodeJSON(as: KeyedBody<WireGuardConfig>.self, context: context)
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            var section = body.value
            var keeping: Set<String> = []
            if section.peers.isEmpty { keeping.insert("peers") }
            if section.privateKey.isEmpty { keeping.insert("private_key") }
            for (i, peer) in section.peers.enumerated() {
                section.peers[i].synchronizeExits()
                if let other = section.peers[..<i].first(where: { $0.name == peer.name }) {
                    throw APIError.conflict("two peers are named \"\(other.name)\"", field: "peers[\(i)].name")
                }
            }
            try edit.replaceEntry(at: ["wireguard"], with: section, keeping: keeping)
        }
        return result
    }

    struct KeyPair: ResponseEncodable, Sendable {
        var private_key: String
        var public_key: String
    }

    @Sendable func generateKey(_ request: Request, context: AdminRequestContext) async throws -> KeyPair {
        let privateKey = SecretGenerator.wireGuardPrivateKey()
        return KeyPair(private_key: privateKey, public_key: try SecretGenerator.wireGuardPublicKey(fromPrivateKey: privateKey))
    }

    @Sendable func createPeer(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        var peer = try await request.decodeJSON(as: WireGuardPeer.self, context: context)
        peer.synchronizeExits()
        if peer.publicKey.isEmpty, !peer.privateKey.isEmpty {
            peer.publicKey = (try? SecretGenerator.wireGuardPublicKey(fromPrivateKey: peer.privateKey)) ?? ""
        }
        guard !peer.name.isEmpty, !peer.publicKey.isEmpty, !peer.allowedIPs.isEmpty else {
            throw APIError.badRequest("name, public_key, allowed_ips required",
                                      field: peer.name.isEmpty ? "name" : peer.publicKey.isEmpty ? "public_key" : "allowed_ips")
        }
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { [peer] edit in
            try edit.config.checkWireGuardPeerUnique(peer, except: nil)
            if edit.config.wireGuard == nil {
                try edit.set(["wireguard"], to: YAMLValue.mapping([.init("peers", try ConfigEdit.yaml([peer]))]))
            } else {
                try edit.append(peer, to: ["wireguard", "peers"])
            }
        }
        return result
    }

    /// Full replace of the peer; an empty body `name` keeps the name, another renames.
    @Sendable func updatePeer(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let name = try context.parameters.requireDecoded("name")
        var peer = try await request.decodeJSON(as: WireGuardPeer.self, context: context)
        peer.synchronizeExits()
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { [peer] edit in
            let index = try edit.config.wireGuardPeerIndex(name)
            var peer = peer
            if peer.name.isEmpty { peer.name = name }
            try edit.config.checkWireGuardPeerUnique(peer, except: index)
            try edit.replaceEntry(at: ["wireguard", "peers", .index(index)], with: peer)
        }
        return result
    }

    @Sendable func deletePeer(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let name = try context.parameters.requireDecoded("name")
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            try edit.remove(["wireguard", "peers", .index(try edit.config.wireGuardPeerIndex(name))])
        }
        return result
    }

    /// The client `.conf` as `text/plain`, offered as `<name>.conf`.
    @Sendable func peerConfig(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let name = try context.parameters.requireDecoded("name")
        let snapshot = try await deps.configStore.snapshot()
        let text = try Self.clientConfig(peerName: name, config: snapshot.config, endpointHost: Self.endpointHost(of: request))
        let fileName = name.replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "/", with: "_")
        return Response(status: .ok,
                        headers: [.contentType: "text/plain; charset=utf-8",
                                  .contentDisposition: "attachment; filename=\"\(fileName).conf\"",
                                  .eTag: "\"\(snapshot.revision)\""],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The host clients should dial: `?endpoint=` when given, else the host the request was sent
    /// to (`Host`), an IPv6 address in brackets; `nil` when neither is known.
    static func endpointHost(of request: Request) -> String? {
        if let given = request.uri.queryParameters.get("endpoint"), !given.isEmpty { return bracketed(given) }
        guard let authority = request.head.authority, !authority.isEmpty else { return nil }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[...close])
        }
        if authority.filter({ $0 == ":" }).count == 1, let colon = authority.firstIndex(of: ":") {
            return String(authority[..<colon])
        }
        return bracketed(authority)
    }

    private static func bracketed(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }

    /// The WireGuard client configuration of peer `peerName`.
    ///
    /// - Parameter endpointHost: host (IPv6 in brackets) for `Endpoint`; the line is left out when `nil`.
    /// - Throws: ``APIError`` 404 when there is no WireGuard section or no such peer; 409 when the
    ///   server or the peer has no usable private key.
    static func clientConfig(peerName: String, config: Config, endpointHost: String?) throws -> String {
        guard let server = config.wireGuard else { throw APIError.notFound("wireguard not configured") }
        guard let peer = server.peers.first(where: { $0.name == peerName }) else {
            throw APIError.notFound("peer not found: no WireGuard peer is named \"\(peerName)\"")
        }
        guard let serverPublicKey = try? SecretGenerator.wireGuardPublicKey(fromPrivateKey: server.privateKey) else {
            throw APIError.conflict("the WireGuard server has no valid private_key; set one first", field: "wireguard.private_key")
        }
        guard !peer.privateKey.isEmpty else {
            throw APIError.conflict("peer \"\(peer.name)\" has no stored private_key, so its client config cannot be written",
                                    field: "private_key")
        }
        var lines = [
            "[Interface]",
            "PrivateKey = \(peer.privateKey)",
            "Address = \(peer.allowedIPs)",
            "DNS = \(config.wireGuardClientDNS)",
            "MTU = \(server.effectiveMTU)",
            "",
            "[Peer]",
            "PublicKey = \(serverPublicKey)",
        ]
        if let endpointHost { lines.append("Endpoint = \(endpointHost):\(server.effectiveListenPort)") }
        lines.append("AllowedIPs = 0.0.0.0/0, ::/0")
        if peer.keepalive > 0 { lines.append("PersistentKeepalive = \(peer.keepalive)") }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension WireGuardPeer {
    /// Exit sync (reference §0.5).
    mutating func synchronizeExits() {
        if let first = exitPaths.first { exitVia = first }
    }
}

extension Config {
    /// The index of the WireGuard peer named `name`, or 404.
    func wireGuardPeerIndex(_ name: String) throws -> Int {
        guard let index = wireGuard?.peers.firstIndex(where: { $0.name == name }) else {
            throw APIError.notFound("no WireGuard peer is named \"\(name)\"")
        }
        return index
    }

    /// 409 when another peer (not `except`) has the same name or public key.
    func checkWireGuardPeerUnique(_ peer: WireGuardPeer, except: Int?) throws {
        for (i, other) in (wireGuard?.peers ?? []).enumerated() where i != except {
            if other.name == peer.name {
                throw APIError.conflict("a WireGuard peer named \"\(peer.name)\" exists", field: "name")
            }
            if !peer.publicKey.isEmpty, other.publicKey == peer.publicKey {
                throw APIError.conflict("the WireGuard peer \"\(other.name)\" has this public key", field: "public_key")
            }
        }
    }
}

extension WireGuardController {
    /// `GET /api/wireguard/qr?peer=NAME` (or `?text=` for v1.3): a PNG QR code of the peer's
    /// client configuration, for phone apps (DECISIONS #21).
    @Sendable func qrCode(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let text: String
        switch (query.get("peer"), query.get("text")) {
        case (let peer?, nil) where !peer.isEmpty:
            let config = try await deps.configStore.snapshot().config
            text = try Self.clientConfig(peerName: peer, config: config, endpointHost: Self.endpointHost(of: request))
        case (nil, let given?) where !given.isEmpty:
            text = given
        default:
            throw APIError.badRequest("give either ?peer=NAME or ?text=TEXT", field: "peer")
        }
        let png: [UInt8]
        do {
            png = try QRCode.png(for: text)
        } catch {
            throw APIError.badRequest("cannot encode this text as a QR code: \(error)", field: "text")
        }
        return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: png)))
    }
}
