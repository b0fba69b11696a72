/// The userspace WireGuard server (`wireguard`).
public struct WireGuardConfig: Codable, Sendable, Equatable {
    /// Default UDP port.
    public static let defaultListenPort = 51820
    /// Default tunnel MTU.
    public static let defaultMTU = 1420

    /// Whether the server runs.
    public var isEnabled: Bool
    /// UDP port; 0 means 51820.
    public var listenPort: Int
    /// Base64 of the 32-byte server private key. Secret.
    public var privateKey: String
    /// Server tunnel address `ip/prefix`.
    public var address: String
    /// Stored only; client configs use the global `dns`.
    public var dns: String
    /// Tunnel MTU; 0 means 1420.
    public var mtu: Int
    /// The clients.
    public var peers: [WireGuardPeer]

    /// A WireGuard section; unspecified fields are zero.
    public init(
        isEnabled: Bool = false, listenPort: Int = 0, privateKey: String = "", address: String = "",
        dns: String = "", mtu: Int = 0, peers: [WireGuardPeer] = []
    ) {
        self.isEnabled = isEnabled
        self.listenPort = listenPort
        self.privateKey = privateKey
        self.address = address
        self.dns = dns
        self.mtu = mtu
        self.peers = peers
    }

    enum CodingKeys: String, CodingKey {
        case isEnabled = "enabled"
        case listenPort = "listen_port"
        case privateKey = "private_key"
        case address, dns, mtu, peers
    }

    /// Decodes a `wireguard` section; absent keys are zero and `peers: null` is empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        isEnabled = try c.value(.isEnabled, or: false)
        listenPort = try c.value(.listenPort, or: 0)
        privateKey = try c.value(.privateKey, or: "")
        address = try c.value(.address, or: "")
        dns = try c.value(.dns, or: "")
        mtu = try c.value(.mtu, or: 0)
        peers = try c.value(.peers, or: [])
    }

    /// Encodes canonical keys; `dns` only when set.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(isEnabled, forKey: .isEnabled)
        try c.encode(listenPort, forKey: .listenPort)
        try c.encode(privateKey, forKey: .privateKey)
        try c.encode(address, forKey: .address)
        if !dns.isEmpty { try c.encode(dns, forKey: .dns) }
        try c.encode(mtu, forKey: .mtu)
        try c.encode(peers, forKey: .peers)
    }

    /// ``listenPort``, or 51820 when 0.
    public var effectiveListenPort: Int { listenPort == 0 ? Self.defaultListenPort : listenPort }

    /// ``mtu``, or 1420 when not positive.
    public var effectiveMTU: Int { mtu > 0 ? mtu : Self.defaultMTU }
}

extension WireGuardConfig: CustomStringConvertible {
    /// A summary without the private key.
    public var description: String {
        "WireGuardConfig(enabled: \(isEnabled), listen_port: \(listenPort), private_key: <redacted>, address: \"\(address)\", peers: \(peers.count))"
    }
}
