/// HTTP/3 application error codes a Hysteria 2 server closes connections and streams with
/// (RFC 9114 §8.1; spec §1.2).
package enum HysteriaErrorCode {
    /// Normal close.
    package static let noError: UInt64 = 0x100
    /// The peer broke the protocol (a proxy request before login, a malformed request).
    package static let generalProtocolError: UInt64 = 0x101
    /// A frame arrived where it may not.
    package static let frameUnexpected: UInt64 = 0x105
    /// The user was kicked or ran out of quota; the official server's traffic-limit code.
    package static let excessiveLoad: UInt64 = 0x107
    /// The request did not arrive whole in time.
    package static let requestIncomplete: UInt64 = 0x10d
}
