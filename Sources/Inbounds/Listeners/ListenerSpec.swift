public import Access
public import Shadowsocks
public import Routing

/// A listener the config asks for: a `proxies[]` entry or the `ss` section.
public struct ListenerSpec: Hashable, Sendable, CustomStringConvertible {
    /// `proxy/<id>` or `ss`.
    public var key: String
    public var inbound: InboundKind
    /// `host:port` as written.
    public var listen: String
    public var authMode: ListenerAuth
    public var exit: ExitRoute
    /// TLS-store id; empty for plain TCP.
    public var tlsCertificateID: String
    /// Shadowsocks only.
    public var method: ShadowsocksCipher?

    public init(key: String, inbound: InboundKind, listen: String, authMode: ListenerAuth = .users,
                exit: ExitRoute = .direct, tlsCertificateID: String = "", method: ShadowsocksCipher? = nil) {
        self.key = key
        self.inbound = inbound
        self.listen = listen
        self.authMode = authMode
        self.exit = exit
        self.tlsCertificateID = tlsCertificateID
        self.method = method
    }

    /// Whether a change from `old` needs a new socket (else the settings swap in place).
    func needsRebind(from old: ListenerSpec) -> Bool { listen != old.listen || inbound != old.inbound }

    public var description: String {
        var text = "\(inbound.rawValue) listener \(key) on \(listen)"
        if let method { text += " (\(method.rawValue))" }
        if !tlsCertificateID.isEmpty { text += " tls \(tlsCertificateID)" }
        if authMode == .none { text += " auth none" }
        if !exit.isDirect { text += " exit \(exit)" }
        return text
    }
}
