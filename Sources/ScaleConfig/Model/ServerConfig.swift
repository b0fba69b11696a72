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
    /// Obfuscation of every QUIC packet (hy2scale addition; absent in v1.3 files): clients must
    /// use the same. `nil`: plain QUIC.
    public var obfuscation: ObfuscationConfig?

    /// A server section with the given fields; every field defaults to empty.
    public init(listen: String = "", password: String = "", tlsCertificatePath: String = "", tlsKeyPath: String = "",
                obfuscation: ObfuscationConfig? = nil) {
        self.listen = listen
        self.password = password
        self.tlsCertificatePath = tlsCertificatePath
        self.tlsKeyPath = tlsKeyPath
        self.obfuscation = obfuscation
    }

    enum CodingKeys: String, CodingKey {
        case listen, password
        case tlsCertificatePath = "tls_cert"
        case tlsKeyPath = "tls_key"
        case obfuscation = "obfs"
    }

    /// Decodes a `server` section; absent keys are empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        listen = try c.value(.listen, or: "")
        password = try c.value(.password, or: "")
        tlsCertificatePath = try c.value(.tlsCertificatePath, or: "")
        tlsKeyPath = try c.value(.tlsKeyPath, or: "")
        obfuscation = try c.decodeIfPresent(ObfuscationConfig.self, forKey: .obfuscation)
    }
}

extension ServerConfig: CustomStringConvertible {
    /// A summary without the password.
    public var description: String {
        "ServerConfig(listen: \"\(listen)\", password: <redacted>, tls_cert: \"\(tlsCertificatePath)\", tls_key: \"\(tlsKeyPath)\""
            + (obfuscation.map { ", obfs: \($0.type)" } ?? "") + ")"
    }
}
