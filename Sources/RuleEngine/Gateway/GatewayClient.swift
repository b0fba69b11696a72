import Addressing
public import LinuxNet
public import Routing

/// A client of a VPN gateway (a WireGuard peer): the tunnel addresses its traffic comes from,
/// who it is, and where its flows go when no rule takes them.
public struct GatewayClient: Hashable, Sendable {
    /// The peer's name, for logs.
    public var name: String
    public var inbound: InboundKind
    /// The source addresses that are this client (a WireGuard peer's allowed IPs).
    public var addresses: [AddressRange]
    public var exit: ExitRoute

    public init(name: String, inbound: InboundKind, addresses: [AddressRange], exit: ExitRoute) {
        self.name = name
        self.inbound = inbound
        self.addresses = addresses
        self.exit = exit
    }

    /// The identity its flows carry: anonymous, by inbound and address.
    func identity(at address: IPAddress) -> Identity {
        Identity(userID: nil, username: "", inbound: inbound, clientAddress: "\(address)")
    }
}

/// A VPN device whose decrypted traffic the capture table takes: every TCP and UDP flow its
/// clients send leaves through the one Router seam; traffic to the node's own tunnel addresses
/// (the DNS forwarder, the UI) is left alone, and anything else is dropped, never forwarded.
public struct GatewayCapture: Hashable, Sendable {
    public var device: String
    /// This node's addresses on the device.
    public var ownAddresses: [AddressRange]
    public var clients: [GatewayClient]

    public init(device: String, ownAddresses: [AddressRange], clients: [GatewayClient]) {
        self.device = device
        self.ownAddresses = ownAddresses
        self.clients = clients
    }
}
