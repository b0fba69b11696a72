/// A SOCKS5 or HTTP listener (`proxies[]`).
public struct Proxy: Codable, Sendable, Equatable {
    /// Unique id. Required.
    public var id: String
    /// Raw protocol; see ``ProxyProtocol`` (empty means SOCKS5).
    public var protocolName: String
    /// TCP `host:port`. Required.
    public var listen: String
    /// Whether the listener runs.
    public var isEnabled: Bool
    /// TLS store certificate id; when set the listener is wrapped in TLS.
    public var tlsCertificateID: String
    /// Exit path for everything on this listener; beats the user's own exit.
    public var exitVia: String
    /// Alternative exit paths.
    public var exitPaths: [String]
    /// Raw exit mode; see ``ExitMode``.
    public var exitMode: String
    /// Raw authentication mode; see ``ProxyAuthMode`` (DECISIONS #12).
    public var auth: String

    /// A proxy listener; unspecified fields are zero.
    public init(
        id: String = "", protocolName: String = "", listen: String = "", isEnabled: Bool = false,
        tlsCertificateID: String = "", exitVia: String = "", exitPaths: [String] = [],
        exitMode: String = "", auth: String = ""
    ) {
        self.id = id
        self.protocolName = protocolName
        self.listen = listen
        self.isEnabled = isEnabled
        self.tlsCertificateID = tlsCertificateID
        self.exitVia = exitVia
        self.exitPaths = exitPaths
        self.exitMode = exitMode
        self.auth = auth
    }

    enum CodingKeys: String, CodingKey {
        case id
        case protocolName = "protocol"
        case listen
        case isEnabled = "enabled"
        case tlsCertificateID = "tls_cert"
        case exitVia = "exit_via"
        case exitPaths = "exit_paths"
        case exitMode = "exit_mode"
        case auth
    }

    /// Decodes a `proxies[]` entry; absent keys are zero.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.value(.id, or: "")
        protocolName = try c.value(.protocolName, or: "")
        listen = try c.value(.listen, or: "")
        isEnabled = try c.value(.isEnabled, or: false)
        tlsCertificateID = try c.value(.tlsCertificateID, or: "")
        exitVia = try c.value(.exitVia, or: "")
        exitPaths = try c.value(.exitPaths, or: [])
        exitMode = try c.value(.exitMode, or: "")
        auth = try c.value(.auth, or: "")
    }

    /// Encodes canonical keys, leaving out empty optional ones.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(protocolName, forKey: .protocolName)
        try c.encode(listen, forKey: .listen)
        try c.encode(isEnabled, forKey: .isEnabled)
        if !tlsCertificateID.isEmpty { try c.encode(tlsCertificateID, forKey: .tlsCertificateID) }
        if !exitVia.isEmpty { try c.encode(exitVia, forKey: .exitVia) }
        if !exitPaths.isEmpty { try c.encode(exitPaths, forKey: .exitPaths) }
        if !exitMode.isEmpty { try c.encode(exitMode, forKey: .exitMode) }
        if !auth.isEmpty { try c.encode(auth, forKey: .auth) }
    }

    /// The parsed protocol; unknown spellings behave as SOCKS5 (validation reports them).
    public var effectiveProtocol: ProxyProtocol { ProxyProtocol(spelling: protocolName) ?? .socks5 }
}
