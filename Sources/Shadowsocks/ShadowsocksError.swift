
/// Why a Shadowsocks codec refused its input; the description is written for logs.
public enum ShadowsocksError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The method has no codec here (`none`).
    case unsupportedMethod(ShadowsocksCipher)
    /// A password or PSK cannot be used as a key.
    case badKey(reason: String)
    /// No key opened the header, or a chunk's tag did not match (wrong key or tampering).
    case authenticationFailed
    /// The salt (or SIP022 UDP packet id) was seen before: a replay.
    case replayed
    /// A SIP022 timestamp too far from our clock; `skew` is theirs minus ours, in seconds.
    case staleTimestamp(skew: Int64)
    /// A SIP022 header of the other direction, or unknown.
    case wrongHeaderType(UInt8)
    /// A length field above what the method allows.
    case oversizeLength(Int)
    /// The target address cannot be read.
    case badAddress(reason: String)
    /// A header that authenticates but breaks the format's rules.
    case badHeader(reason: String)
    /// A SIP022 response or UDP reply that belongs to another request or session.
    case wrongSession
    /// A packet too short to hold the fixed parts of its format.
    case truncated
    /// The AEAD refused to seal (should not happen with the key sizes used here).
    case sealFailed

    public var description: String {
        switch self {
        case .unsupportedMethod(let method): "method \(method.rawValue) is not supported"
        case .badKey(let reason): "unusable key: \(reason)"
        case .authenticationFailed: "authentication failed (wrong key or tampered data)"
        case .replayed: "replayed salt or packet"
        case .staleTimestamp(let skew): "timestamp is \(skew) s off our clock"
        case .wrongHeaderType(let type): "unexpected header type \(type)"
        case .oversizeLength(let length): "length \(length) exceeds the method's limit"
        case .badAddress(let reason): "bad target address: \(reason)"
        case .badHeader(let reason): "bad header: \(reason)"
        case .wrongSession: "reply does not belong to this request or session"
        case .truncated: "packet too short"
        case .sealFailed: "encryption failed"
        }
    }
}
