/// What went wrong talking to a userspace WireGuard device.
public enum UAPIError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The answer does not follow the protocol.
    case malformed(line: Int, String)
    /// The device refused the request (`errno=N`, N > 0).
    case refused(errno: Int)
    /// The socket could not be reached, or the answer did not come in time.
    case unreachable(String)

    public var description: String {
        switch self {
        case .malformed(let line, let what): "the device's answer is malformed at line \(line): \(what)"
        case .refused(let errno): "the device refused the request (errno \(errno))"
        case .unreachable(let why): "the device's control socket: \(why)"
        }
    }
}
