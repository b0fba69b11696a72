/// Whether a SOCKS5 or HTTP listener asks clients to log in as a user (DECISIONS #12).
public enum ListenerAuth: Hashable, Sendable {
    /// Clients log in as a user (the default).
    case users
    /// Clients connect without credentials; an explicit open proxy.
    case none
}
