public import Reconciler
public import Routing
public import ScaleConfig

/// A listener the config asks for: a `proxies[]` entry or the `ss` section.
public struct ListenerSpec: Resource {
    /// `proxy/<id>` or `ss`.
    public var key: String
    public var inbound: InboundKind
    /// `host:port` as written.
    public var listen: String
    public var authMode: ProxyAuthMode
    public var exit: ExitRoute
    /// TLS-store id; empty for plain TCP.
    public var tlsCertificateID: String
    /// Shadowsocks only.
    public var method: ShadowsocksMethod?

    public init(key: String, inbound: InboundKind, listen: String, authMode: ProxyAuthMode = .users,
                exit: ExitRoute = .direct, tlsCertificateID: String = "", method: ShadowsocksMethod? = nil) {
        self.key = key
        self.inbound = inbound
        self.listen = listen
        self.authMode = authMode
        self.exit = exit
        self.tlsCertificateID = tlsCertificateID
        self.method = method
    }

    /// The enabled listeners of `config`.
    public static func all(in config: Config) -> [ListenerSpec] {
        var specs = config.proxies.filter(\.isEnabled).map { proxy in
            ListenerSpec(key: "proxy/\(proxy.id)",
                         inbound: proxy.effectiveProtocol == .http ? .http : .socks5,
                         listen: proxy.listen,
                         authMode: ProxyAuthMode(spelling: proxy.auth) ?? .users,
                         exit: ExitRoute(via: proxy.exitVia, paths: proxy.exitPaths, mode: proxy.exitMode),
                         tlsCertificateID: proxy.tlsCertificateID)
        }
        if let ss = config.shadowsocks, ss.isEnabled, !ss.listen.isEmpty {
            specs.append(ListenerSpec(key: "ss", inbound: .ss, listen: ss.listen,
                                      method: ShadowsocksMethod(spelling: ss.method) ?? .aes256GCM))
        }
        return specs
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
