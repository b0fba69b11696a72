import Hummingbird
import NodeState
import ScaleConfig
import YAMLDocument
import Foundation
import HTTPTypes
import Logging
import Reconciler

/// Users: CRUD, toggle, reset-traffic, conflicts (reference §5.15, DECISIONS #2, #5).
struct UsersController {
    let deps: AdminDependencies

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("users", use: list)
        group.post("users", use: create)
        group.get("users/conflicts", use: conflicts)
        group.put("users/{id}", use: update)
        group.delete("users/{id}", use: delete)
        group.put("users/{id}/toggle", use: toggle)
        group.put("users/{id}/reset-traffic", use: resetTraffic)
    }

    /// A user as the API shows it: the declared fields plus `traffic_used` from the state store.
    struct UserView: Encodable, Sendable {
        var user: User
        var trafficUsed: UInt64

        enum CodingKeys: String, CodingKey { case traffic_used }

        func encode(to encoder: any Encoder) throws {
            try user.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(trafficUsed, forKey: .traffic_used)
        }
    }

    /// `?q=` searches ids and usernames.
    @Sendable func list(_ request: Request, context: AdminRequestContext) async throws -> StreamedList<UserView> {
        let query = try ListQuery(request)
        let snapshot = try await deps.configStore.snapshot()
        let (page, total) = query.page(snapshot.config.users) { [$0.id, $0.username] }
        let views = page.map { UserView(user: $0, trafficUsed: deps.counters.total(for: $0.id).total) }
        return StreamedList(elements: views[...], total: total, revision: snapshot.revision)
    }

    struct Created: Encodable, Sendable { var id: String }

    @Sendable func create(_ request: Request, context: AdminRequestContext) async throws -> MutationAnswer<Created> {
        let user = try Self.newUser(try await request.decodeJSON(as: User.self, context: context))
        let (id, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            try edit.createUser(user)
        }
        return MutationAnswer(result: result, extra: Created(id: id))
    }

    @Sendable func update(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let id = try context.parameters.requireDecoded("id")
        let user = try await request.decodeJSON(as: User.self, context: context)
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            try edit.updateUser(id: id, with: user)
        }
        return result
    }

    @Sendable func delete(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let id = try context.parameters.requireDecoded("id")
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            try edit.deleteUser(id: id)
        }
        return result
    }

    @Sendable func toggle(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let id = try context.parameters.requireDecoded("id")
        let body = request.head.headerFields[.contentLength] == "0" ? ToggleBody()
            : (try? await request.decodeJSON(as: ToggleBody.self, context: context)) ?? ToggleBody()  // no body: flip
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            try edit.toggleUser(id: id, enabled: body.enabled)
        }
        return result
    }

    /// A user from `POST /api/users`, checked, with an id when it has none.
    static func newUser(_ body: User) throws -> User {
        var user = body
        guard !user.username.isEmpty, !user.password.isEmpty else {
            throw APIError.badRequest("username and password required", field: user.username.isEmpty ? "username" : "password")
        }
        if user.id.isEmpty { user.id = SecretGenerator.hexID(byteCount: 4) }
        user.synchronizeExits()
        return user
    }

    /// The user calls `POST /api/batch` may hold.
    static let batchCalls = EntryBatchCalls(
        list: "users",
        create: { body in
            let user = try newUser(try body.decode(User.self))
            return { edit in try edit.createUser(user) }
        },
        update: { id, body in
            let user = try body.decode(User.self)
            return { edit in try edit.updateUser(id: id, with: user); return nil }
        },
        delete: { id in { edit in try edit.deleteUser(id: id); return nil } },
        toggle: { id, enabled in { edit in try edit.toggleUser(id: id, enabled: enabled); return nil } })

    @Sendable func resetTraffic(_ request: Request, context: AdminRequestContext) async throws -> StatusOK {
        let id = try context.parameters.requireDecoded("id")
        _ = try await deps.configStore.snapshot().config.userIndex(id)
        do {
            try deps.counters.reset(user: id)
        } catch {
            throw APIError(.internalServerError, "cannot reset the counter: \(error)")
        }
        return StatusOK()
    }

    /// Users sharing an effective password on a password-only protocol (`hy2`, `ss`): such users
    /// cannot be told apart there and are refused on it.
    @Sendable func conflicts(_ request: Request, context: AdminRequestContext) async throws -> JSONObject<[String: [String]]> {
        let users = try await deps.configStore.snapshot().config.users.filter(\.isEnabled)
        var answer: [String: [String: [String]]] = [:]
        for key in [PasswordProtocolKey.hy2, .ss] {
            let byPassword = Dictionary(grouping: users) { $0.password(for: key) }
            for (_, group) in byPassword where group.count > 1 {
                for user in group {
                    answer[user.username, default: [:]][key.rawValue] = group.map(\.username).filter { $0 != user.username }.sorted()
                }
            }
        }
        return JSONObject(members: answer)
    }
}

