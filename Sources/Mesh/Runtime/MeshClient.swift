/// A peer this node dials, as the mesh needs it: where, with which credentials and TLS trust,
/// and the rate hints it announces. The key is the primary ``address``.
public struct MeshClient: Sendable, Hashable, CustomStringConvertible {
    /// The peer's name; an exit-path segment.
    public var name: String
    /// The primary address `host:portspec`.
    public var address: String
    /// Every address, first the primary; empty when only ``address`` is dialled.
    public var addresses: [String]
    /// The remote's system password (or a user password of a plain Hysteria 2 server). Secret.
    public var password: String
    /// TLS SNI; empty means `hy2scale`.
    public var serverName: String
    /// Skip TLS verification.
    public var isInsecure: Bool
    /// PEM text of a trust anchor; empty for the system roots.
    public var certificateAuthority: String
    /// Upload bandwidth hint in bytes per second; 0 for the default.
    public var maxTransmitRate: Int
    /// Download bandwidth hint in bytes per second; 0 for the default.
    public var maxReceiveRate: Int
    /// A disabled peer is neither dialled nor accepted inbound.
    public var isDisabled: Bool

    public init(name: String, address: String, addresses: [String] = [], password: String = "", serverName: String = "",
                isInsecure: Bool = false, certificateAuthority: String = "", maxTransmitRate: Int = 0,
                maxReceiveRate: Int = 0, isDisabled: Bool = false) {
        self.name = name
        self.address = address
        self.addresses = addresses
        self.password = password
        self.serverName = serverName
        self.isInsecure = isInsecure
        self.certificateAuthority = certificateAuthority
        self.maxTransmitRate = maxTransmitRate
        self.maxReceiveRate = maxReceiveRate
        self.isDisabled = isDisabled
    }

    /// A summary without the password.
    public var description: String { "MeshClient(name: \"\(name)\", addr: \"\(address)\", password: <redacted>)" }
}

/// The local flags of a peer name or qualified path `a/b/c` (`peers`).
public struct PathFlags: Sendable, Hashable {
    /// Nested discovery and transit authorisation through this peer or path.
    public var isNested: Bool
    /// The peer or path may not be used as an exit hop.
    public var isDisabled: Bool

    public init(isNested: Bool = false, isDisabled: Bool = false) {
        self.isNested = isNested
        self.isDisabled = isDisabled
    }
}
