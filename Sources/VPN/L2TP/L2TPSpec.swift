public import Addressing

/// What the config wants of the L2TP server (xl2tpd and the pppd it starts per call): where it
/// listens, its PPP side, and each user's MSCHAPv2 secret. Its IPsec is charon's
/// (``IPsecSpec/Transport``).
public struct L2TPSpec: Hashable, Sendable {
    public var server: Server
    public var secrets: [ChapSecret]

    public init(server: Server, secrets: [ChapSecret]) {
        self.server = server
        self.secrets = secrets.sorted { $0.username < $1.username }
    }

    /// xl2tpd's and pppd's settings: a change restarts xl2tpd, ending its calls.
    public struct Server: Hashable, Sendable {
        public var port: UInt16
        /// The server's own PPP address and the pool's network; clients get the addresses after it.
        public var gateway: IPNetwork
        public var mtu: Int
        /// Pushed to clients (`ms-dns`); IPv4 only, as PPP's IPCP carries.
        public var dns: [IPAddress]

        public init(port: UInt16, gateway: IPNetwork, mtu: Int, dns: [IPAddress]) {
            self.port = port
            self.gateway = gateway
            self.mtu = mtu
            self.dns = dns.filter(\.isIPv4)
        }
    }

    /// One user's password, as pppd's `chap-secrets` holds it.
    public struct ChapSecret: Hashable, Sendable, CustomStringConvertible {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }

        /// Never the password.
        public var description: String { "l2tp secret of \(username)" }
    }
}
