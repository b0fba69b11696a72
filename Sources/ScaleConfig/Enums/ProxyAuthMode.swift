/// Whether a SOCKS5 or HTTP listener asks for user credentials (`proxies[].auth`).
///
/// DECISIONS #12: a listener with no users refuses clients unless it says `auth: none`.
public enum ProxyAuthMode: String, ConfigEnum {
    /// Clients must log in as a user from `users` (the default when the key is absent or empty).
    case users
    /// Clients connect without credentials; an explicit open proxy.
    case none

    /// An empty value means ``users``.
    public static var aliases: [String: ProxyAuthMode] { ["": .users] }
}
