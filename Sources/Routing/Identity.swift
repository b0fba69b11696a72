/// Who a flow belongs to, as the inbound established it.
public struct Identity: Hashable, Sendable, CustomStringConvertible {
    /// The user's `id`; `nil` for anonymous use (an `auth: none` listener) and for peers.
    public var userID: String?
    /// The user's name; empty when anonymous.
    public var username: String
    public var inbound: InboundKind
    /// The client's IP address as text (no port): the device part of a session key.
    public var clientAddress: String

    public init(userID: String?, username: String, inbound: InboundKind, clientAddress: String) {
        self.userID = userID
        self.username = username
        self.inbound = inbound
        self.clientAddress = clientAddress
    }

    /// The device session this flow counts towards: `username|address|protocol` (reference §0.4).
    public var sessionKey: String { "\(username)|\(clientAddress)|\(inbound.rawValue)" }

    public var description: String {
        "\(inbound.rawValue) \(username.isEmpty ? "(anonymous)" : username)@\(clientAddress)"
    }
}
