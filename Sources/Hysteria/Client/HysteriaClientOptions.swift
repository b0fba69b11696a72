public import NIOCore

/// How to reach and log in to a Hysteria 2 server.
public struct HysteriaClientOptions: Sendable {
    /// The server's UDP address.
    public var server: SocketAddress
    /// The credential: a node or user password, or `username:password`. Secret.
    public var auth: String
    /// SNI, and the name the certificate must carry unless `insecure`.
    public var serverName: String
    /// Skip certificate verification (self-signed servers).
    public var insecure = false
    /// PEM certificates to trust instead of the system store (a peer's `ca`).
    public var trustedAuthoritiesPEM: String?
    /// The Salamander password when the server obfuscates; `nil` for plain QUIC.
    public var obfuscationPassword: String?
    /// Our receive rate in bytes per second, sent as `hysteria-cc-rx`; 0 = unknown. A hint for
    /// the server's congestion control.
    public var receiveBandwidth: UInt64 = 0
    /// Time the QUIC handshake and the login may take together.
    public var connectTimeout: Duration = .seconds(10)

    public init(server: SocketAddress, auth: String, serverName: String) {
        self.server = server
        self.auth = auth
        self.serverName = serverName
    }
}
