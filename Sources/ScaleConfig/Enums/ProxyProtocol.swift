/// The protocol a `proxies[]` listener speaks (`proxies[].protocol`).
public enum ProxyProtocol: String, ConfigEnum {
    /// SOCKS5 (RFC 1928), the default when the key is empty.
    case socks5
    /// HTTP proxy: CONNECT and plain forwarding.
    case http

    /// An empty value means SOCKS5, as in v1.3.
    public static var aliases: [String: ProxyProtocol] { ["": .socks5] }
}
