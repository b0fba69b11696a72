import Foundation
import Hummingbird
import NodeState
import ScaleConfig
import YAMLDocument

/// SOCKS5 and HTTP listeners, `proxies[]` (reference §5.6, DECISIONS #5).
///
/// POST without an `id` gets `<protocol>-<8 hex>` (the SPA never sends one, reference §9 item 4);
/// a duplicate id is 409; PUT on an unknown id is 404 (v1.3 upserted).
struct ProxiesController {
    let deps: AdminDependencies

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("proxies", use: list)
        group.post("proxies", use: create)
        group.put("proxies/{id}", use: update)
        group.delete("proxies/{id}", use: delete)
    }

    @Sendable func list(_ request: Request, context: AdminRequestContext) async throws -> Tagged<[Proxy]> {
        let snapshot = try await deps.configStore.snapshot()
        return Tagged(body: snapshot.config.proxies, revision: snapshot.revision)
    }

    struct Created: Encodable, Sendable { var id: String }

    @Sendable func create(_ request: Request, context: AdminRequestContext) async throws -> MutationAnswer<Created> {
        var proxy = try await request.decodeJSON(as: Proxy.self, context: context)
        proxy.normalise()
        guard !proxy.listen.isEmpty else { throw APIError.badRequest("id, listen required", field: "listen") }
        if proxy.id.isEmpty { proxy.id = "\(proxy.protocolName)-\(SecretGenerator.hexID(byteCount: 4))" }
        let (id, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { [proxy] edit in
            if edit.config.proxies.contains(where: { $0.id == proxy.id }) {
                throw APIError.conflict("a proxy with id \"\(proxy.id)\" exists", field: "id")
            }
            try edit.append(proxy, to: ["proxies"])
            return proxy.id
        }
        return MutationAnswer(result: result, extra: Created(id: id))
    }

    /// Full replace; the id comes from the path.
    @Sendable func update(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let id = try context.parameters.requireDecoded("id")
        var proxy = try await request.decodeJSON(as: Proxy.self, context: context)
        proxy.id = id
        proxy.normalise()
        guard !proxy.listen.isEmpty else { throw APIError.badRequest("listen required", field: "listen") }
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { [proxy] edit in
            try edit.replaceEntry(at: ["proxies", .index(try edit.config.proxyIndex(id))], with: proxy)
        }
        return result
    }

    @Sendable func delete(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let id = try context.parameters.requireDecoded("id")
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            try edit.remove(["proxies", .index(try edit.config.proxyIndex(id))])
        }
        return result
    }
}

extension Proxy {
    /// Exit sync (reference §0.5) and the default protocol `socks5`.
    mutating func normalise() {
        if let first = exitPaths.first { exitVia = first }
        if protocolName.isEmpty { protocolName = ProxyProtocol.socks5.rawValue }
    }
}

extension Config {
    /// The index of the proxy with `id`, or 404.
    func proxyIndex(_ id: String) throws -> Int {
        guard let index = proxies.firstIndex(where: { $0.id == id }) else {
            throw APIError.notFound("no proxy has id \"\(id)\"")
        }
        return index
    }
}
