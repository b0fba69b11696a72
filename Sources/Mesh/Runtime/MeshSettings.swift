public import MeshWire

/// What the mesh takes from the file: who this node is, the peers it dials, and the local flags
/// that authorise paths (`peers`). The reconciler hands a new value over on every change; flows
/// read the current one when they dial.
public struct MeshSettings: Sendable, Hashable {
    /// The name this node registers under and answers with.
    public var name: String
    /// The stable id sent in metadata (`id`).
    public var nodeID: String
    /// Register flag bit 0 (informational, §2.2).
    public var isExitNode: Bool
    /// `clients`: the peers this node dials, disabled ones included.
    public var clients: [MeshClient]
    /// `peers`: nested and disabled flags by name or qualified path.
    public var flags: [String: PathFlags]
    /// `max_nested_depth`, `max_response_nodes`, `max_response_bytes`, bounded as v1.3 bounds them.
    public var peerListLimits: PeerListLimits

    public init(name: String, nodeID: String, isExitNode: Bool = false, clients: [MeshClient] = [],
                flags: [String: PathFlags] = [:], peerListLimits: PeerListLimits = .default) {
        self.name = name
        self.nodeID = nodeID
        self.isExitNode = isExitNode
        self.clients = clients
        self.flags = flags
        self.peerListLimits = peerListLimits
    }

    /// Whether `path` (a name or qualified path) is marked nested: discovery through it and
    /// transit beyond it are authorised.
    func isNested(_ path: String) -> Bool { flags[path]?.isNested ?? false }

    /// Whether `path` is marked disabled here.
    func isDisabled(_ path: String) -> Bool { flags[path]?.isDisabled ?? false }

    /// Whether a configured client of that name is disabled (it may neither be dialled nor register).
    func isClientDisabled(_ name: String) -> Bool {
        clients.contains { $0.name == name && $0.isDisabled }
    }

    /// Whether `name` is this node, by name or id (a path segment that loops back).
    func isSelf(_ name: String) -> Bool { name == self.name || name == nodeID }
}
