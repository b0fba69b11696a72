public import Reconciler

/// What the IKEv2 driver converges: charon itself, then its pool, its connection and each
/// secret, loaded over VICI one at a time so a change touches only what changed.
public enum IKEv2Resource: Resource {
    case daemon(CharonSettings)
    case pool(IKEv2Spec.Pool)
    case connection(IKEv2Spec.Connection)
    case secret(IKEv2Spec.Secret)

    /// charon first; the pool before the connection that names it.
    public var key: String {
        switch self {
        case .daemon: "0 daemon"
        case .pool: "1 pool"
        case .connection: "2 connection"
        case .secret(let secret): "3 secret \(secret.id)"
        }
    }

    /// Never a secret or a private key.
    public var description: String {
        switch self {
        case .daemon(let settings): "charon" + (settings.userspaceESP ? " (ESP in userspace, kernel-libipsec)" : " (kernel ESP)")
        case .pool(let pool): "ikev2 pool \(IKEv2Gateway.name) after \(pool.network)" + (pool.dns.isEmpty ? "" : " dns \(pool.dns.map(\.description).joined(separator: ","))")
        case .connection(let connection):
            "ikev2 connection \(IKEv2Gateway.name) "
                + (connection.authentication == .preSharedKey ? "psk" : "certificate + eap-mschapv2")
                + (connection.localID.map { " local \($0)" } ?? "") + (connection.remoteID.map { " remote \($0)" } ?? "")
        case .secret(let secret): "ikev2 secret \(secret.id)"
        }
    }
}
