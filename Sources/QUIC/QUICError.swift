/// Why a QUIC operation failed; two errors are equal when their codes are.
public struct QUICError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable kind of failure.
    public enum Code: String, Hashable, Sendable {
        /// The TLS or QUIC handshake did not complete (bad certificate, no common ALPN, timeout).
        case handshakeFailed
        /// The connection is closed, by either side or by the idle timeout.
        case connectionClosed
        /// The peer reset the stream, or it closed before all data arrived.
        case streamReset
        /// The stream is not usable for this operation (unknown, finished, or receive-only).
        case invalidStream
        /// The engine (ngtcp2, GnuTLS, the socket) reported an error.
        case engine
    }

    /// The kind of failure; what equality compares.
    public let code: Code
    /// Diagnostic text for logs; never parsed.
    public let detail: String

    /// Makes an error of kind `code` with diagnostic `detail`.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public static func == (lhs: QUICError, rhs: QUICError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
    public var description: String { "\(code.rawValue): \(detail)" }
}
