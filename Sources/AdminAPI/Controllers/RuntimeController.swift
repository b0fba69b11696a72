import Foundation
public import Hummingbird
import ScaleConfig

/// Live figures: stats, peers, topology, device sessions (reference §5.2-5.4, §5.14). They come
/// from ``NodeRuntime``; nothing here is invented.
struct RuntimeController {
    let deps: AdminDependencies

    func addPublicRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("internal/peers", use: internalPeers)
    }

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("stats", use: stats)
        group.get("peers", use: peers)
        group.get("topology", use: topology)
        group.get("peers/{name}/peers", use: subPeers)
        group.get("sessions", use: sessions)
        group.delete("sessions/{key}", use: kick)
    }

    @Sendable func stats(_ request: Request, context: AdminRequestContext) async throws -> RuntimeStats {
        await deps.runtime.stats()
    }

    /// Self first, then every live peer (seed: `is_self`, `direction: local`).
    @Sendable func peers(_ request: Request, context: AdminRequestContext) async throws -> [PeerEntry] {
        let config = try await deps.configStore.snapshot().config
        let live = await deps.runtime.livePeers()
        return [PeerEntry.me(config.effectiveName(stateNodeID: deps.nodeID))]
            + live.map { PeerEntry(live: $0, nested: config.peers[$0.name]?.isNested ?? false) }
    }

    /// Self, then every configured or live peer by name; configured peers that are not connected
    /// show `connected: false` and latency −1.
    @Sendable func topology(_ request: Request, context: AdminRequestContext) async throws -> [PeerEntry] {
        let config = try await deps.configStore.snapshot().config
        let live = Dictionary(await deps.runtime.livePeers().map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var me = PeerEntry.me(config.effectiveName(stateNodeID: deps.nodeID))
        me.addr = config.server?.listen
        me.disabled = config.server?.listen.isEmpty ?? true
        let names = Set(config.clients.map(\.name)).union(live.keys).sorted()
        return [me] + names.map { name in
            let client = config.clients.first { $0.name == name }
            var entry = live[name].map { PeerEntry(live: $0, nested: config.peers[name]?.isNested ?? false) }
                ?? PeerEntry(name: name, direction: "outbound", latency_ms: -1, nested: config.peers[name]?.isNested ?? false)
            entry.addr = client?.address
            entry.disabled = client?.isDisabled ?? false
            entry.connected = live[name] != nil && !(client?.isDisabled ?? false)
            return entry
        }
    }

    @Sendable func subPeers(_ request: Request, context: AdminRequestContext) async throws -> [PeerEntry] {
        let name = try context.parameters.requireDecoded("name")
        do {
            return try await deps.runtime.peers(of: name).map { PeerEntry(live: $0, nested: false) }
        } catch let error as NotConnected {
            throw APIError.notFound("relay: \(error)")
        } catch {
            throw APIError(.badGateway, "relay: \(error)")
        }
    }

    struct Sessions: ResponseEncodable {
        var devices: [DeviceSession]
        var total: Int
    }

    @Sendable func sessions(_ request: Request, context: AdminRequestContext) async throws -> Sessions {
        let devices = await deps.runtime.sessions()
        return Sessions(devices: devices, total: devices.count)
    }

    @Sendable func kick(_ request: Request, context: AdminRequestContext) async throws -> StatusOK {
        let key = try context.parameters.requireDecoded("key")
        guard await deps.runtime.kick(sessionKey: key) else { throw APIError.notFound("session not found") }
        return StatusOK()
    }

    /// Public: peers a relay neighbour may see (reference §5.1); only live, non-disabled ones.
    @Sendable func internalPeers(_ request: Request, context: AdminRequestContext) async throws -> [PeerEntry] {
        let config = try await deps.configStore.snapshot().config
        return await deps.runtime.livePeers()
            .filter { !(config.peers[$0.name]?.isDisabled ?? false) }
            .map { PeerEntry(live: $0, nested: config.peers[$0.name]?.isNested ?? false) }
    }
}

/// One node in `/api/peers` and `/api/topology`.
struct PeerEntry: ResponseEncodable, Sendable {
    var name: String
    var addr: String?
    var direction: String
    var exit_node = false
    var connected = false
    var disabled = false
    var nested = false
    var latency_ms = 0
    var tx_rate: UInt64 = 0
    var rx_rate: UInt64 = 0
    var version: String?
    var is_self: Bool?
    var children: [PeerEntry]?

    init(name: String, direction: String, latency_ms: Int = 0, nested: Bool = false) {
        self.name = name
        self.direction = direction
        self.latency_ms = latency_ms
        self.nested = nested
    }

    init(live: LivePeer, nested: Bool) {
        self.init(name: live.name, direction: live.direction, latency_ms: live.latency_ms, nested: nested)
        exit_node = live.exit_node
        connected = true
        version = live.version
        tx_rate = live.tx_rate
        rx_rate = live.rx_rate
    }

    static func me(_ name: String) -> PeerEntry {
        var entry = PeerEntry(name: name, direction: "local")
        entry.connected = true
        entry.is_self = true
        entry.version = BuildInfo.version
        return entry
    }
}

extension RuntimeStats: ResponseEncodable {}
