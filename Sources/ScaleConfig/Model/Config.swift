/// The whole of `/etc/hy2scale/config.yaml`: everything a user declares about this node.
///
/// Decoding accepts a hy2scale v1.3 file as it is (DECISIONS #1): every key of the v1.3 schema
/// is consulted by name, aliases are accepted, and runtime fields found in the file are kept in
/// `legacy…` properties that are never encoded. Nothing is checked while decoding; call
/// ``validate(_:context:)`` for the list of problems.
public struct Config: Codable, Sendable, Equatable {
    /// Stable node id; `nil` when the file leaves it to the state directory.
    public var nodeID: String?
    /// Display and relay name; the identity sent to peers. Empty means the node id.
    public var name: String
    /// Advertised to peers as able to exit traffic. Default true.
    public var isExitNode: Bool
    /// Whether users (not only peers) may log in to the Hysteria 2 server (DECISIONS #8).
    public var allowsUsersOnHy2: Bool
    /// The Hysteria 2 server; `nil` (absent or `null`) means none.
    public var server: ServerConfig?
    /// Peers this node dials (`clients`).
    public var clients: [OutboundPeer]
    /// Per-peer flags keyed by peer name or qualified path.
    public var peers: [String: PeerFlags]
    /// Client accounts.
    public var users: [User]
    /// SOCKS5 and HTTP listeners.
    public var proxies: [Proxy]
    /// Shadowsocks server, when configured.
    public var shadowsocks: ShadowsocksConfig?
    /// L2TP/IPsec server, when configured.
    public var l2tp: L2TPConfig?
    /// IKEv2 server, when configured.
    public var ikev2: IKEv2Config?
    /// WireGuard server, when configured.
    public var wireGuard: WireGuardConfig?
    /// Host-level routing rules.
    public var rules: [RoutingRule]
    /// v1.3 `tun_mode`, kept for the migration.
    public var legacyTunMode: TunModeConfig?
    /// v1.3 `socks5`, read and ignored.
    public var legacySOCKS5: LegacySOCKS5Config?
    /// API/UI TCP listen address; empty means `0.0.0.0:5565`.
    public var uiListen: String
    /// API/UI base path; empty means `/scale`.
    public var uiBasePath: String
    /// Admin login name; empty means `admin`.
    public var webUsername: String
    /// Stored admin password hash. Secret.
    public var webPassword: String
    /// Comma- or space-separated DNS servers.
    public var dns: String
    /// Stored only (v1.3 never applies it).
    public var forcesHTTPS: Bool
    /// TLS store id for the UI, when HTTPS is used.
    public var httpsCertificateID: String
    /// Admin session sliding timeout in hours; 0 means 12.
    public var sessionTimeoutHours: Int
    /// Nested discovery depth cap; 0 means 5, capped at 10.
    public var maxNestedDepth: Int
    /// Nodes in one list-peers response; 0 means 1024, capped at 65536.
    public var maxResponseNodes: Int
    /// Qualified keys in the sub-peer cache; 0 means 5000, capped at 100000.
    public var maxCacheEntries: Int
    /// Bytes of a peer's list-peers payload; 0 means 1 MiB, capped at 16 MiB.
    public var maxResponseBytes: Int
    /// Concurrent sub-peer fetches; 0 means 8, capped at 64.
    public var maxFetchFanOut: Int
    /// Let relay API requests authenticated with the system password skip the token check.
    public var allowsRelayAdminPassthrough: Bool
    /// Internal DNS resolver settings.
    public var dnsResolver: DNSResolverConfig
    /// v1.3 `graph_layout` found in the file; it belongs in the state directory and is never encoded.
    public var legacyGraphLayout: [String: GraphPosition]?

