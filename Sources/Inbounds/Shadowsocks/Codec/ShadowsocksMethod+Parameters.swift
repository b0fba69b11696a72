import ScaleConfig

/// Sizes and primitives per method (SIP004 table; SIP022 §2.1).
extension ShadowsocksMethod {
    /// Key and salt length in bytes (always equal); 0 for `none`.
    var keyLength: Int {
        switch self {
        case .aes128GCM, .blake3AES128GCM: 16
        case .aes256GCM, .chacha20IETFPoly1305, .blake3AES256GCM: 32
        case .none: 0
        }
    }

    /// Whether this is a Shadowsocks 2022 method.
    var is2022: Bool { self == .blake3AES128GCM || self == .blake3AES256GCM }

    /// The AEAD, or `nil` for `none`.
    var aead: ShadowsocksAEAD? {
        switch self {
        case .aes128GCM, .aes256GCM, .blake3AES128GCM, .blake3AES256GCM: .aesGCM
        case .chacha20IETFPoly1305: .chaChaPoly
        case .none: nil
        }
    }

    /// The largest payload one chunk may carry.
    var maximumPayload: Int { is2022 ? ShadowsocksWire.maximumPayload2022 : ShadowsocksWire.classicMaximumPayload }
}
