import Foundation
import Hummingbird
import NIOCore
import NodeState
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
        group.get("ikev2/ca", use: authority)
        group.get("ikev2/profiles/{username}", use: profile)
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

    /// The CA clients trust the server's certificate under, as PEM: the node's own (`vpn-ca`)
    /// when `cert_id` is empty, else the store CA that issued `cert_id`, else `cert_id` itself.
    @Sendable func authority(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let section = try await deps.configStore.snapshot().config.ikev2
        let pem = try Self.authorityPEM(of: section, store: deps.tlsStore)
        return Response(status: .ok, headers: [.contentType: "application/x-pem-file",
                                               .contentDisposition: "attachment; filename=\"ikev2-ca.pem\""],
                        body: .init(byteBuffer: ByteBuffer(string: pem)))
    }

    /// A user's ready client profile: `?format=mobileconfig` (Apple, the default) or `sswan`
    /// (strongSwan for Android), dialling `?server=` (else `local_id`, else the host the request
    /// was sent to).
    @Sendable func profile(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let username = try context.parameters.requireDecoded("username")
        let config = try await deps.configStore.snapshot().config
        guard let section = config.ikev2 else { throw APIError.notFound("ikev2 not configured") }
        guard let user = config.users.first(where: { $0.username == username }) else { throw APIError.notFound("no user \(username)") }
        let query = request.uri.queryParameters
        let format = query.get("format") ?? "mobileconfig"
        guard format == "mobileconfig" || format == "sswan" else {
            throw APIError.badRequest("format must be mobileconfig or sswan", field: "format")
        }
        let given = query.get("server") ?? ""
        guard let server = [given, section.localID, WireGuardController.endpointHost(of: request) ?? ""].first(where: { !$0.isEmpty }) else {
            throw APIError.badRequest("give ?server=, the host clients dial", field: "server")
        }
        let isPSK = IKEv2Mode(spelling: section.mode) == .psk
        let client = IKEv2Profiles.Client(
            server: server, serverID: section.localID.isEmpty ? config.nodeID ?? deps.nodeID : section.localID,
            username: user.username, password: user.password(for: .ikev2),
            authority: isPSK ? nil : IKEv2Profiles.der(ofPEM: try Self.authorityPEM(of: section, store: deps.tlsStore)),
            preSharedKey: isPSK ? section.preSharedKey : nil, name: config.name.isEmpty ? "hy2scale" : config.name)
        let text = format == "sswan" ? try IKEv2Profiles.sswan(client) : IKEv2Profiles.mobileconfig(client)
        let fileName = user.username.filter { $0.isLetter || $0.isNumber || "-_.".contains($0) }
        return Response(status: .ok,
                        headers: [.contentType: format == "sswan" ? "application/vnd.strongswan.profile" : "application/x-apple-aspen-config",
                                  .contentDisposition: "attachment; filename=\"\(fileName.isEmpty ? "ikev2" : fileName).\(format)\"",
                                  .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func authorityPEM(of section: IKEv2Config?, store: TLSStore) throws -> String {
        let id = section?.certificateID ?? ""
        if id.isEmpty {
            guard (try? store.exists(id: TLSStore.vpnCAID)) == true else {
                throw APIError.conflict("the node's VPN CA is made when the IKEv2 server first starts in mschapv2 mode")
            }
            return try store.pem(id: TLSStore.vpnCAID)
        }
        let info = try store.certificateInfo(id: id)
        return try store.pem(id: info.caID ?? id)
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
