/// What the data plane knows and the API reports: live peers, traffic, device sessions.
///
/// The API only reads it and asks it to kick (invariant 2: no other runtime mutation). The mesh
/// and inbound services implement it; until they run, ``IdleRuntime`` reports the truth: nothing
/// connected, nothing counted.
public protocol NodeRuntime: Sendable {
    /// Totals since start and current rates.
    func stats() async -> RuntimeStats
    /// Peers connected right now.
    func livePeers() async -> [LivePeer]
    /// The peers a connected peer reports (nested discovery); throws when it cannot be asked.
    func peers(of name: String) async throws -> [LivePeer]
    /// Client devices connected right now (reference §5.14).
    func sessions() async -> [DeviceSession]
    /// Ends a device's connections and blocks it for 60 s; false when no such session exists.
    func kick(sessionKey: String) async -> Bool
    /// The path that last won a race of several exit paths, by the route's first path.
    func activePaths() async -> [String: String]
    /// The ids of the rules whose traffic goes through the TUN device now (`tun_active`).
    func tunnelledRules() async -> Set<String>
    /// The WireGuard server's engine and its peers' live figures.
    func wireGuard() async -> WireGuardRuntime
    /// Whether the IKEv2 server's daemon (charon) runs and, when not, why.
    func ikev2() async -> DaemonRuntime
    /// Whether the L2TP/IPsec server's daemons (xl2tpd, and charon for its IPsec) run and,
    /// when not, why.
    func l2tp() async -> DaemonRuntime
}

extension NodeRuntime {
    public func activePaths() async -> [String: String] { [:] }
    public func tunnelledRules() async -> Set<String> { [] }
    public func wireGuard() async -> WireGuardRuntime { WireGuardRuntime(backend: nil, isRunning: false, reason: nil) }
    public func ikev2() async -> DaemonRuntime { DaemonRuntime(isRunning: false, reason: nil) }
    public func l2tp() async -> DaemonRuntime { DaemonRuntime(isRunning: false, reason: nil) }
}

/// A VPN service's daemons as `GET /api/ikev2` and `GET /api/l2tp` report them: running, or why not.
public struct DaemonRuntime: Sendable, Equatable {
    public var isRunning: Bool
    /// Why it is not running (or why its last change failed), when it should be.
    public var reason: String?

    public init(isRunning: Bool, reason: String?) {
        self.isRunning = isRunning
        self.reason = reason
    }
}

/// The running WireGuard server, as `GET /api/wireguard` reports it.
public struct WireGuardRuntime: Sendable, Equatable {
    /// `wireguard-go`; `nil` when no engine can run on this host.
    public var backend: String?
    public var isRunning: Bool
    /// Why it is not running, when it should be.
    public var reason: String?
    public var peers: [Peer]

    public init(backend: String?, isRunning: Bool, reason: String?, peers: [Peer] = []) {
        self.backend = backend
        self.isRunning = isRunning
        self.reason = reason
        self.peers = peers
    }

    /// One peer's live figures, by its public key (base64).
    public struct Peer: Sendable, Equatable {
        public var publicKey: String
        public var endpoint: String?
        /// Unix seconds of the last handshake; 0 for none.
        public var lastHandshake: Int64
        public var receivedBytes: UInt64
        public var sentBytes: UInt64

        public init(publicKey: String, endpoint: String?, lastHandshake: Int64, receivedBytes: UInt64, sentBytes: UInt64) {
            self.publicKey = publicKey
            self.endpoint = endpoint
            self.lastHandshake = lastHandshake
            self.receivedBytes = receivedBytes
            self.sentBytes = sentBytes
        }
    }
}

/// Relay traffic figures (reference §5.2).
public struct RuntimeStats: Codable, Sendable, Equatable {
    public var conns = 0
    public var exit_clients = 0
    public var tx_bytes: UInt64 = 0
    public var rx_bytes: UInt64 = 0
    public var tx_rate: UInt64 = 0
    public var rx_rate: UInt64 = 0
    /// Each WireGuard peer's bytes through the device, kept across restarts; absent without a
    /// WireGuard section.
    public var wireguard_peers: [WireGuardPeerTraffic]?
    public init() {}
}

/// A WireGuard peer's lasting byte totals (its device counters, added up across engine runs).
public struct WireGuardPeerTraffic: Codable, Sendable, Equatable {
    public var name: String
    public var public_key: String
    /// Bytes from the peer (its uploads, encrypted).
    public var rx_bytes: UInt64
    /// Bytes to the peer (its downloads, encrypted).
    public var tx_bytes: UInt64
}

/// A connected peer (reference §5.3), or one seen behind it through nested discovery.
public struct LivePeer: Codable, Sendable, Equatable {
    public var name: String
    public var direction: String
    public var exit_node: Bool
    public var latency_ms: Int
    public var version: String?
    public var tx_rate: UInt64
    public var rx_rate: UInt64
    public var connected = true
    /// For a discovered peer: whether its qualified path is marked nested here.
    public var nested: Bool?
    /// For a discovered peer: the peer that reported it.
    public var via: String?
    public var native: Bool?
    public var incompatible: Bool?
    public var unsupported: Bool?
    public var tun_capable: Bool?
    /// The `clients[]` name it was dialled under, when it announced another.
    public var client_name: String?
    /// The configured address its session connected to, and the other addresses with a live
    /// extra connection (with their latency).
    public var address: String?
    public var extra_latencies: [String: Int]?
    /// What nested discovery sees behind it.
    public var children: [LivePeer]?

    public init(name: String, direction: String, exit_node: Bool, latency_ms: Int, version: String?,
                tx_rate: UInt64, rx_rate: UInt64) {
        self.name = name
        self.direction = direction
        self.exit_node = exit_node
        self.latency_ms = latency_ms
        self.version = version
        self.tx_rate = tx_rate
        self.rx_rate = rx_rate
    }
}

/// A client device's connections, aggregated by user, address and protocol (reference §5.14).
public struct DeviceSession: Codable, Sendable, Equatable {
    public var key: String
    public var username: String
    public var remote_ip: String
    public var `protocol`: String
    public var connect_at: Int
    public var duration: Int
    public var conn_count: Int
    public var tx_bytes: UInt64
    public var rx_bytes: UInt64

    public init(key: String, username: String, remote_ip: String, protocol: String, connect_at: Int,
                duration: Int, conn_count: Int, tx_bytes: UInt64, rx_bytes: UInt64) {
        self.key = key
        self.username = username
        self.remote_ip = remote_ip
        self.protocol = `protocol`
        self.connect_at = connect_at
        self.duration = duration
        self.conn_count = conn_count
        self.tx_bytes = tx_bytes
        self.rx_bytes = rx_bytes
    }
}

/// The runtime of a node whose data-plane services are not running.
public struct IdleRuntime: NodeRuntime {
    public init() {}
    public func stats() async -> RuntimeStats { RuntimeStats() }
    public func livePeers() async -> [LivePeer] { [] }
    public func peers(of name: String) async throws -> [LivePeer] { throw NotConnected(name: name) }
    public func sessions() async -> [DeviceSession] { [] }
    public func kick(sessionKey: String) async -> Bool { false }
}

/// A peer that is not connected cannot be asked anything.
public struct NotConnected: Error, CustomStringConvertible {
    public var name: String
    public init(name: String) { self.name = name }
    public var description: String { "peer \"\(name)\" not connected" }
}
