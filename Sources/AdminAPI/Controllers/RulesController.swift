import Foundation
import HTTPTypes
import Hummingbird
import NodeState
import ScaleConfig
import YAMLDocument

/// Host routing rules, `rules[]`, and the legacy TUN mode switch (reference §5.11, seed).
///
/// Rule ids are unique (409); POST without an id gets `<type>-<8 hex>`; PUT, DELETE and toggle on
/// an unknown id are 404. Exit modes are sanitised as reference §6.3 says (400).
struct RulesController {
    let deps: AdminDependencies

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("rules", use: list)
        group.post("rules", use: create)
        group.get("rules/tun-mode", use: showTunMode)
        group.put("rules/tun-mode", use: updateTunMode)
        group.put("rules/{id}", use: update)
        group.delete("rules/{id}", use: delete)
        group.put("rules/{id}/toggle", use: toggle)
    }

    /// A rule with `tun_active`: whether its traffic goes through the TUN device now (a `use_tun`
    /// rule falls back to capture where TUN devices cannot be made).
    struct RuleView: Encodable, Sendable {
        var rule: RoutingRule
        var tunActive = false

        enum CodingKeys: String, CodingKey { case tun_active }

        func encode(to encoder: any Encoder) throws {
            try rule.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(tunActive, forKey: .tun_active)
        }
    }

    // The list's `available` is always true: host steering uses nftables on any host
    // (DECISIONS #15), not only in host network mode.

    /// `?q=` searches ids, names and targets; `rules` is the page, the rest describes the node.
    @Sendable func list(_ request: Request, context: AdminRequestContext) async throws -> StreamedList<RuleView> {
        let query = try ListQuery(request)
        let snapshot = try await deps.configStore.snapshot()
        let tunnelled = await deps.runtime.tunnelledRules()
        let (page, total) = query.page(snapshot.config.rules) { [$0.id, $0.name] + $0.targets }
        let rules = page.map { RuleView(rule: $0, tunActive: tunnelled.contains($0.id)) }
        return StreamedList(prefix: #"{"available":true,"tun_active":\#(!tunnelled.isEmpty),"rules":["#, elements: rules[...],
                            suffix: "]}", total: total, revision: snapshot.revision)
    }

    struct Created: Encodable, Sendable { var id: String }

    @Sendable func create(_ request: Request, context: AdminRequestContext) async throws -> MutationAnswer<Created> {
        let rule = try Self.newRule(try await request.decodeJSON(as: RoutingRule.self, context: context))
        let (id, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            try edit.createRule(rule)
        }
        return MutationAnswer(result: result, extra: Created(id: id))
    }

    /// Full replace; the id comes from the path.
    @Sendable func update(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let id = try context.parameters.requireDecoded("id")
        let rule = try Self.replacement(try await request.decodeJSON(as: RoutingRule.self, context: context), id: id)
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            try edit.replaceRule(rule)
        }
        return result
    }

    @Sendable func delete(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let id = try context.parameters.requireDecoded("id")
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            try edit.deleteRule(id: id)
        }
        return result
    }

    /// Sets `enabled` from the body; without a body it flips.
    @Sendable func toggle(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let id = try context.parameters.requireDecoded("id")
        let body = request.head.headerFields[.contentLength] == "0" ? ToggleBody()
            : (try? await request.decodeJSON(as: ToggleBody.self, context: context)) ?? ToggleBody()
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            try edit.toggleRule(id: id, enabled: body.enabled)
        }
        return result
    }

    /// A rule from `POST /api/rules`, normalised and checked, with an id when it has none.
    static func newRule(_ body: RoutingRule) throws -> RoutingRule {
        var rule = body
        try rule.normalise()
        guard !rule.exitVia.isEmpty, !rule.targets.isEmpty else {
            throw APIError.badRequest("id, exit_via, and targets required", field: rule.exitVia.isEmpty ? "exit_via" : "targets")
        }
        if rule.id.isEmpty { rule.id = "\(rule.type)-\(SecretGenerator.hexID(byteCount: 4))" }
        return rule
    }

    /// The rule of `PUT /api/rules/{id}`, normalised, with the path's id.
    static func replacement(_ body: RoutingRule, id: String) throws -> RoutingRule {
        var rule = body
        rule.id = id
        try rule.normalise()
        return rule
    }

    /// The rule calls `POST /api/batch` may hold (`rules/tun-mode` is not a rule).
    static let batchCalls = EntryBatchCalls(
        list: "rules", reserved: ["tun-mode"],
        create: { body in
            let rule = try newRule(try body.decode(RoutingRule.self))
            return { edit in try edit.createRule(rule) }
        },
        update: { id, body in
            let rule = try replacement(try body.decode(RoutingRule.self), id: id)
            return { edit in try edit.replaceRule(rule); return nil }
        },
        delete: { id in { edit in try edit.deleteRule(id: id); return nil } },
        toggle: { id, enabled in { edit in try edit.toggleRule(id: id, enabled: enabled); return nil } })

    // MARK: - TUN mode

    struct TunModeView: Encodable, Sendable {
        var enabled: Bool
        var mode: String
    }

    /// `tun_mode` as stored, `{"enabled": false, "mode": "mixed"}` when absent.
    @Sendable func showTunMode(_ request: Request, context: AdminRequestContext) async throws -> Tagged<TunModeView> {
        let snapshot = try await deps.configStore.snapshot()
        let tun = snapshot.config.legacyTunMode ?? TunModeConfig()
        return Tagged(body: TunModeView(enabled: tun.isEnabled, mode: tun.mode.isEmpty ? TunMode.mixed.rawValue : tun.mode),
                      revision: snapshot.revision)
    }

    struct TunModeUpdate: Decodable {
        var enabled: Bool?
        var mode: String?
    }

    /// Partial update of `tun_mode`: `enabled` and `mode` (`mixed` or `full`).
    @Sendable func updateTunMode(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let body = try await request.decodeJSON(as: TunModeUpdate.self, context: context)
        if let mode = body.mode, TunMode(spelling: mode) == nil {
            throw APIError.badRequest("mode must be 'mixed' or 'full'", field: "mode")
        }
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            if let enabled = body.enabled { try edit.set(["tun_mode", "enabled"], to: enabled) }
            if let mode = body.mode {
                if mode.isEmpty { try edit.remove(["tun_mode", "mode"]) } else { try edit.set(["tun_mode", "mode"], to: mode) }
            }
        }
        return result
    }
}