    /// A config; unspecified fields are zero (no server, no users, exit node on).
    public init(
        nodeID: String? = nil, name: String = "", isExitNode: Bool = true, allowsUsersOnHy2: Bool = false,
        server: ServerConfig? = nil, clients: [OutboundPeer] = [], peers: [String: PeerFlags] = [:],
        users: [User] = [], proxies: [Proxy] = [], shadowsocks: ShadowsocksConfig? = nil,
        l2tp: L2TPConfig? = nil, ikev2: IKEv2Config? = nil, wireGuard: WireGuardConfig? = nil,
        rules: [RoutingRule] = [], legacyTunMode: TunModeConfig? = nil, legacySOCKS5: LegacySOCKS5Config? = nil,
        uiListen: String = "", uiBasePath: String = "", webUsername: String = "", webPassword: String = "",
        dns: String = "", forcesHTTPS: Bool = false, httpsCertificateID: String = "", sessionTimeoutHours: Int = 0,
        maxNestedDepth: Int = 0, maxResponseNodes: Int = 0, maxCacheEntries: Int = 0, maxResponseBytes: Int = 0,
        maxFetchFanOut: Int = 0, allowsRelayAdminPassthrough: Bool = false,
        dnsResolver: DNSResolverConfig = DNSResolverConfig(), legacyGraphLayout: [String: GraphPosition]? = nil
    ) {
        self.nodeID = nodeID
        self.name = name
        self.isExitNode = isExitNode
        self.allowsUsersOnHy2 = allowsUsersOnHy2
        self.server = server
        self.clients = clients
        self.peers = peers
        self.users = users
        self.proxies = proxies
        self.shadowsocks = shadowsocks
        self.l2tp = l2tp
        self.ikev2 = ikev2
        self.wireGuard = wireGuard
        self.rules = rules
        self.legacyTunMode = legacyTunMode
        self.legacySOCKS5 = legacySOCKS5
        self.uiListen = uiListen
        self.uiBasePath = uiBasePath
        self.webUsername = webUsername
        self.webPassword = webPassword
        self.dns = dns
        self.forcesHTTPS = forcesHTTPS
        self.httpsCertificateID = httpsCertificateID
        self.sessionTimeoutHours = sessionTimeoutHours
        self.maxNestedDepth = maxNestedDepth
        self.maxResponseNodes = maxResponseNodes
        self.maxCacheEntries = maxCacheEntries
        self.maxResponseBytes = maxResponseBytes
        self.maxFetchFanOut = maxFetchFanOut
        self.allowsRelayAdminPassthrough = allowsRelayAdminPassthrough
        self.dnsResolver = dnsResolver
        self.legacyGraphLayout = legacyGraphLayout
    }

    enum CodingKeys: String, CodingKey {
        case nodeID = "node_id"
        case name
        case isExitNode = "exit_node"
        case allowsUsersOnHy2 = "hy2_user_auth"
        case server, clients, peers, users, proxies
        case shadowsocks = "ss"
        case l2tp, ikev2
        case wireGuard = "wireguard"
        case rules
        case legacyTunMode = "tun_mode"
        case legacySOCKS5 = "socks5"
        case uiListen = "ui_listen"
        case uiBasePath = "ui_base_path"
        case webUsername = "web_username"
        case webPassword = "web_password"
        case dns
        case forcesHTTPS = "force_https"
        case httpsCertificateID = "https_cert_id"
        case sessionTimeoutHours = "session_timeout_h"
        case legacyGraphLayout = "graph_layout"
        case maxNestedDepth = "max_nested_depth"
        case maxResponseNodes = "max_response_nodes"
        case maxCacheEntries = "max_cache_entries"
        case maxResponseBytes = "max_response_bytes"
        case maxFetchFanOut = "max_fetch_fan_out"
        case allowsRelayAdminPassthrough = "relay_admin_passthrough"
        case dnsResolver = "dns_resolver"
    }

