import Foundation
import Hummingbird
import ScaleConfig
import YAMLDocument

/// The IKEv2 server, `ikev2` (reference §5.9).
///
/// GET shows the whole section (v1.3 hid `psk_user_mode`, `default_exit_mode` and `dns`, so they
/// could not round-trip). PUT replaces the section, except `remote_id`, `proxy_port`,
/// `psk_user_mode` and `dns`, which the UI never sends (v1.3 wiped them on every save,
/// reference §9 item 16): they keep their value when the body leaves them out.
struct IKEv2Controller {
    let deps: AdminDependencies

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("ikev2", use: show)
        group.put("ikev2", use: update)
    }

    /// Keys kept from the file when the body leaves them out.
    static let keptWhenAbsent: Set<String> = ["remote_id", "proxy_port", "psk_user_mode", "dns"]

    /// The section when absent; the local id defaults to the node id.
    static func defaults(nodeID: String) -> IKEv2Config {
        IKEv2Config(isEnabled: false, mode: IKEv2Mode.mschapv2.rawValue, pool: "192.168.26.1/24", localID: nodeID,
                    proxyPort: IKEv2Config.defaultProxyPort, mtu: IKEv2Config.defaultMTU)
    }

    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> Tagged<VPNServiceView<IKEv2Config>> {
        let snapshot = try await deps.configStore.snapshot()
        let section = snapshot.config.ikev2 ?? Self.defaults(nodeID: snapshot.config.nodeID ?? deps.nodeID)
        return Tagged(body: VPNServiceView(section: section, isEnabled: section.isEnabled, capability: HostCapability.ikev2(),
                                           live: await deps.runtime.ikev2()),
                      revision: snapshot.revision)
    }

    @Sendable func update(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let body = try await request.decodeJSON(as: KeyedBody<IKEv2Config>.self, context: context)
        guard IKEv2Mode(spelling: body.value.mode) != nil else {
            throw APIError.badRequest("mode must be 'mschapv2' or 'psk'", field: "mode")
        }
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            try edit.replaceEntry(at: ["ikev2"], with: body.value, keeping: Self.keptWhenAbsent.subtracting(body.keys))
        }
        return result
    }
}
