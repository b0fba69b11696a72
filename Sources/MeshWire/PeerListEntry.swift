/// One element of the list-peers array (§3.6): v1.3's `relay.PeerInfo` followed by the app's
/// `connected`, `max_rate` and `children`. `version`, `node_id`, `incompatible`, `conflict`,
/// `tun_capable`, `pv`, `max_rate` and `children` are omitted when empty, false or zero.
public struct PeerListEntry: Hashable, Sendable {
    /// `name`.
    public var name: String
    /// `exit_node`: known only for inbound peers (§2.2).
    public var isExitNode: Bool
    /// `direction`, from the point of view of the node that wrote the list.
    public var direction: PeerDirection
    /// `native`: a plain Hysteria 2 server (§2.2).
    public var isNative: Bool
    /// `latency_ms`: the writer's one-hop latency; 0 if never measured, -1 if the last probe
    /// failed with no earlier good value.
    public var latencyMilliseconds: Int
    /// `version` (omitempty).
    public var version: String
    /// `node_id` (omitempty).
    public var nodeID: String
    /// `incompatible` (omitempty).
    public var isIncompatible: Bool
    /// `conflict` (omitempty).
    public var hasConflict: Bool
    /// `tun_capable` (omitempty).
    public var isTUNCapable: Bool
    /// `pv` (omitempty).
    public var protocolVersion: Int
    /// `unsupported` (omitempty).
    public var isUnsupported: Bool
    /// `connected`, or `nil` when the key is absent: the fallback form without an app handler
    /// writes neither it nor `max_rate` nor `children`. Consumers read `nil` as connected.
    public var connected: Bool?
    /// `max_rate`, bytes/s (omitempty).
    public var maximumRate: UInt64
    /// `children` (omitempty; `null` decodes as empty).
    public var children: [PeerListChild]

    /// An entry; the defaults are what the reference writes for an unknown field, and
    /// `connected` defaults to the app form's `true`.
    public init(
        name: String, isExitNode: Bool = false, direction: PeerDirection = .outbound, isNative: Bool = false,
        latencyMilliseconds: Int = 0, version: String = "", nodeID: String = "", isIncompatible: Bool = false,
        hasConflict: Bool = false, isTUNCapable: Bool = false, protocolVersion: Int = 0,
        isUnsupported: Bool = false, connected: Bool? = true, maximumRate: UInt64 = 0,
        children: [PeerListChild] = []
    ) {
        self.name = name
        self.isExitNode = isExitNode
        self.direction = direction
        self.isNative = isNative
        self.latencyMilliseconds = latencyMilliseconds
        self.version = version
        self.nodeID = nodeID
        self.isIncompatible = isIncompatible
        self.hasConflict = hasConflict
        self.isTUNCapable = isTUNCapable
        self.protocolVersion = protocolVersion
        self.isUnsupported = isUnsupported
        self.connected = connected
        self.maximumRate = maximumRate
        self.children = children
    }

    /// How v1.3 writes a configured client that is not connected (§3.6):
    /// `{"name":N,"exit_node":false,"direction":"outbound","native":false,"latency_ms":0,"connected":false}`.
    public static func offline(name: String, maximumRate: UInt64 = 0) -> PeerListEntry {
        PeerListEntry(name: name, connected: false, maximumRate: maximumRate)
    }

    /// Whether the peer is up, reading an absent `connected` as `true` as the reference does.
    public var isConnected: Bool { connected ?? true }

    /// The compact JSON in v1.3's field order.
    public var json: String {
        var object = GoJSONObject()
        object.add("name", name)
        object.add("exit_node", isExitNode)
        object.add("direction", direction.rawValue)
        object.add("native", isNative)
        object.add("latency_ms", latencyMilliseconds)
        if !version.isEmpty { object.add("version", version) }
        if !nodeID.isEmpty { object.add("node_id", nodeID) }
        if isIncompatible { object.add("incompatible", true) }
        if hasConflict { object.add("conflict", true) }
        if isTUNCapable { object.add("tun_capable", true) }
        if protocolVersion != 0 { object.add("pv", protocolVersion) }
        if isUnsupported { object.add("unsupported", true) }
        if let connected { object.add("connected", connected) }
        if maximumRate != 0 { object.add("max_rate", maximumRate) }
        if !children.isEmpty { object.addRaw("children", PeerList.jsonArray(children.map(\.json))) }
        return object.json
    }

    /// Entries in this one and below it, itself included.
    package var nodeCount: Int { children.reduce(1) { $0 + $1.nodeCount } }

    /// Levels from this entry down to its deepest descendant, itself counting as one.
    package var depth: Int { 1 + (children.map(\.depth).max() ?? 0) }
}

extension PeerListEntry: Decodable {
    private enum CodingKeys: String, CodingKey {
        case name, isExitNode = "exit_node", direction, isNative = "native", latencyMilliseconds = "latency_ms"
        case version, nodeID = "node_id", isIncompatible = "incompatible", hasConflict = "conflict"
        case isTUNCapable = "tun_capable", protocolVersion = "pv", isUnsupported = "unsupported"
        case connected, maximumRate = "max_rate", children
    }

    /// Absent keys and `null` decode as zero values (`connected` as `nil`); unknown keys are ignored.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decodeIfPresent(String.self, forKey: .name) ?? "",
            isExitNode: try c.decodeIfPresent(Bool.self, forKey: .isExitNode) ?? false,
            direction: PeerDirection(rawValue: try c.decodeIfPresent(String.self, forKey: .direction) ?? ""),
            isNative: try c.decodeIfPresent(Bool.self, forKey: .isNative) ?? false,
            latencyMilliseconds: try c.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? 0,
            version: try c.decodeIfPresent(String.self, forKey: .version) ?? "",
            nodeID: try c.decodeIfPresent(String.self, forKey: .nodeID) ?? "",
            isIncompatible: try c.decodeIfPresent(Bool.self, forKey: .isIncompatible) ?? false,
            hasConflict: try c.decodeIfPresent(Bool.self, forKey: .hasConflict) ?? false,
            isTUNCapable: try c.decodeIfPresent(Bool.self, forKey: .isTUNCapable) ?? false,
            protocolVersion: try c.decodeIfPresent(Int.self, forKey: .protocolVersion) ?? 0,
            isUnsupported: try c.decodeIfPresent(Bool.self, forKey: .isUnsupported) ?? false,
            connected: try c.decodeIfPresent(Bool.self, forKey: .connected),
            maximumRate: try c.decodeIfPresent(UInt64.self, forKey: .maximumRate) ?? 0,
            children: try c.decodeIfPresent([PeerListChild].self, forKey: .children) ?? []
        )
    }
}
