/// An inbound protocol a user may be barred from (`users[].proxy_disabled` entries).
public enum ProtocolKey: String, ConfigEnum {
    /// Hysteria 2.
    case hy2
    /// Shadowsocks.
    case ss
    /// SOCKS5 listeners.
    case socks5
    /// HTTP proxy listeners.
    case http
    /// L2TP/IPsec.
    case l2tp
    /// IKEv2.
    case ikev2
}
