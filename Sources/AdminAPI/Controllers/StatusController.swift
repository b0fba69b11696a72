import Hummingbird
import Reconciler
import Foundation
import HTTPTypes
import Logging
import YAMLDocument
import NodeState
import ScaleConfig

/// Reconcile status, the API document and the build id.
struct StatusController {
    let deps: AdminDependencies

    func addPublicRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("build-id", use: buildID)
    }

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("status", use: status)
    }

    struct StatusAnswer: ResponseEncodable {
        var revision: String?
        var applied: Bool
        var problems: [String]
        var changes: [String]
        var failures: [String]
        var listeners: [Listener]
        /// What the host lets the node do; the web UI shows the missing ones as a banner.
        var capabilities: [HostCapability.Fact]
    }

    /// A bound socket: its key, the address the config gives and the one the socket got.
    struct Listener: Encodable {
        var key: String
        var listen: String
        var bound: String
        var port: Int
    }

    /// What the last reconcile did, whether the file on disk is the one in force, and the sockets
    /// the node listens on (a listener configured with port 0 shows the port it got), and what the
    /// host lets it do.
    @Sendable func status(_ request: Request, context: AdminRequestContext) async throws -> StatusAnswer {
        let report = await deps.reconciler.status
        let listeners = deps.listeners.all.map { Listener(key: $0.key, listen: $0.listen, bound: $0.bound, port: $0.port) }
        return StatusAnswer(revision: report.revision, applied: report.applied, problems: report.problems,
                            changes: report.changes, failures: report.failures, listeners: listeners,
                            capabilities: HostCapability.current())
    }

    struct BuildID: ResponseEncodable {
        var build_id: String
    }

    @Sendable func buildID(_ request: Request, context: AdminRequestContext) async throws -> Response {
        var response = try context.responseEncoder.encode(BuildID(build_id: BuildInfo.buildID), from: request, context: context)
        response.headers[.cacheControl] = "no-cache, no-store, must-revalidate"
        return response
    }
}
