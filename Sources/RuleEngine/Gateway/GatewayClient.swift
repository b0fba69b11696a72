import Access
public import Addressing
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
    /// The user the client belongs to (`users[]` username); `nil` for an anonymous peer.
    public var username: String?
    /// Whether the addresses are a pool whose holders are known only while connected (IKEv2's
    /// virtual IPs): each flow's user is asked of the ``GatewayDirectory``, and a flow from an
    /// address nobody holds is refused.
    public var isPool: Bool
    /// Whether the user's own exit (`exit_via`/`exit_paths`), when the user has one, takes the
    /// flows instead of ``exit``: so for a pool's users, whose ``exit`` is the service's default.
    public var followsUserExit: Bool

    public init(name: String, inbound: InboundKind, addresses: [AddressRange], exit: ExitRoute, username: String? = nil,
                isPool: Bool = false, followsUserExit: Bool = false) {
        self.name = name
        self.inbound = inbound
        self.addresses = addresses
        self.exit = exit
        self.username = username
        self.isPool = isPool
        self.followsUserExit = followsUserExit
    }

    /// Who a flow from `address` is, and the account it counts against: anonymous by inbound
    /// and address, or the linked user's; `nil` when the linked user may not have flows now
    /// (gone, disabled, expired, not allowed this inbound, over quota).
    func admission(at address: IPAddress, gate: InboundGate) -> (Identity, Account?)? {
        guard let username else {
            return (Identity(userID: nil, username: "", inbound: inbound, clientAddress: "\(address)"), nil)
        }
        guard let account = gate.policy.account(username: username), case .success(let admitted) = gate.check(account, for: inbound)
        else { return nil }
        return (Identity(userID: admitted.id, username: admitted.username, inbound: inbound, clientAddress: "\(address)"), admitted)
    }
}

/// Who holds an address of a pool now: the user a VPN daemon authenticated for a virtual IP.
public protocol GatewayDirectory: Sendable {
    /// The username behind `address` of `inbound`'s pool; `nil` when no client holds it.
    func username(at address: IPAddress, of inbound: InboundKind) -> String?
}

/// A VPN device whose decrypted traffic the capture table takes: every TCP and UDP flow its
/// clients send leaves through the one Router seam; traffic to the node's own tunnel addresses
/// (the DNS forwarder, the UI) is left alone, and anything else is dropped, never forwarded.
public struct GatewayCapture: Hashable, Sendable {
    public var device: String
    /// This node's addresses on the device.
    public var ownAddresses: [AddressRange]
    public var clients: [GatewayClient]
    /// UDP ports that only packets out of an IPsec SA may reach (L2TP's: without IPsec its
    /// calls, passwords' challenges included, would cross the network in the clear).
    public var ipsecOnlyPorts: [UInt16]

    public init(device: String, ownAddresses: [AddressRange], clients: [GatewayClient], ipsecOnlyPorts: [UInt16] = []) {
        self.device = device
        self.ownAddresses = ownAddresses
        self.clients = clients
        self.ipsecOnlyPorts = ipsecOnlyPorts
    }
}
