/// The Hysteria 2 (QUIC) server of this node (`server`).
public struct ServerConfig: Codable, Sendable, Equatable {
    /// UDP listen address `host:port`, optionally with a port-hopping spec
    /// (`host:5565,44000-45000`) of which only the first port is bound. Empty: no server.
    public var listen: String
    /// The system password peers authenticate with. Secret.
    public var password: String
    /// Filesystem path of the certificate PEM (not a TLS store id). Empty: ephemeral certificate.
    public var tlsCertificatePath: String
    /// Filesystem path of the private key PEM. Empty: ephemeral certificate.
    public var tlsKeyPath: String

    /// A server section with the given fields; every field defaults to empty.
    public init(listen: String = "", password: String = "", tlsCertificatePath: String = "", tlsKeyPath: String = "") {
        self.listen = listen
        self.password = password
        self.tlsCertificatePath = tlsCertificatePath
        self.tlsKeyPath = tlsKeyPath
    }

    enum CodingKeys: String, CodingKey {
        case listen, password
        case tlsCertificatePath = "tls_cert"
        case tlsKeyPath = "tls_key"
    }

    /// Decodes a `server` section; absent keys are empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        listen = try c.value(.listen, or: "")
        password = try c.value(.password, or: "")
        tlsCertificatePath = try c.value(.tlsCertificatePath, or: "")
        tlsKeyPath = try c.value(.tlsKeyPath, or: "")
    }
}

extension ServerConfig: CustomStringConvertible {
    /// A summary without the password.
    public var description: String {
        "ServerConfig(listen: \"\(listen)\", password: <redacted>, tls_cert: \"\(tlsCertificatePath)\", tls_key: \"\(tlsKeyPath)\")"
    }
}
