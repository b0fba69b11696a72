/// The cipher of the Shadowsocks server (`ss.method`).
public enum ShadowsocksMethod: String, ConfigEnum {
    case aes128GCM = "aes-128-gcm"
    case aes256GCM = "aes-256-gcm"
    case chacha20IETFPoly1305 = "chacha20-ietf-poly1305"
    case blake3AES128GCM = "2022-blake3-aes-128-gcm"
    case blake3AES256GCM = "2022-blake3-aes-256-gcm"
    /// No encryption; accepted for v1.3 compatibility.
    case none

    /// An empty value means `aes-256-gcm`, the v1.3 default.
    public static var aliases: [String: ShadowsocksMethod] { ["": .aes256GCM] }
}
