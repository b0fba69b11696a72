import Foundation
public import Hummingbird
import NodeState
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
        var stats = await deps.runtime.stats()
        if let wireGuard = try await deps.configStore.snapshot().config.wireGuard {
            stats.wireguard_peers = wireGuard.peers.map { peer in
                let totals = deps.counters.total(for: TrafficCounters.wireGuardPeerKey(publicKey: peer.publicKey))
                return WireGuardPeerTraffic(name: peer.name, public_key: peer.publicKey, rx_bytes: totals.up, tx_bytes: totals.down)
            }
        }
        return stats
    }

    /// Self first, then every live peer with what nested discovery sees behind it (seed:
    /// `is_self`, `direction: local`).
    @Sendable func peers(_ request: Request, context: AdminRequestContext) async throws -> [PeerEntry] {
        let config = try await deps.configStore.snapshot().config
        let live = await deps.runtime.livePeers()
        return [PeerEntry.me(config.effectiveName(stateNodeID: deps.nodeID))]
            + live.map { PeerEntry(live: $0, nested: config.peers[$0.name]?.isNested ?? false) }
    }

    /// Self (with the peers that dialled us as children), then every configured or live peer by
    /// name; configured peers that are not connected show `connected: false` and latency −1.
    /// `disabled` is a peer's `clients` flag or its `peers` flag; for self, that no server runs.
    @Sendable func topology(_ request: Request, context: AdminRequestContext) async throws -> [PeerEntry] {
        let config = try await deps.configStore.snapshot().config
        let selfName = config.effectiveName(stateNodeID: deps.nodeID)
        let live = await deps.runtime.livePeers()
        let byName = Dictionary(live.map { ($0.client_name ?? $0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let configured = Set(config.clients.map(\.name))
        var me = PeerEntry.me(selfName)
        me.addr = config.server?.listen
        me.disabled = config.server?.listen.isEmpty ?? true
        me.exit_node = config.isExitNode
        let inbound = live.filter { $0.direction == "inbound" }.sorted { $0.name < $1.name }
        if !inbound.isEmpty {
            me.children = inbound.map { peer in
                var child = PeerEntry(live: peer, nested: config.peers[peer.name]?.isNested ?? false)
                child.via = config.nodeID ?? deps.nodeID
                child.disabled = config.peers[peer.name]?.isDisabled ?? false
                return child
            }
        }
        let names = configured.union(live.filter { $0.direction != "inbound" }.map { $0.client_name ?? $0.name }).sorted()
        return [me] + names.map { name in
            let client = config.clients.first { $0.name == name }
            let nested = config.peers[name]?.isNested ?? false
            var entry = byName[name].map { PeerEntry(live: $0, nested: nested) }
                ?? PeerEntry(name: name, direction: "outbound", latency_ms: -1, nested: nested)
            entry.addr = client?.address
            // Disabled in its `clients` entry, or by the peer flag (`PUT /api/peers/{name}/disable`).
            entry.disabled = client?.isDisabled ?? false || config.peers[name]?.isDisabled ?? false
            entry.connected = byName[name] != nil && !(client?.isDisabled ?? false)
            if !entry.connected { entry.children = nil }
            if let client, client.addresses.count > 1 {
                entry.addrs = client.addresses
                entry.ip_statuses = client.addresses.map { IPStatus(address: $0, live: entry.connected ? byName[name] : nil) }
            }
            return entry
        }
    }

    /// Asks a direct peer for its list now; any failure is a 400 with the relay's reason
    /// (reference-api §5.3).
    @Sendable func subPeers(_ request: Request, context: AdminRequestContext) async throws -> [PeerEntry] {
        let name = try context.parameters.requireDecoded("name")
        do {
            return try await deps.runtime.peers(of: name).map { PeerEntry(live: $0, nested: false) }
        } catch {
            throw APIError(.badRequest, "relay: \(error)")
        }
    }

    /// `?q=` searches usernames, addresses and protocols; `total` counts every matching session.
    @Sendable func sessions(_ request: Request, context: AdminRequestContext) async throws -> StreamedList<DeviceSession> {
        let query = try ListQuery(request)
        let (page, total) = query.page(await deps.runtime.sessions()) { [$0.username, $0.remote_ip, $0.protocol] }
        return StreamedList(prefix: #"{"devices":["#, elements: page, suffix: #"],"total":\#(total)}"#, total: total)
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

/// One node in `/api/peers` and `/api/topology`, children included.
struct PeerEntry: ResponseEncodable, Sendable {
    var name: String
    var addr: String?
    var direction: String
    var via: String?
    var exit_node = false
    var connected = false
    var disabled = false
    var nested = false
    var native: Bool?
    var incompatible: Bool?
    var unsupported: Bool?
    var tun_capable: Bool?
    var latency_ms = 0
    var tx_rate: UInt64 = 0
    var rx_rate: UInt64 = 0
    var version: String?
    var is_self: Bool?
    var addrs: [String]?
    var ip_statuses: [IPStatus]?
    var children: [PeerEntry]?

    init(name: String, direction: String, latency_ms: Int = 0, nested: Bool = false) {
        self.name = name
        self.direction = direction
        self.latency_ms = latency_ms
        self.nested = nested
    }

    /// A live peer; `nested` is the local flag of its name (children carry their own).
    init(live: LivePeer, nested: Bool) {
        self.init(name: live.name, direction: live.direction, latency_ms: live.latency_ms, nested: live.nested ?? nested)
        via = live.via
        exit_node = live.exit_node
        connected = live.connected
        version = live.version
        native = live.native
        incompatible = live.incompatible
        unsupported = live.unsupported
        tun_capable = live.tun_capable
        tx_rate = live.tx_rate
        rx_rate = live.rx_rate
        children = live.children?.map { PeerEntry(live: $0, nested: false) }
    }

    static func me(_ name: String) -> PeerEntry {
        var entry = PeerEntry(name: name, direction: "local")
        entry.connected = true
        entry.is_self = true
        entry.version = BuildInfo.version
        return entry
    }
}

/// One address of a multi-address peer in `/api/topology`: `online` while a connection to it
/// carries streams, else `offline`.
struct IPStatus: Encodable, Sendable {
    var addr: String
    var status: String
    var latency_ms: Int?

    init(address: String, live: LivePeer?) {
        addr = address
        if let live, live.address == address {
            status = "online"
            latency_ms = live.latency_ms
        } else if let latency = live?.extra_latencies?[address] {
            status = "online"
            latency_ms = latency
        } else {
            status = "offline"
        }
    }
}

extension RuntimeStats: ResponseEncodable {}