/// A JSON object answer built from a map.
struct JSONObject<Value: Encodable & Sendable>: ResponseEncodable, Sendable {
    var members: [String: Value]
    func encode(to encoder: any Encoder) throws { try members.encode(to: encoder) }
}

/// The user operations, shared by the routes and `POST /api/batch`; each keeps ``ConfigEdit/config``
/// current for the operations after it.
extension ConfigEdit {
    /// Adds `user` (already checked by ``UsersController/newUser(_:)``); 409 for a taken id or name.
    mutating func createUser(_ user: User) throws -> String {
        if config.users.contains(where: { $0.id == user.id }) {
            throw APIError.conflict("a user with id \"\(user.id)\" exists", field: "id")
        }
        if config.users.contains(where: { $0.username == user.username }) {
            throw APIError.conflict("a user named \"\(user.username)\" exists", field: "username")
        }
        try append(user.yaml(keepingSpellingOf: nil), to: ["users"])
        config.users.append(user)
        return user.id
    }

    /// Replaces the user `id` with `body`; an empty password keeps the current one.
    mutating func updateUser(id: String, with body: User) throws {
        var user = body
        user.id = id
        user.synchronizeExits()
        let index = try config.userIndex(id)
        let existing = config.users[index]
        if user.password.isEmpty { user.password = existing.password }
        if config.users.contains(where: { $0.id != id && $0.username == user.username }) {
            throw APIError.conflict("a user named \"\(user.username)\" exists", field: "username")
        }
        try set(["users", .index(index)], to: user.yaml(keepingSpellingOf: existing))
        config.users[index] = user
    }

    mutating func deleteUser(id: String) throws {
        let index = try config.userIndex(id)
        try remove(["users", .index(index)])
        config.users.remove(at: index)
    }

    /// Sets whether the user `id` is enabled; `nil` flips it.
    mutating func toggleUser(id: String, enabled: Bool?) throws {
        let index = try config.userIndex(id)
        let enabled = enabled ?? !config.users[index].isEnabled
        try set(["users", .index(index), "enabled"], to: enabled)
        config.users[index].isEnabled = enabled
    }
}

extension Config {
    /// The index of the user with `id`, or 404.
    func userIndex(_ id: String) throws -> Int {
        guard let index = users.firstIndex(where: { $0.id == id }) else {
            throw APIError.notFound("no user has id \"\(id)\"")
        }
        return index
    }
}

extension User {
    /// Exit sync (reference §0.5): a non-empty `exit_paths` makes its first entry the `exit_via`.
    mutating func synchronizeExits() {
        if let first = exitPaths.first { exitVia = first }
    }

    /// The YAML of this user, written with the quota and expiry keys the file entry already uses
    /// (DECISIONS #2): `traffic_limit` in bytes and `expiry_date` stay as they are.
    func yaml(keepingSpellingOf existing: User?) throws -> YAMLValue {
        guard case .mapping(var pairs) = try YAMLValueEncoder().encode(self) else { return .mapping([]) }
        if let existing, existing.quotaSpelling == .bytes, let i = pairs.firstIndex(where: { $0.key == "traffic_limit_gb" }) {
            pairs[i] = .init(existing.quotaKey, .int(trafficLimitBytes))
        }
        if let existing, existing.expirySpelling != .expiry, let i = pairs.firstIndex(where: { $0.key == "expiry" }) {
            pairs[i] = .init(existing.expiryKey, pairs[i].value)
        }
        return .mapping(pairs)
    }
}
