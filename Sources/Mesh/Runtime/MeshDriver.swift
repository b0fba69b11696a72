public import Reconciler

/// Converges the mesh with the file: one resource for this node's identity and path flags, and
/// one per configured peer. A change to one peer restarts that peer's session only.
public struct MeshDriver: Driver {
    public typealias Config = MeshSettings
    public let kind = "mesh"
    private let node: MeshNode
    /// The node id from the state directory.
    public let stateNodeID: String

    /// - Parameter stateNodeID: the node id from the state directory, the settings' id before the first apply.
    public init(node: MeshNode, stateNodeID: String) {
        self.node = node
        self.stateNodeID = stateNodeID
    }

    public func desired(for settings: MeshSettings) -> [MeshResource] {
        MeshResource.all(in: settings)
    }

    public func observe() async throws -> [MeshResource] {
        node.isApplied ? MeshResource.all(in: node.settings) : []
    }

    public func apply(_ plan: Plan<MeshResource>) async -> [Outcome<MeshResource>] {
        var settings = node.isApplied ? node.settings : MeshSettings(name: "", nodeID: stateNodeID)
        var removesNode = false
        var clientOrder: [String]?
        for change in plan.changes {
            switch change {
            case .create(let resource), .update(_, let resource):
                resource.apply(to: &settings)
                if case .node(_, let order) = resource { clientOrder = order }
            case .delete(.node):
                removesNode = true
            case .delete(.client(let client)):
                settings.clients.removeAll { $0.address == client.address }
            }
        }
        if let clientOrder {
            // Changes come sorted by key; the clients keep the file's order (list-peers shows it).
            let clients = settings.clients
            settings.clients = clientOrder.compactMap { address in clients.first { $0.address == address } }
                + clients.filter { !clientOrder.contains($0.address) }
        }
        if removesNode { await node.shutdown() } else { await node.apply(settings) }
        return plan.changes.map { .applied($0) }
    }
}

/// What the mesh driver converges.
public enum MeshResource: Resource {
    /// Name, id, exit flag, `peers` flags and discovery limits, and the clients' addresses in
    /// the file's order.
    case node(MeshSettings, clientOrder: [String])
    /// One `clients[]` entry, keyed by its primary address.
    case client(MeshClient)

    static func all(in settings: MeshSettings) -> [MeshResource] {
        var node = settings
        node.clients = []
        return [.node(node, clientOrder: settings.clients.map(\.address))] + settings.clients.map { .client($0) }
    }

    public var key: String {
        switch self {
        case .node: "node"
        case .client(let client): "peer " + client.address
        }
    }

    func apply(to settings: inout MeshSettings) {
        switch self {
        case .node(let node, _):
            let clients = settings.clients
            settings = node
            settings.clients = clients
        case .client(let client):
            if let index = settings.clients.firstIndex(where: { $0.address == client.address }) {
                settings.clients[index] = client
            } else {
                settings.clients.append(client)
            }
        }
    }

    public var description: String {
        switch self {
        case .node(let settings, let clientOrder):
            let nested = settings.flags.filter { $0.value.isNested }.count
            let disabled = settings.flags.filter { $0.value.isDisabled }.count
            let id = settings.nodeID.isEmpty ? "id made at first start" : "id \(settings.nodeID)"
            return "mesh node \"\(settings.name)\" (\(id), \(clientOrder.count) clients, \(nested) nested, \(disabled) disabled paths)"
        case .client(let client):
            return "peer \"\(client.name)\" at \(client.address)\(client.isDisabled ? " (disabled)" : "")"
        }
    }
}