extension RoutingRule {
    /// Exit sync (reference §0.5), the rule type check and exit-mode sanitising (§6.3); 400 on
    /// a bad type or an aggregate mode whose paths end at different nodes.
    mutating func normalise() throws {
        if let first = exitPaths.first { exitVia = first }
        guard RuleType(spelling: type) != nil, !type.isEmpty else {
            throw APIError.badRequest("type must be 'ip' or 'domain'", field: "type")
        }
        exitMode = try ExitFields.sanitisedMode(exitMode, via: exitVia, paths: exitPaths)
    }
}

extension Config {
    /// The index of the rule with `id`, or 404.
    func ruleIndex(_ id: String) throws -> Int {
        guard let index = rules.firstIndex(where: { $0.id == id }) else {
            throw APIError.notFound("no rule has id \"\(id)\"")
        }
        return index
    }
}

/// The rule operations, shared by the routes and `POST /api/batch`; each keeps ``ConfigEdit/config``
/// current for the operations after it.
extension ConfigEdit {
    /// Adds `rule` (already checked by ``RulesController/newRule(_:)``); 409 for a taken id.
    mutating func createRule(_ rule: RoutingRule) throws -> String {
        if config.rules.contains(where: { $0.id == rule.id }) {
            throw APIError.conflict("a rule with id \"\(rule.id)\" exists", field: "id")
        }
        try append(rule, to: ["rules"])
        config.rules.append(rule)
        return rule.id
    }

    mutating func replaceRule(_ rule: RoutingRule) throws {
        let index = try config.ruleIndex(rule.id)
        try replaceEntry(at: ["rules", .index(index)], with: rule)
        config.rules[index] = rule
    }

    mutating func deleteRule(id: String) throws {
        let index = try config.ruleIndex(id)
        try remove(["rules", .index(index)])
        config.rules.remove(at: index)
    }

    /// Sets whether the rule `id` is enabled; `nil` flips it.
    mutating func toggleRule(id: String, enabled: Bool?) throws {
        let index = try config.ruleIndex(id)
        let enabled = enabled ?? !config.rules[index].isEnabled
        try set(["rules", .index(index), "enabled"], to: enabled)
        config.rules[index].isEnabled = enabled
    }
}
