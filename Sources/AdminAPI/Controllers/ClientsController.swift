import Foundation
import Hummingbird
import ScaleConfig
import YAMLDocument

/// Configured outbound peers, `clients[]` (reference §5.5, DECISIONS #5).
///
/// Entries are found by name or primary address. Duplicates (name or any address) are 409;
/// address syntax is checked by the config validator (422).
struct ClientsController {
    let deps: AdminDependencies

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("clients", use: list)
        group.post("clients", use: create)
        group.get("clients/{name}", use: show)
        group.put("clients/{name}", use: update)
        group.delete("clients/{name}", use: delete)
        group.put("clients/{name}/disable", use: disable)
    }

    /// A client entry with `connected`: a live outbound session to it, and not disabled.
    struct ClientView: Encodable, Sendable {
        var client: OutboundPeer
        var connected: Bool

        enum CodingKeys: String, CodingKey { case connected }

        func encode(to encoder: any Encoder) throws {
            try client.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(connected, forKey: .connected)
        }
    }

    /// `?q=` searches names and addresses.
    @Sendable func list(_ request: Request, context: AdminRequestContext) async throws -> StreamedList<ClientView> {
        let query = try ListQuery(request)
        let snapshot = try await deps.configStore.snapshot()
        let live = Set(await deps.runtime.livePeers().filter { $0.direction == "outbound" }.map { $0.client_name ?? $0.name })
        let (page, total) = query.page(snapshot.config.clients) { [$0.name, $0.address] + $0.addresses }
        return StreamedList(elements: page.map { ClientView(client: $0, connected: !$0.isDisabled && live.contains($0.name)) }[...],
                            total: total, revision: snapshot.revision)
    }

    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> Tagged<OutboundPeer> {
        let name = try context.parameters.requireDecoded("name")
        let snapshot = try await deps.configStore.snapshot()
        return Tagged(body: snapshot.config.clients[try snapshot.config.clientIndex(name)], revision: snapshot.revision)
    }

    @Sendable func create(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        var client = try await request.decodeJSON(as: OutboundPeer.self, context: context)
        client.synchronizeAddresses()
        guard !client.name.isEmpty, !client.address.isEmpty, !client.password.isEmpty else {
            throw APIError.badRequest("name, addr, password required",
                                      field: client.name.isEmpty ? "name" : client.address.isEmpty ? "addr" : "password")
        }
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { [client] edit in
            try edit.config.checkClientUnique(client, except: nil)
            try edit.append(client, to: ["clients"])
        }
        return result
    }

    /// Full replace of the entry named (or addressed) by the path. An empty body `name` keeps the
    /// path's name; a different one renames. `addr` follows `addrs[0]` when `addrs` is given.
    @Sendable func update(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let name = try context.parameters.requireDecoded("name")
        var client = try await request.decodeJSON(as: OutboundPeer.self, context: context)
        client.synchronizeAddresses()
        guard !client.address.isEmpty, !client.password.isEmpty else {
            throw APIError.badRequest("addr and password required", field: client.address.isEmpty ? "addr" : "password")
        }
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { [client] edit in
            let index = try edit.config.clientIndex(name)
            var client = client
            if client.name.isEmpty { client.name = edit.config.clients[index].name }
            try edit.config.checkClientUnique(client, except: index)
            try edit.replaceEntry(at: ["clients", .index(index)], with: client)
        }
        return result
    }

    @Sendable func delete(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let name = try context.parameters.requireDecoded("name")
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            try edit.remove(["clients", .index(try edit.config.clientIndex(name))])
        }
        return result
    }

    struct Disable: Decodable { var disabled: Bool }

    @Sendable func disable(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let name = try context.parameters.requireDecoded("name")
        let body = try await request.decodeJSON(as: Disable.self, context: context)
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            let index = try edit.config.clientIndex(name)
            try edit.setFlag(["clients", .index(index), "disabled"], to: body.disabled)
        }
        return result
    }
}

extension OutboundPeer {
    /// Address sync: a non-empty `addrs` makes its first entry the primary `addr` (also on PUT,
    /// unlike v1.3, which kept the old `addr` there, reference §9 item 8).
    mutating func synchronizeAddresses() {
        if let first = addresses.first { address = first }
    }
}

extension Config {
    /// The index of the first client whose name or primary address is `name`, or 404.
    func clientIndex(_ name: String) throws -> Int {
        if let index = clients.firstIndex(where: { $0.name == name }) ?? clients.firstIndex(where: { $0.address == name }) {
            return index
        }
        throw APIError.notFound("no client peer has the name or address \"\(name)\"")
    }

    /// 409 when another entry (not `except`) has the client's name or one of its addresses.
    func checkClientUnique(_ client: OutboundPeer, except: Int?) throws {
        for (i, other) in clients.enumerated() where i != except {
            if other.name == client.name {
                throw APIError.conflict("a client peer named \"\(client.name)\" exists", field: "name")
            }
            if let shared = client.allAddresses.first(where: other.allAddresses.contains) {
                throw APIError.conflict("the client peer \"\(other.name)\" already dials \(shared)", field: "addr")
            }
        }
    }
}
