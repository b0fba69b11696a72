/// Why a Hysteria 2 client operation failed.
public enum HysteriaClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The server answered the login with this HTTP status instead of 233 (404: wrong
    /// credential, or not a Hysteria server).
    case authenticationFailed(status: Int)
    /// The login stream ended without a complete answer.
    case noAuthenticationResponse
    /// The server could not reach the target; its message.
    case connectFailed(String)
    /// The proxy stream ended before the server's answer.
    case noConnectResponse
    /// The server did not answer the proxy request within the time given.
    case noAnswerInTime
    /// The server does not relay UDP for this connection.
    case udpDisabled

    public var description: String {
        switch self {
        case .authenticationFailed(let status): "authentication failed: the server answered HTTP status \(status)"
        case .noAuthenticationResponse: "the server closed the login stream without an answer"
        case .connectFailed(let message): "the server could not connect: \(message.isEmpty ? "no reason given" : message)"
        case .noConnectResponse: "the server closed the proxy stream without an answer"
        case .noAnswerInTime: "the server did not answer the proxy request in time"
        case .udpDisabled: "the server does not relay UDP"
        }
    }
}
