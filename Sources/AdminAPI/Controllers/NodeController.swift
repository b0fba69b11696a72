import Hummingbird
import ScaleConfig
import Foundation
import HTTPTypes
import Logging
import YAMLDocument
import NodeState
import Reconciler

/// `GET`/`PUT /api/node` and `GET /api/stats` (reference §5.2).
struct NodeController {
    let deps: AdminDependencies

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("node", use: show)
        group.put("node", use: update)
    }

    struct NodeView: Encodable, Sendable {
        var node_id: String
        var name: String
        var exit_node: Bool
        var hy2_user_auth: Bool
        var server: ServerConfig?
        var version: String
        var compat = false
        var limited = false
        var active_paths: [String: String] = [:]
    }

    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> Tagged<NodeView> {
        let snapshot = try await deps.configStore.snapshot()
        let config = snapshot.config
        let nodeID = config.nodeID ?? deps.nodeID
        var view = NodeView(node_id: nodeID, name: config.name.isEmpty ? nodeID : config.name,
                            exit_node: config.isExitNode, hy2_user_auth: config.allowsUsersOnHy2,
                            server: config.server, version: BuildInfo.version)
        view.active_paths = await deps.runtime.activePaths()
        return Tagged(body: view, revision: snapshot.revision)
    }

    /// Partial update: only the keys present change.
    struct NodeUpdate: Decodable {
        var node_id: String?
        var name: String?
        var exit_node: Bool?
        var hy2_user_auth: Bool?
        var server: ServerConfig?
        var hasServer: Bool

        enum CodingKeys: String, CodingKey { case node_id, name, exit_node, hy2_user_auth, server }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            node_id = try c.decodeIfPresent(String.self, forKey: .node_id)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            exit_node = try c.decodeIfPresent(Bool.self, forKey: .exit_node)
            hy2_user_auth = try c.decodeIfPresent(Bool.self, forKey: .hy2_user_auth)
            hasServer = c.contains(.server)
            server = try c.decodeIfPresent(ServerConfig.self, forKey: .server)
        }
    }

    @Sendable func update(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let update = try await request.decodeJSON(as: NodeUpdate.self, context: context)
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            if let id = update.node_id {
                if id.isEmpty { try edit.remove(["node_id"]) } else { try edit.set(["node_id"], to: id) }
            }
            if let name = update.name { try edit.set(["name"], to: name) }
            if let exit = update.exit_node { try edit.set(["exit_node"], to: exit) }
            if let users = update.hy2_user_auth { try edit.set(["hy2_user_auth"], to: users) }
            if update.hasServer {
                if let server = update.server, !(server.listen.isEmpty && server.password.isEmpty) {
                    try edit.set(["server"], to: server)
                } else {
                    try edit.set(["server"], to: YAMLNull())  // no Hysteria 2 server
                }
            }
        }
        return result
    }
}

/// Encodes as YAML/JSON `null`.
struct YAMLNull: Encodable {
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encodeNil()
    }
}
