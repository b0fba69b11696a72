/// One peer of a peer, embedded in a list-peers entry's `children` (v1.3's `topoSubPeer`, §3.6):
/// `{"name":"kr-r1","exit_node":false,"direction":"outbound","via":"kr","latency_ms":87,`
/// `"nested":false,"tx_rate":0,"rx_rate":0,"connected":true}`. `disabled`, `native`, `version`,
/// `tun_capable`, `max_rate` and `children` are omitted when false, empty or zero.
public struct PeerListChild: Hashable, Sendable {
    /// `name`: the child's own name (one path segment).
    public var name: String
    /// `exit_node`.
    public var isExitNode: Bool
    /// `direction`, seen from the node the child is a peer of.
    public var direction: PeerDirection
    /// `via`: the qualified path of the node the child hangs off, such as `kr` or `kr/kr-r1`.
    public var via: String
    /// `latency_ms`: cumulative from the writer of the list, not from `via`.
    public var latencyMilliseconds: Int
    /// `nested`: the writer has nested discovery enabled for this child's qualified path.
    public var isNested: Bool
    /// `disabled` (omitempty).
    public var isDisabled: Bool
    /// `native`: a plain Hysteria 2 server (omitempty).
    public var isNative: Bool
    /// `version` (omitempty).
    public var version: String
    /// `tun_capable` (omitempty).
    public var isTUNCapable: Bool
    /// `tx_rate`, bytes/s; display only.
    public var transmitRate: UInt64
    /// `rx_rate`, bytes/s; display only.
    public var receiveRate: UInt64
    /// `max_rate`, bytes/s; 0 when unknown (omitempty).
    public var maximumRate: UInt64
    /// `connected`: always written; an absent key decodes as `true`, as older peers meant (§3.6).
    public var isConnected: Bool
    /// `children`: the same shape one level down (omitempty; `null` decodes as empty).
    public var children: [PeerListChild]

    /// A child; the defaults are the zero values the reference omits or writes as such.
    public init(
        name: String, isExitNode: Bool = false, direction: PeerDirection = .outbound, via: String,
        latencyMilliseconds: Int = 0, isNested: Bool = false, isDisabled: Bool = false, isNative: Bool = false,
        version: String = "", isTUNCapable: Bool = false, transmitRate: UInt64 = 0, receiveRate: UInt64 = 0,
        maximumRate: UInt64 = 0, isConnected: Bool = true, children: [PeerListChild] = []
    ) {
        self.name = name
        self.isExitNode = isExitNode
        self.direction = direction
        self.via = via
        self.latencyMilliseconds = latencyMilliseconds
        self.isNested = isNested
        self.isDisabled = isDisabled
        self.isNative = isNative
        self.version = version
        self.isTUNCapable = isTUNCapable
        self.transmitRate = transmitRate
        self.receiveRate = receiveRate
        self.maximumRate = maximumRate
        self.isConnected = isConnected
        self.children = children
    }

    /// The compact JSON in `topoSubPeer`'s field order.
    public var json: String {
        var object = GoJSONObject()
        object.add("name", name)
        object.add("exit_node", isExitNode)
        object.add("direction", direction.rawValue)
        object.add("via", via)
        object.add("latency_ms", latencyMilliseconds)
        object.add("nested", isNested)
        if isDisabled { object.add("disabled", true) }
        if isNative { object.add("native", true) }
        if !version.isEmpty { object.add("version", version) }
        if isTUNCapable { object.add("tun_capable", true) }
        object.add("tx_rate", transmitRate)
        object.add("rx_rate", receiveRate)
        if maximumRate != 0 { object.add("max_rate", maximumRate) }
        object.add("connected", isConnected)
        if !children.isEmpty { object.addRaw("children", PeerList.jsonArray(children.map(\.json))) }
        return object.json
    }

    /// Entries in this child and below it, itself included.
    package var nodeCount: Int { children.reduce(1) { $0 + $1.nodeCount } }

    /// Levels from this child down to its deepest descendant, itself counting as one.
    package var depth: Int { 1 + (children.map(\.depth).max() ?? 0) }
}

extension PeerListChild: Decodable {
    private enum CodingKeys: String, CodingKey {
        case name, isExitNode = "exit_node", direction, via, latencyMilliseconds = "latency_ms"
        case isNested = "nested", isDisabled = "disabled", isNative = "native", version
        case isTUNCapable = "tun_capable", transmitRate = "tx_rate", receiveRate = "rx_rate"
        case maximumRate = "max_rate", isConnected = "connected", children
    }

    /// Absent keys and `null` decode as zero values (`connected` as `true`); unknown keys are ignored.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decodeIfPresent(String.self, forKey: .name) ?? "",
            isExitNode: try c.decodeIfPresent(Bool.self, forKey: .isExitNode) ?? false,
            direction: PeerDirection(rawValue: try c.decodeIfPresent(String.self, forKey: .direction) ?? ""),
            via: try c.decodeIfPresent(String.self, forKey: .via) ?? "",
            latencyMilliseconds: try c.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? 0,
            isNested: try c.decodeIfPresent(Bool.self, forKey: .isNested) ?? false,
            isDisabled: try c.decodeIfPresent(Bool.self, forKey: .isDisabled) ?? false,
            isNative: try c.decodeIfPresent(Bool.self, forKey: .isNative) ?? false,
            version: try c.decodeIfPresent(String.self, forKey: .version) ?? "",
            isTUNCapable: try c.decodeIfPresent(Bool.self, forKey: .isTUNCapable) ?? false,
            transmitRate: try c.decodeIfPresent(UInt64.self, forKey: .transmitRate) ?? 0,
            receiveRate: try c.decodeIfPresent(UInt64.self, forKey: .receiveRate) ?? 0,
            maximumRate: try c.decodeIfPresent(UInt64.self, forKey: .maximumRate) ?? 0,
            isConnected: try c.decodeIfPresent(Bool.self, forKey: .isConnected) ?? true,
            children: try c.decodeIfPresent([PeerListChild].self, forKey: .children) ?? []
        )
    }
}
