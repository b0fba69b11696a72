import Foundation
import Hummingbird
import ScaleConfig
import YAMLDocument

/// The L2TP/IPsec server, `l2tp` (reference §5.8).
///
/// PUT replaces the section, except `proxy_port`, which the UI never sends (v1.3 reset it to 0
/// on every save, reference §9 item 16): it keeps its value when the body leaves it out.
/// The host capability is reported by GET but does not refuse a PUT: the file may declare a
/// service this host cannot run yet, and the reconcile outcome says so.
struct L2TPController {
    let deps: AdminDependencies

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("l2tp", use: show)
        group.put("l2tp", use: update)
    }

    /// The section when absent.
    static let defaults = L2TPConfig(listen: String(L2TPConfig.defaultPort), isEnabled: false, pool: "192.168.25.1/24",
                                     preSharedKey: "", proxyPort: L2TPConfig.defaultProxyPort, mtu: L2TPConfig.defaultMTU)
    /// Keys kept from the file when the body leaves them out.
    static let keptWhenAbsent: Set<String> = ["proxy_port"]

    @Sendable func show(_ request: Request, context: AdminRequestContext) async throws -> Tagged<VPNServiceView<L2TPConfig>> {
        let snapshot = try await deps.configStore.snapshot()
        let section = snapshot.config.l2tp ?? Self.defaults
        return Tagged(body: VPNServiceView(section: section, isEnabled: section.isEnabled, capability: HostCapability.l2tp(),
                                           live: await deps.runtime.l2tp()),
                      revision: snapshot.revision)
    }

    @Sendable func update(_ request: Request, context: AdminRequestContext) async throws -> MutationResult {
        let body = try await request.decodeJSON(as: KeyedBody<L2TPConfig>.self, context: context)
        let (_, result) = try await deps.configStore.edit(expectedRevision: request.expectedRevision) { edit in
            try edit.replaceEntry(at: ["l2tp"], with: body.value, keeping: Self.keptWhenAbsent.subtracting(body.keys))
        }
        return result
    }
}

/// A VPN service's section as GET shows it: the section, what the host offers it, and whether
/// its daemons run.
struct VPNServiceView<Section: Encodable & Sendable>: Encodable, Sendable {
    var section: Section
    var isEnabled: Bool
    var capability: HostCapability.Report
    var live: DaemonRuntime

    enum Keys: String, CodingKey { case running }

    /// `reason` says what the host lacks, else why the enabled server is not running.
    func encode(to encoder: any Encoder) throws {
        try section.encode(to: encoder)
        var report = capability
        if report.reason.isEmpty, isEnabled, !live.isRunning || live.reason != nil { report.reason = live.reason ?? "" }
        try report.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(live.isRunning, forKey: .running)
    }
}
