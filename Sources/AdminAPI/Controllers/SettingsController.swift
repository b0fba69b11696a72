import Foundation
import Hummingbird
import ScaleConfig
import YAMLDocument

/// `GET`/`PUT /api/settings/ui`: web UI, DNS and nested-discovery settings (reference §5.16).
///
/// GET shows effective values (defaults filled in, limits clamped). PUT is partial: only the
/// keys present change; an empty string or 0 removes the key (its default applies). The answer
/// names the changes that take effect at the next start (`listen`, `base_path`) in
/// `restart_required`, and only when their value really changed.
struct SettingsController {
    let deps: AdminDependencies

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("settings/ui", use: show)
        group.put("settings/ui", use: update)
    }

    struct View: Encodable, Sendable {
        var listen: String
        var base_path: String
        var dns: String
        var session_timeout_h: Int
        var force_https: Bool
        var https_cert_id: String
        var max_nested_depth: Int
        var max_response_nodes: Int
        var max_cache_entries: Int
        var max_response_bytes: Int
        var max_fetch_fan_out: Int
        var relay_admin_passthrough: Bool
        var dns_resolver_enabled: Bool
        var dns_resolver_cache_ttl: Int
        var dns_resolver_negative_ttl: Int
        var dns_resolver_cache_size: Int
        var dns_resolver_query_timeout_ms: Int
    }

    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> Tagged<View> {
        let snapshot = try await deps.configStore.snapshot()
        let config = snapshot.config
        let limits = config.nestedLimits
        let resolver = config.dnsResolver
        let view = View(
            listen: config.effectiveUIListen, base_path: config.effectiveUIBasePath,
            dns: config.dns.isEmpty ? Config.defaultDNSServers.joined(separator: ", ") : config.dns,
            session_timeout_h: config.effectiveSessionTimeoutHours, force_https: config.forcesHTTPS,
            https_cert_id: config.httpsCertificateID, max_nested_depth: limits.depth,
            max_response_nodes: limits.responseNodes, max_cache_entries: limits.cacheEntries,
            max_response_bytes: limits.responseBytes, max_fetch_fan_out: limits.fetchFanOut,
            relay_admin_passthrough: config.allowsRelayAdminPassthrough,
            dns_resolver_enabled: resolver.isEffectivelyEnabled, dns_resolver_cache_ttl: resolver.cacheTTL,
            dns_resolver_negative_ttl: resolver.negativeTTL, dns_resolver_cache_size: resolver.cacheSize,
            dns_resolver_query_timeout_ms: resolver.queryTimeoutMilliseconds)
        return Tagged(body: view, revision: snapshot.revision)
    }

    /// The body: every key optional. `ui_listen` and `ui_base_path` are accepted for `listen`
    /// and `base_path`.
    struct Update: Decodable, Sendable {
        var listen: String?
        var ui_listen: String?
        var base_path: String?
        var ui_base_path: String?
        var dns: String?
        var session_timeout_h: Int?
        var force_https: Bool?
        var https_cert_id: String?
        var max_nested_depth: Int?
        var max_response_nodes: Int?
        var max_cache_entries: Int?
        var max_response_bytes: Int?
        var max_fetch_fan_out: Int?
        var relay_admin_passthrough: Bool?
        var dns_resolver_enabled: Bool?
        var dns_resolver_cache_ttl: Int?
        var dns_resolver_negative_ttl: Int?
        var dns_resolver_cache_size: Int?
        var dns_resolver_query_timeout_ms: Int?
    }

    struct Answer: Encodable, Sendable {
        var note: String
        var restart_required: [String]
    }

    @Sendable func update(_ request: Request, context: AdminRequestContext) async throws -> MutationAnswer<Answer> {
        let body = try await request.decodeJSON(as: Update.self, context: context)
        let (restart, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            let before = edit.config
            var restart: [String] = []
            if let listen = body.listen ?? body.ui_listen {
                try edit.setSetting(["ui_listen"], listen)
                if before.effectiveUIListen != (listen.isEmpty ? Config.defaultUIListen : listen) { restart.append("listen") }
            }
            if let basePath = body.base_path ?? body.ui_base_path {
                try edit.setSetting(["ui_base_path"], basePath)
                if before.effectiveUIBasePath != Config(uiBasePath: basePath).effectiveUIBasePath { restart.append("base_path") }
            }
            if let dns = body.dns { try edit.setSetting(["dns"], dns) }
            if let value = body.https_cert_id { try edit.setSetting(["https_cert_id"], value) }
            if let value = body.force_https { try edit.setFlag(["force_https"], to: value) }
            if let value = body.relay_admin_passthrough { try edit.setFlag(["relay_admin_passthrough"], to: value) }
            if let enabled = body.dns_resolver_enabled { try edit.set(["dns_resolver", "enabled"], to: enabled) }
            let numbers: [(YAMLPath, Int?)] = [
                (["session_timeout_h"], body.session_timeout_h),
                (["max_nested_depth"], body.max_nested_depth),
                (["max_response_nodes"], body.max_response_nodes),
                (["max_cache_entries"], body.max_cache_entries),
                (["max_response_bytes"], body.max_response_bytes),
                (["max_fetch_fan_out"], body.max_fetch_fan_out),
                (["dns_resolver", "cache_ttl"], body.dns_resolver_cache_ttl),
                (["dns_resolver", "negative_ttl"], body.dns_resolver_negative_ttl),
                (["dns_resolver", "cache_size"], body.dns_resolver_cache_size),
                (["dns_resolver", "query_timeout_ms"], body.dns_resolver_query_timeout_ms),
            ]
            for case let (path, value?) in numbers { try edit.setSetting(path, value) }
            return restart
        }
        let note = restart.isEmpty ? "applied live" : "\(restart.joined(separator: " and ")) take effect at the next start"
        return MutationAnswer(result: result, extra: Answer(note: note, restart_required: restart))
    }
}

extension ConfigEdit {
    /// Writes a setting; an empty string or 0 removes the key, so its default applies.
    mutating func setSetting(_ path: YAMLPath, _ value: String) throws {
        if value.isEmpty { try remove(path) } else { try set(path, to: value) }
    }

    mutating func setSetting(_ path: YAMLPath, _ value: Int) throws {
        if value == 0 { try remove(path) } else { try set(path, to: value) }
    }
}
