/// The cipher of the Shadowsocks server (`ss.method`).
public enum ShadowsocksMethod: String, ConfigEnum {
    /// AES-128-GCM AEAD.
    case aes128GCM = "aes-128-gcm"
    /// AES-256-GCM AEAD (the default).
    case aes256GCM = "aes-256-gcm"
    /// ChaCha20-Poly1305 (IETF) AEAD.
    case chacha20IETFPoly1305 = "chacha20-ietf-poly1305"
    /// Shadowsocks 2022 with AES-128-GCM.
    case blake3AES128GCM = "2022-blake3-aes-128-gcm"
    /// Shadowsocks 2022 with AES-256-GCM.
    case blake3AES256GCM = "2022-blake3-aes-256-gcm"
    /// No encryption; accepted for v1.3 compatibility.
    case none

    /// An empty value means `aes-256-gcm`, the v1.3 default.
    public static var aliases: [String: ShadowsocksMethod] { ["": .aes256GCM] }
}
