public import Addressing

/// A WireGuard device as its engine reports it: the kernel over generic netlink, or
/// wireguard-go over its control socket.
public struct WireGuardReport: Hashable, Sendable {
    public var privateKey: WireGuardKey?
    public var listenPort: UInt16 = 0
    public var peers: [Peer] = []

    /// One peer and its live figures.
    public struct Peer: Hashable, Sendable {
        public var publicKey: WireGuardKey
        /// `host:port` the last authenticated packet came from; `nil` before any.
        public var endpoint: String?
        public var allowedIPs: [IPNetwork] = []
        public var keepalive = 0
        /// Seconds since the Unix epoch of the last handshake; 0 for none.
        public var lastHandshake: Int64 = 0
        public var receivedBytes: UInt64 = 0
        public var sentBytes: UInt64 = 0
    }
}
