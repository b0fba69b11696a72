public import Addressing

/// The address a Hysteria 2 TCP stream requests from a hy2scale node, as the server dispatches
/// it (§1.3): a relay sentinel (§3), a bond path (§7.5), a bridge-tagged target (§4.3) or a
/// plain target. ``formatted`` and ``init(parsing:)`` are inverse: parsing what we format gives
/// the same value back.
public indirect enum StreamAddress: Hashable, Sendable {
    /// `_relay_register_:0`: the identity and metadata handshake (§3.1).
    case register
    /// `_relay_s2c_ctrl_:0`: the server-to-client dial request channel (§3.2).
    case controlStream
    /// `_relay_data_<id>:0`: C's answer to dial request `id` (§3.3).
    case data(DialRequestID)
    /// `_relay_ping_:0` (§3.4).
    case ping
    /// `_relay_latency_:0` (§3.5).
    case latency
    /// `_relay_list_peers_:0` (§3.6).
    case listPeers
    /// `_relay_via_<hops>_<target>:0` (§3.7).
    case via(ViaRoute)
    /// `_relay_iptun_<originName>`, without `:0`; everything after the prefix is the name (§9),
    /// which is only logged.
    case ipTunnel(originName: String)
    /// `_relay_api_:0`: raw HTTP/1.1 to the node's API (§3.9).
    case api
    /// `_relay_rebind_<id>:0` (§4.2).
    case rebind(BridgeID)
    /// `_bond_<id>_<host:port>`: one path of an aggregated connection (§7.5).
    case bond(id: UInt32, target: Target)
    /// `<host:port>#bridge=<id>`: a plain dial that creates or resumes an exit-side bridge (§4.3).
    case bridged(Target, bridgeID: BridgeID)
    /// `<host:port>`: plain TCP proxying.
    case plain(Target)

    package static let viaPrefix = "_relay_via_"
    package static let dataPrefix = "_relay_data_"
    package static let ipTunnelPrefix = "_relay_iptun_"
    package static let rebindPrefix = "_relay_rebind_"
    package static let bondPrefix = "_bond_"
    package static let bridgeTag = "#bridge="

    /// The exact-match sentinels; without the `:0` they are hostnames, not sentinels (§3).
    package static let exactSentinels: [String: StreamAddress] = [
        "_relay_register_:0": .register, "_relay_s2c_ctrl_:0": .controlStream,
        "_relay_list_peers_:0": .listPeers, "_relay_ping_:0": .ping,
        "_relay_latency_:0": .latency, "_relay_api_:0": .api,
    ]

    /// The exact bytes to request.
    public var formatted: String {
        switch self {
        case .register: "_relay_register_:0"
        case .controlStream: "_relay_s2c_ctrl_:0"
        case .data(let id): Self.dataPrefix + id.text + ":0"
        case .ping: "_relay_ping_:0"
        case .latency: "_relay_latency_:0"
        case .listPeers: "_relay_list_peers_:0"
        case .via(let route): route.formatted
        case .ipTunnel(let originName): Self.ipTunnelPrefix + originName
        case .api: "_relay_api_:0"
        case .rebind(let id): Self.rebindPrefix + id.text + ":0"
        case .bond(let id, let target): Self.bondPrefix + String(id) + "_" + target.description
        case .bridged(let target, let bridgeID): target.description + Self.bridgeTag + bridgeID.text
        case .plain(let target): target.description
        }
    }

    /// Whether a stream with this address may arrive inside a control-stream dial request and be
    /// served on the `_relay_data_` stream (§3 intro): every sentinel but register, ctrl and data.
    public var isServedOnDataStream: Bool {
        switch self {
        case .ping, .latency, .listPeers, .via, .ipTunnel, .api, .rebind: true
        case .register, .controlStream, .data, .bond, .bridged, .plain: false
        }
    }

    /// Parses a requested address in the server's dispatch order (§1.3): exact sentinels, the
    /// `_relay_` prefixes, `_bond_`, then a target with or without `#bridge=`.
    /// - Throws: ``MeshWireError/addressLength(_:)`` outside 1...2048 bytes, and the error of the
    ///   form it matched otherwise (e.g. ``MeshWireError/invalidTarget(_:)`` for
    ///   `_relay_ping_` without its `:0`).
    public init(parsing text: String) throws(MeshWireError) {
        let length = text.utf8.count
        guard (1...MeshWireLimits.maximumAddressLength).contains(length) else { throw .addressLength(length) }
        try self.init(parsingUnchecked: text[...])
    }

    /// ``init(parsing:)`` without the length check, for the target inside a via address.
    package init(parsingUnchecked text: Substring) throws(MeshWireError) {
        if let sentinel = Self.exactSentinels[String(text)] {
            self = sentinel
        } else if let rest = text.dropping(prefix: Self.viaPrefix) {
            self = .via(try ViaRoute.parse(afterPrefix: rest))
        } else if let rest = text.dropping(prefix: Self.dataPrefix) {
            self = .data(try DialRequestID(String(rest.dropping(suffix: ":0"))))
        } else if let rest = text.dropping(prefix: Self.ipTunnelPrefix) {
            self = .ipTunnel(originName: String(rest))
        } else if let rest = text.dropping(prefix: Self.rebindPrefix) {
            self = .rebind(try BridgeID(String(rest.dropping(suffix: ":0"))))
        } else if let rest = text.dropping(prefix: Self.bondPrefix) {
            guard let split = rest.firstIndex(of: "_"), let id = UInt32(rest[..<split]),
                  rest[..<split].allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .invalidBondID(String(rest.prefix(16))) }
            self = .bond(id: id, target: try Self.target(rest[rest.index(after: split)...]))
        } else if let tag = text.firstRange(of: Self.bridgeTag) {
            self = .bridged(try Self.target(text[..<tag.lowerBound]),
                            bridgeID: try BridgeID(String(text[tag.upperBound...])))
        } else {
            self = .plain(try Self.target(text))
        }
    }

    private static func target(_ text: Substring) throws(MeshWireError) -> Target {
        guard let target = Target(text) else { throw .invalidTarget(String(text)) }
        // Names are kept in lower case, so `_Relay_via_…` would be written on as a sentinel that
        // the next hop obeys: a target must not read as one once it is formatted.
        guard !reservedPrefixes.contains(where: target.hostText.hasPrefix) else { throw .invalidTarget(String(text)) }
        return target
    }

    /// What every sentinel and bond address starts with; no plain target may.
    private static let reservedPrefixes = ["_relay_", "_bond_"]
}

extension Substring {
    /// The rest after `prefix`, or `nil` when the text does not start with it.
    fileprivate func dropping(prefix: String) -> Substring? {
        hasPrefix(prefix) ? dropFirst(prefix.count) : nil
    }

    /// The text without one trailing `suffix`, if it has one (Go's `strings.TrimSuffix`).
    fileprivate func dropping(suffix: String) -> Substring {
        hasSuffix(suffix) ? dropLast(suffix.count) : self
    }
}
