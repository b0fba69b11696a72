/// A peer this node dials (`clients[]`).
public struct OutboundPeer: Codable, Sendable, Hashable {
    /// Peer name; an exit-path segment. Required.
    public var name: String
    /// Primary address `host:portspec`; the stable key of the entry. Required.
    public var address: String
    /// All addresses, first = primary; empty when only ``address`` is used.
    public var addresses: [String]
    /// The remote's system password (or a user password for a plain hy2 server). Secret.
    public var password: String
    /// TLS SNI; empty means `hy2scale`.
    public var serverName: String
    /// Skip TLS verification.
    public var isInsecure: Bool
    /// PEM text of a trust anchor; empty for the system roots.
    public var certificateAuthority: String
    /// Upload bandwidth hint in bytes per second; 0 means 125000000.
    public var maxTransmitRate: Int
    /// Download bandwidth hint in bytes per second; 0 means 125000000.
    public var maxReceiveRate: Int
    /// QUIC initial stream receive window; 0 means 8 MiB.
    public var initialStreamWindow: Int
    /// QUIC maximum stream receive window; 0 means 8 MiB.
    public var maxStreamWindow: Int
    /// QUIC initial connection window; 0 means 16 MiB.
    public var initialConnectionWindow: Int
    /// QUIC maximum connection window; 0 means 16 MiB.
    public var maxConnectionWindow: Int
    /// Hysteria 2 fast open.
    public var isFastOpen: Bool
    /// Raw `bbr_profile`; see ``BBRProfile``.
    public var bbrProfile: String
    /// A disabled peer is neither dialled nor accepted inbound.
    public var isDisabled: Bool

    /// An outbound peer; unspecified fields are zero.
    public init(
        name: String = "", address: String = "", addresses: [String] = [], password: String = "",
        serverName: String = "", isInsecure: Bool = false, certificateAuthority: String = "",
        maxTransmitRate: Int = 0, maxReceiveRate: Int = 0, initialStreamWindow: Int = 0,
        maxStreamWindow: Int = 0, initialConnectionWindow: Int = 0, maxConnectionWindow: Int = 0,
        isFastOpen: Bool = false, bbrProfile: String = "", isDisabled: Bool = false
    ) {
        self.name = name
        self.address = address
        self.addresses = addresses
        self.password = password
        self.serverName = serverName
        self.isInsecure = isInsecure
        self.certificateAuthority = certificateAuthority
        self.maxTransmitRate = maxTransmitRate
        self.maxReceiveRate = maxReceiveRate
        self.initialStreamWindow = initialStreamWindow
        self.maxStreamWindow = maxStreamWindow
        self.initialConnectionWindow = initialConnectionWindow
        self.maxConnectionWindow = maxConnectionWindow
        self.isFastOpen = isFastOpen
        self.bbrProfile = bbrProfile
        self.isDisabled = isDisabled
    }

    enum CodingKeys: String, CodingKey {
        case name
        case address = "addr"
        case addresses = "addrs"
        case password
        case serverName = "sni"
        case isInsecure = "insecure"
        case certificateAuthority = "ca"
        case maxTransmitRate = "max_tx"
        case maxReceiveRate = "max_rx"
        case initialStreamWindow = "init_stream_window"
        case maxStreamWindow = "max_stream_window"
        case initialConnectionWindow = "init_conn_window"
        case maxConnectionWindow = "max_conn_window"
        case isFastOpen = "fast_open"
        case bbrProfile = "bbr_profile"
        case isDisabled = "disabled"
    }

    /// Decodes a `clients[]` entry; absent keys are zero.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.value(.name, or: "")
        address = try c.value(.address, or: "")
        addresses = try c.value(.addresses, or: [])
        password = try c.value(.password, or: "")
        serverName = try c.value(.serverName, or: "")
        isInsecure = try c.value(.isInsecure, or: false)
        certificateAuthority = try c.value(.certificateAuthority, or: "")
        maxTransmitRate = try c.value(.maxTransmitRate, or: 0)
        maxReceiveRate = try c.value(.maxReceiveRate, or: 0)
        initialStreamWindow = try c.value(.initialStreamWindow, or: 0)
        maxStreamWindow = try c.value(.maxStreamWindow, or: 0)
        initialConnectionWindow = try c.value(.initialConnectionWindow, or: 0)
        maxConnectionWindow = try c.value(.maxConnectionWindow, or: 0)
        isFastOpen = try c.value(.isFastOpen, or: false)
        bbrProfile = try c.value(.bbrProfile, or: "")
        isDisabled = try c.value(.isDisabled, or: false)
    }

    /// Encodes canonical keys; `addrs` only when non-empty.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(address, forKey: .address)
        if !addresses.isEmpty { try c.encode(addresses, forKey: .addresses) }
        try c.encode(password, forKey: .password)
        try c.encode(serverName, forKey: .serverName)
        try c.encode(isInsecure, forKey: .isInsecure)
        try c.encode(certificateAuthority, forKey: .certificateAuthority)
        try c.encode(maxTransmitRate, forKey: .maxTransmitRate)
        try c.encode(maxReceiveRate, forKey: .maxReceiveRate)
        try c.encode(initialStreamWindow, forKey: .initialStreamWindow)
        try c.encode(maxStreamWindow, forKey: .maxStreamWindow)
        try c.encode(initialConnectionWindow, forKey: .initialConnectionWindow)
        try c.encode(maxConnectionWindow, forKey: .maxConnectionWindow)
        try c.encode(isFastOpen, forKey: .isFastOpen)
        try c.encode(bbrProfile, forKey: .bbrProfile)
        try c.encode(isDisabled, forKey: .isDisabled)
    }

    /// Every address to dial: ``addresses`` when set, else ``address`` alone.
    public var allAddresses: [String] {
        addresses.isEmpty ? (address.isEmpty ? [] : [address]) : addresses
    }

    /// The SNI to send: ``serverName`` or `hy2scale` when empty.
    public var effectiveServerName: String { serverName.isEmpty ? "hy2scale" : serverName }
}

extension OutboundPeer: CustomStringConvertible {
    /// A summary without the password.
    public var description: String {
        "OutboundPeer(name: \"\(name)\", addr: \"\(address)\", password: <redacted>)"
    }
}
