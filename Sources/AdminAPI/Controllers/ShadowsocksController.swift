import Foundation
import Hummingbird
import ScaleConfig
import YAMLDocument

/// The Shadowsocks server, `ss` (reference §5.7).
struct ShadowsocksController {
    let deps: AdminDependencies

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("ss", use: show)
        group.put("ss", use: update)
    }

    /// The section when absent: not listening, `aes-256-gcm`.
    static let defaults = ShadowsocksConfig(listen: "", isEnabled: false, method: ShadowsocksMethod.aes256GCM.rawValue)

    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> Tagged<ShadowsocksConfig> {
        let snapshot = try await deps.configStore.snapshot()
        return Tagged(body: snapshot.config.shadowsocks ?? Self.defaults, revision: snapshot.revision)
    }

    /// Full replace of the section (`listen`, `enabled`, `method`); the method is checked by the
    /// config validator (422).
    @Sendable func update(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let ss = try await request.decodeJSON(as: ShadowsocksConfig.self, context: context)
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            try edit.replaceEntry(at: ["ss"], with: ss)
        }
        return result
    }
}
