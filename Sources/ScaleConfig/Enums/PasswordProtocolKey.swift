/// A password-only protocol that may have its own user password (`users[].proxy_passwords` keys).
public enum PasswordProtocolKey: String, ConfigEnum {
    /// Hysteria 2.
    case hy2
    /// Shadowsocks.
    case ss
    /// IKEv2 (the user's EAP-MSCHAPv2 password).
    case ikev2
}
