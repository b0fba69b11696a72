public import Hummingbird
import NIOCore
import Foundation
import HTTPTypes
import Logging
import YAMLDocument
import NodeState
import ScaleConfig
import Reconciler

/// The context of every admin request: the session the auth middleware found, if any.
public struct AdminRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``AuthMiddleware`` on authenticated routes.
    public var session: AdminSession?
    /// The client's IP address, for the login rate limit; empty when unknown.
    public let clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        session = nil
        clientAddress = source.channel.remoteAddress?.ipAddress ?? ""
    }

    /// Bodies are small JSON documents; restore and upgrade raise this on their own routes.
    public var maxUploadSize: Int {
        switch coreContext.endpointPath.value {
        case let path? where path.hasSuffix("/restore"): return 50 << 20
        case let path? where path.hasSuffix("/upgrade"): return 200 << 20
        default: return 1 << 20
        }
    }
}
