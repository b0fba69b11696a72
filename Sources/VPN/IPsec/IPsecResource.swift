public import Reconciler

/// What the IPsec driver converges: charon itself, then the IKEv2 pool and connection, L2TP's
/// transport connection and each secret, loaded over VICI one at a time so a change touches only
/// what changed.
public enum IPsecResource: Resource {
    case daemon(CharonSettings)
    case pool(IPsecSpec.Pool)
    case connection(IPsecSpec.Connection)
    case transport(IPsecSpec.Transport)
    case secret(IPsecSpec.Secret)

    /// charon first; the pool before the connection that names it.
    public var key: String {
        switch self {
        case .daemon: "0 daemon"
        case .pool: "1 pool"
        case .connection: "2 connection"
        case .transport: "2 transport"
        case .secret(let secret): "3 secret \(secret.id)"
        }
    }

    private static func describe(_ authentication: IPsecSpec.Connection.Authentication) -> String {
        switch authentication {
        case .preSharedKey: "psk"
        case .certificateAndEAP: "certificate + eap-mschapv2"
        case .issuedCertificateAndEAP(let identity): "certificate for \(identity) from the node's CA + eap-mschapv2"
        }
    }

    /// Never a secret or a private key.
    public var description: String {
        switch self {
        case .daemon(let settings): "charon" + (settings.userspaceESP ? " (ESP in userspace, kernel-libipsec)" : " (kernel ESP)")
        case .pool(let pool):
            "ikev2 pool \(IPsecGateway.name) after \(pool.network)" + (pool.dns.isEmpty ? "" : " dns \(pool.dns.map(\.description).joined(separator: ","))")
                + " mtu \(pool.mtu)"
        case .connection(let connection):
            "ikev2 connection \(IPsecGateway.name) "
                + Self.describe(connection.authentication)
                + (connection.localID.map { " local \($0)" } ?? "") + (connection.remoteID.map { " remote \($0)" } ?? "")
        case .transport(let transport): "l2tp ipsec connection \(IPsecGateway.transportName) ikev1 psk, transport mode, udp/\(transport.port)"
        case .secret(let secret): "ipsec secret \(secret.id)"
        }
    }
}
