/// An upstream DNS server from the global `dns` key: an IP address with an optional port.
public struct DNSServer: Hashable, Sendable, CustomStringConvertible {
    /// The server address.
    public let address: IPAddress
    /// The port; 53 when not written.
    public let port: Int

    /// A server.
    public init(address: IPAddress, port: Int = 53) {
        self.address = address
        self.port = port
    }

    /// Parses `1.1.1.1`, `1.1.1.1:53`, `2606:4700::1111` or `[2606:4700::1111]:53`; `nil` otherwise.
    public init?(_ text: String) {
        if let address = IPAddress(text) {
            self.init(address: address)
            return
        }
        guard case .success(let listen) = ListenAddress.parse(text, requiresHost: true),
              let address = IPAddress(listen.host)
        else { return nil }
        self.init(address: address, port: listen.port)
    }

    /// `address:port`, IPv6 bracketed.
    public var description: String {
        address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }
}
