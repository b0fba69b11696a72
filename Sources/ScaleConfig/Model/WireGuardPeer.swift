/// A WireGuard client of this node (`wireguard.peers[]`).
public struct WireGuardPeer: Codable, Sendable, Equatable {
    /// Identifier used in URLs. Required; unique.
    public var name: String
    /// Base64 of the 32-byte public key. Required; unique.
    public var publicKey: String
    /// Base64 private key, kept to render the client `.conf`. Secret.
    public var privateKey: String
    /// Comma-separated CIDRs; the client's tunnel addresses. Required.
    public var allowedIPs: String
    /// Persistent keepalive in seconds; 0 is off.
    public var keepalive: Int
    /// Exit path for this peer's traffic.
    public var exitVia: String
    /// Alternative exit paths.
    public var exitPaths: [String]
    /// Raw exit mode; see ``ExitMode``.
    public var exitMode: String
    /// The `users[]` username this peer belongs to; empty for none. A linked peer's traffic
    /// counts against the user, and the user's state (disabled, expired, over quota, kicked)
    /// takes the peer off the device.
    public var user: String

    /// A peer; unspecified fields are zero.
    public init(
        name: String = "", publicKey: String = "", privateKey: String = "", allowedIPs: String = "",
        keepalive: Int = 0, exitVia: String = "", exitPaths: [String] = [], exitMode: String = "", user: String = ""
    ) {
        self.name = name
        self.publicKey = publicKey
        self.privateKey = privateKey
        self.allowedIPs = allowedIPs
        self.keepalive = keepalive
        self.exitVia = exitVia
        self.exitPaths = exitPaths
        self.exitMode = exitMode
        self.user = user
    }

    enum CodingKeys: String, CodingKey {
        case name
        case publicKey = "public_key"
        case privateKey = "private_key"
        case allowedIPs = "allowed_ips"
        case keepalive
        case exitVia = "exit_via"
        case exitPaths = "exit_paths"
        case exitMode = "exit_mode"
        case user
    }

    /// Decodes a `wireguard.peers[]` entry; absent keys are zero.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.value(.name, or: "")
        publicKey = try c.value(.publicKey, or: "")
        privateKey = try c.value(.privateKey, or: "")
        allowedIPs = try c.value(.allowedIPs, or: "")
        keepalive = try c.value(.keepalive, or: 0)
        exitVia = try c.value(.exitVia, or: "")
        exitPaths = try c.value(.exitPaths, or: [])
        exitMode = try c.value(.exitMode, or: "")
        user = try c.value(.user, or: "")
    }

    /// Encodes canonical keys, leaving out empty optional ones.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(publicKey, forKey: .publicKey)
        try c.encode(privateKey, forKey: .privateKey)
        try c.encode(allowedIPs, forKey: .allowedIPs)
        try c.encode(keepalive, forKey: .keepalive)
        try c.encode(exitVia, forKey: .exitVia)
        if !exitPaths.isEmpty { try c.encode(exitPaths, forKey: .exitPaths) }
        if !exitMode.isEmpty { try c.encode(exitMode, forKey: .exitMode) }
        if !user.isEmpty { try c.encode(user, forKey: .user) }
    }

    /// The `allowed_ips` entries, split at commas and trimmed; empty entries dropped.
    public var allowedIPEntries: [String] { CommaList.split(allowedIPs) }
}

extension WireGuardPeer: CustomStringConvertible {
    /// A summary without the private key.
    public var description: String {
        "WireGuardPeer(name: \"\(name)\", public_key: \"\(publicKey)\", private_key: <redacted>, allowed_ips: \"\(allowedIPs)\")"
    }
}
