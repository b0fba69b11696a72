/// An inbound protocol a user may be barred from (`users[].proxy_disabled` entries).
public enum ProtocolKey: String, ConfigEnum {
    case hy2
    case ss
    case socks5
    case http
    case l2tp
    case ikev2
}
