/// The service a flow entered through; the `protocol` of a device session.
public enum InboundKind: String, Hashable, Sendable, CaseIterable {
    case hy2, ss, socks5, http, l2tp, ikev2, wireguard
    /// Host or LAN traffic captured by a routing rule (`rules[]`).
    case rule
}
