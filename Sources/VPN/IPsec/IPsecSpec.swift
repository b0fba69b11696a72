public import Addressing

/// What the config wants of the node's charon: the IKEv2 server's connection and its address
/// pool, L2TP's IPsec transport connection, and the secrets clients authenticate with. Either
/// service may be off; charon runs while one is on.
public struct IPsecSpec: Hashable, Sendable {
    /// The IKEv2 server's connection; `nil` when it is off.
    public var connection: Connection?
    /// The IKEv2 server's pool; `nil` when it is off.
    public var pool: Pool?
    /// L2TP/IPsec's transport connection; `nil` when L2TP is off.
    public var transport: Transport?
    public var secrets: [Secret]

    /// Secrets with the same id (both services' pre-shared keys, which validation makes equal)
    /// are one.
    public init(connection: Connection?, pool: Pool?, transport: Transport? = nil, secrets: [Secret]) {
        self.connection = connection
        self.pool = pool
        self.transport = transport
        var byID: [String: Secret] = [:]
        for secret in secrets where byID[secret.id] == nil { byID[secret.id] = secret }
        self.secrets = byID.values.sorted { $0.id < $1.id }
    }

    /// L2TP/IPsec's IPsec: IKEv1 with the pre-shared key, ESP in transport mode for the L2TP
    /// port only, always UDP-encapsulated (clients behind NAT are the rule).
    public struct Transport: Hashable, Sendable {
        /// The L2TP server's UDP port, the only traffic the SAs carry.
        public var port: UInt16

        public init(port: UInt16) { self.port = port }
    }

    /// The connection clients make: full tunnel, virtual IPs from the pool.
    public struct Connection: Hashable, Sendable {
        public enum Authentication: Hashable, Sendable {
            /// Both sides prove the pre-shared key.
            case preSharedKey
            /// The server proves its certificate (PEM, with its private key); clients are EAP
            /// identities with MSCHAPv2 passwords.
            case certificateAndEAP(certificate: String, privateKey: String)
            /// As ``certificateAndEAP(certificate:privateKey:)``, with a certificate for
            /// `identity` that the node issues from its own CA when the connection is loaded.
            case issuedCertificateAndEAP(identity: String)

            /// Whether clients prove who they are (EAP), so each tunnel is a user's.
            public var provesUsers: Bool { self != .preSharedKey }
        }

        public var authentication: Authentication
        /// The server's IKE identity; `nil` is its address (or the certificate's subject).
        public var localID: String?
        /// The identity clients must claim; `nil` is any.
        public var remoteID: String?

        public init(authentication: Authentication, localID: String?, remoteID: String?) {
            self.authentication = authentication
            self.localID = localID
            self.remoteID = remoteID
        }
    }

    /// The clients' virtual addresses, the DNS servers pushed to them, and the MTU of the device
    /// their packets cross (`ipsec0`).
    public struct Pool: Hashable, Sendable {
        /// The server's own address in the pool's network; clients get the addresses after it.
        public var network: IPNetwork
        public var dns: [IPAddress]
        public var mtu: UInt32

        public init(network: IPNetwork, dns: [IPAddress], mtu: UInt32 = 1400) {
            self.network = network
            self.dns = dns
            self.mtu = mtu
        }
    }

    /// A secret charon authenticates with: the pre-shared key, or one user's EAP password.
    public struct Secret: Hashable, Sendable, CustomStringConvertible {
        public enum Kind: String, Hashable, Sendable { case ike = "IKE", eap = "EAP" }

        public var kind: Kind
        /// The identity it belongs to (a username for EAP); `nil` is any.
        public var owner: String?
        public var data: String

        public init(kind: Kind, owner: String?, data: String) {
            self.kind = kind
            self.owner = owner
            self.data = data
        }

        /// charon's name for it: one per owner, so a user's change touches that user only.
        public var id: String { "hy2-\(kind.rawValue.lowercased())-\(owner ?? "any")" }

        /// Never the secret itself.
        public var description: String { id }
    }
}
