/// A Shadowsocks cipher, by its standard method name (SIP004, SIP022).
public enum ShadowsocksCipher: String, CaseIterable, Hashable, Sendable {
    case aes128GCM = "aes-128-gcm"
    case aes256GCM = "aes-256-gcm"
    case chacha20IETFPoly1305 = "chacha20-ietf-poly1305"
    case blake3AES128GCM = "2022-blake3-aes-128-gcm"
    case blake3AES256GCM = "2022-blake3-aes-256-gcm"
    /// No encryption (v1.3 accepts it; listeners refuse it).
    case none
}

/// Sizes and primitives per method (SIP004 table; SIP022 §2.1).
extension ShadowsocksCipher {
    /// Key and salt length in bytes (always equal); 0 for `none`.
    package var keyLength: Int {
        switch self {
        case .aes128GCM, .blake3AES128GCM: 16
        case .aes256GCM, .chacha20IETFPoly1305, .blake3AES256GCM: 32
        case .none: 0
        }
    }

    /// Whether this is a Shadowsocks 2022 method.
    package var is2022: Bool { self == .blake3AES128GCM || self == .blake3AES256GCM }

    /// The AEAD, or `nil` for `none`.
    package var aead: ShadowsocksAEAD? {
        switch self {
        case .aes128GCM, .aes256GCM, .blake3AES128GCM, .blake3AES256GCM: .aesGCM
        case .chacha20IETFPoly1305: .chaChaPoly
        case .none: nil
        }
    }

    /// The largest payload one chunk may carry.
    package var maximumPayload: Int { is2022 ? ShadowsocksWire.maximumPayload2022 : ShadowsocksWire.classicMaximumPayload }
}
