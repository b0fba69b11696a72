public import Reconciler

/// What the L2TP driver converges: xl2tpd with its settings, then each user's secret, so a
/// user's change rewrites that user's line only and no call of another user ends.
public enum L2TPResource: Resource {
    case daemon(L2TPSpec.Server)
    case secret(L2TPSpec.ChapSecret)

    public var key: String {
        switch self {
        case .daemon: "0 daemon"
        case .secret(let secret): "1 secret \(secret.username)"
        }
    }

    /// Never a password.
    public var description: String {
        switch self {
        case .daemon(let server):
            "xl2tpd udp/\(server.port) gateway \(server.gateway) mtu \(server.mtu)"
                + (server.dns.isEmpty ? "" : " dns \(server.dns.map(\.description).joined(separator: ","))")
        case .secret(let secret): secret.description
        }
    }
}
