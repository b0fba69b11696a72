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
    /// Whether the client is on this machine (a loopback address or a unix socket): the default
    /// admin/admin is accepted from nowhere else (DECISIONS #23).
    public let isFromLoopback: Bool

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        session = nil
        clientAddress = source.channel.remoteAddress?.ipAddress ?? ""
        isFromLoopback = source.channel.remoteAddress.map(Self.isLoopback) ?? false
    }

    /// 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104, or a unix socket.
    static func isLoopback(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4(let v4):
            return UInt32(bigEndian: v4.address.sin_addr.s_addr) >> 24 == 127
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            if bytes == [UInt8](repeating: 0, count: 15) + [1] { return true }
            return bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] && bytes[12] == 127
        case .unixDomainSocket:
            return true
        }
    }

    /// Bodies are small JSON documents; restore, upgrade, the config file's text and batches raise this on their own routes.
    public var maxUploadSize: Int {
        switch coreContext.endpointPath.value {
        case let path? where path.hasSuffix("/restore"): return 50 << 20
        case let path? where path.hasSuffix("/upgrade"): return 200 << 20
        case let path? where path.hasSuffix("/api/config") || path.contains("/api/config/"): return YAMLDocument.maximumSize
        case let path? where path.hasSuffix("/api/batch"): return 16 << 20
        default: return 1 << 20
        }
    }
}
