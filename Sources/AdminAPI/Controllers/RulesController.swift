import Foundation
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

    /// `available`: host steering uses nftables on any host (DECISIONS #15), not only in host
    /// network mode.
    struct RulesView: Encodable, Sendable {
        var available = true
        var tun_active = false
        var rules: [RuleView]
    }

    @Sendable func list(_ request: Request, context: AdminRequestContext) async throws -> Tagged<RulesView> {
        let snapshot = try await deps.configStore.snapshot()
        let tunnelled = await deps.runtime.tunnelledRules()
        let rules = snapshot.config.rules.map { RuleView(rule: $0, tunActive: tunnelled.contains($0.id)) }
        return Tagged(body: RulesView(tun_active: !tunnelled.isEmpty, rules: rules), revision: snapshot.revision)
    }

    struct Created: Encodable, Sendable { var id: String }

    @Sendable func create(_ request: Request, context: AdminRequestContext) async throws -> MutationAnswer<Created> {
        var rule = try await request.decodeJSON(as: RoutingRule.self, context: context)
        try rule.normalise()
        guard !rule.exitVia.isEmpty, !rule.targets.isEmpty else {
            throw APIError.badRequest("id, exit_via, and targets required", field: rule.exitVia.isEmpty ? "exit_via" : "targets")
        }
        if rule.id.isEmpty { rule.id = "\(rule.type)-\(SecretGenerator.hexID(byteCount: 4))" }
        let (id, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { [rule] edit in
            if edit.config.rules.contains(where: { $0.id == rule.id }) {
                throw APIError.conflict("a rule with id \"\(rule.id)\" exists", field: "id")
            }
            try edit.append(rule, to: ["rules"])
            return rule.id
        }
        return MutationAnswer(result: result, extra: Created(id: id))
    }

    /// Full replace; the id comes from the path.
    @Sendable func update(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let id = try context.parameters.requireDecoded("id")
        var rule = try await request.decodeJSON(as: RoutingRule.self, context: context)
        rule.id = id
        try rule.normalise()
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { [rule] edit in
            try edit.replaceEntry(at: ["rules", .index(try edit.config.ruleIndex(id))], with: rule)
        }
        return result
    }

    @Sendable func delete(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let id = try context.parameters.requireDecoded("id")
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            try edit.remove(["rules", .index(try edit.config.ruleIndex(id))])
        }
        return result
    }

    struct Toggle: Decodable { var enabled: Bool? }

    /// Sets `enabled` from the body; without a body it flips.
    @Sendable func toggle(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let id = try context.parameters.requireDecoded("id")
        let body = request.head.headerFields[.contentLength] == "0" ? Toggle()
            : (try? await request.decodeJSON(as: Toggle.self, context: context)) ?? Toggle()
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            let index = try edit.config.ruleIndex(id)
            let enabled = body.enabled ?? !edit.config.rules[index].isEnabled
            try edit.set(["rules", .index(index), "enabled"], to: enabled)
        }
        return result
    }

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