    /// Decodes a whole config; every absent key takes its v1.3 zero default.
    ///
    /// - Throws: type mismatches from the decoder; never a missing key.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let rawNodeID = try c.decodeIfPresent(String.self, forKey: .nodeID)
        nodeID = (rawNodeID?.isEmpty ?? true) ? nil : rawNodeID
        name = try c.value(.name, or: "")
        isExitNode = try c.value(.isExitNode, or: true)
        allowsUsersOnHy2 = try c.value(.allowsUsersOnHy2, or: false)
        server = try c.decodeIfPresent(ServerConfig.self, forKey: .server)
        clients = try c.value(.clients, or: [])
        peers = try c.value(.peers, or: [:])
        users = try c.value(.users, or: [])
        proxies = try c.value(.proxies, or: [])
        shadowsocks = try c.decodeIfPresent(ShadowsocksConfig.self, forKey: .shadowsocks)
        l2tp = try c.decodeIfPresent(L2TPConfig.self, forKey: .l2tp)
        ikev2 = try c.decodeIfPresent(IKEv2Config.self, forKey: .ikev2)
        wireGuard = try c.decodeIfPresent(WireGuardConfig.self, forKey: .wireGuard)
        rules = try c.value(.rules, or: [])
        legacyTunMode = try c.decodeIfPresent(TunModeConfig.self, forKey: .legacyTunMode)
        legacySOCKS5 = try c.decodeIfPresent(LegacySOCKS5Config.self, forKey: .legacySOCKS5)
        uiListen = try c.value(.uiListen, or: "")
        uiBasePath = try c.value(.uiBasePath, or: "")
        webUsername = try c.value(.webUsername, or: "")
        webPassword = try c.value(.webPassword, or: "")
        dns = try c.value(.dns, or: "")
        forcesHTTPS = try c.value(.forcesHTTPS, or: false)
        httpsCertificateID = try c.value(.httpsCertificateID, or: "")
        sessionTimeoutHours = try c.value(.sessionTimeoutHours, or: 0)
        legacyGraphLayout = try c.decodeIfPresent([String: GraphPosition].self, forKey: .legacyGraphLayout)
        maxNestedDepth = try c.value(.maxNestedDepth, or: 0)
        maxResponseNodes = try c.value(.maxResponseNodes, or: 0)
        maxCacheEntries = try c.value(.maxCacheEntries, or: 0)
        maxResponseBytes = try c.value(.maxResponseBytes, or: 0)
        maxFetchFanOut = try c.value(.maxFetchFanOut, or: 0)
        allowsRelayAdminPassthrough = try c.value(.allowsRelayAdminPassthrough, or: false)
        dnsResolver = try c.value(.dnsResolver, or: DNSResolverConfig())
    }

    /// Encodes canonical keys; never `graph_layout`, `traffic_used` or the legacy `socks5`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(nodeID, forKey: .nodeID)
        try c.encode(name, forKey: .name)
        try c.encode(isExitNode, forKey: .isExitNode)
        if allowsUsersOnHy2 { try c.encode(allowsUsersOnHy2, forKey: .allowsUsersOnHy2) }
        try c.encode(server, forKey: .server)
        try c.encode(clients, forKey: .clients)
        try c.encode(peers, forKey: .peers)
        try c.encode(users, forKey: .users)
        try c.encode(proxies, forKey: .proxies)
        try c.encodeIfPresent(shadowsocks, forKey: .shadowsocks)
        try c.encodeIfPresent(l2tp, forKey: .l2tp)
        try c.encodeIfPresent(ikev2, forKey: .ikev2)
        try c.encodeIfPresent(wireGuard, forKey: .wireGuard)
        if !rules.isEmpty { try c.encode(rules, forKey: .rules) }
        try c.encodeIfPresent(legacyTunMode, forKey: .legacyTunMode)
        if !uiListen.isEmpty { try c.encode(uiListen, forKey: .uiListen) }
        if !uiBasePath.isEmpty { try c.encode(uiBasePath, forKey: .uiBasePath) }
        if !webUsername.isEmpty { try c.encode(webUsername, forKey: .webUsername) }
        if !webPassword.isEmpty { try c.encode(webPassword, forKey: .webPassword) }
        if !dns.isEmpty { try c.encode(dns, forKey: .dns) }
        if forcesHTTPS { try c.encode(forcesHTTPS, forKey: .forcesHTTPS) }
        if !httpsCertificateID.isEmpty { try c.encode(httpsCertificateID, forKey: .httpsCertificateID) }
        if sessionTimeoutHours != 0 { try c.encode(sessionTimeoutHours, forKey: .sessionTimeoutHours) }
        if maxNestedDepth != 0 { try c.encode(maxNestedDepth, forKey: .maxNestedDepth) }
        if maxResponseNodes != 0 { try c.encode(maxResponseNodes, forKey: .maxResponseNodes) }
        if maxCacheEntries != 0 { try c.encode(maxCacheEntries, forKey: .maxCacheEntries) }
        if maxResponseBytes != 0 { try c.encode(maxResponseBytes, forKey: .maxResponseBytes) }
        if maxFetchFanOut != 0 { try c.encode(maxFetchFanOut, forKey: .maxFetchFanOut) }
        if allowsRelayAdminPassthrough { try c.encode(allowsRelayAdminPassthrough, forKey: .allowsRelayAdminPassthrough) }
        if dnsResolver != DNSResolverConfig() { try c.encode(dnsResolver, forKey: .dnsResolver) }
    }
}

extension Config: CustomStringConvertible {
    /// A summary without secrets: name and section counts.
    public var description: String {
        "Config(name: \"\(name)\", node_id: \(nodeID.map { "\"\($0)\"" } ?? "nil"), users: \(users.count), "
            + "clients: \(clients.count), proxies: \(proxies.count), rules: \(rules.count))"
    }
}
