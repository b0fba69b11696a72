public import NIOCore
public import Addressing

/// Conversions between targets and socket addresses, in one place for the routers and inbounds.
extension Target {
    /// The IP address and port of `address`; `nil` for a Unix socket.
    public init?(_ address: SocketAddress) {
        guard let text = address.ipAddress, let ip = IPAddress(text),
              let port = address.port.flatMap(UInt16.init(exactly:)) else { return nil }
        self.init(host: .ip(ip), port: port)
    }

    /// The socket address of an IP target, built from the address bytes (no text round trip);
    /// `nil` for a name, which must be resolved first.
    public var socketAddress: SocketAddress? {
        guard case .ip(let ip) = host else { return nil }
        return try? SocketAddress(packedIPAddress: ByteBuffer(bytes: ip.bytes), port: Int(port))
    }
}
