/// The IKEv2 server (`ikev2`).
public struct IKEv2Config: Codable, Sendable, Equatable {
    /// Default local transparent-proxy port.
    public static let defaultProxyPort = 12350
    /// Default tunnel MTU.
    public static let defaultMTU = 1400

    /// Whether the server runs.
    public var isEnabled: Bool
    /// Raw mode; see ``IKEv2Mode`` (empty means `mschapv2`).
    public var mode: String
    /// Client address pool `ip/prefix`.
    public var pool: String
    /// TLS store id of the CA certificate (mschapv2 mode).
    public var certificateID: String
    /// Pre-shared key (psk mode). Secret.
    public var preSharedKey: String
    /// Server identity; empty means the node id.
    public var localID: String
    /// Client identity; empty means any.
    public var remoteID: String
    /// PSK mode: route per user when true, else every client uses ``defaultExit``.
    public var isPSKUserMode: Bool
    /// Exit path used in PSK mode without users.
    public var defaultExit: String
    /// Raw exit mode for ``defaultExit``; see ``ExitMode``.
    public var defaultExitMode: String
    /// DNS servers pushed to clients, comma separated; empty means the global `dns`.
    public var dns: String
    /// Local transparent-proxy port; 0 means 12350.
    public var proxyPort: Int
    /// Tunnel MTU; 0 means 1400.
    public var mtu: Int

    /// An IKEv2 section; unspecified fields are zero.
    public init(
        isEnabled: Bool = false, mode: String = "", pool: String = "", certificateID: String = "",
        preSharedKey: String = "", localID: String = "", remoteID: String = "", isPSKUserMode: Bool = false,
        defaultExit: String = "", defaultExitMode: String = "", dns: String = "", proxyPort: Int = 0, mtu: Int = 0
    ) {
        self.isEnabled = isEnabled
        self.mode = mode
        self.pool = pool
        self.certificateID = certificateID
        self.preSharedKey = preSharedKey
        self.localID = localID
        self.remoteID = remoteID
        self.isPSKUserMode = isPSKUserMode
        self.defaultExit = defaultExit
        self.defaultExitMode = defaultExitMode
        self.dns = dns
        self.proxyPort = proxyPort
        self.mtu = mtu
    }

    enum CodingKeys: String, CodingKey {
        case isEnabled = "enabled"
        case mode, pool
        case certificateID = "cert_id"
        case preSharedKey = "psk"
        case localID = "local_id"
        case remoteID = "remote_id"
        case isPSKUserMode = "psk_user_mode"
        case defaultExit = "default_exit"
        case defaultExitMode = "default_exit_mode"
        case dns
        case proxyPort = "proxy_port"
        case mtu
    }

    /// Decodes an `ikev2` section; absent keys are zero.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        isEnabled = try c.value(.isEnabled, or: false)
        mode = try c.value(.mode, or: "")
        pool = try c.value(.pool, or: "")
        certificateID = try c.value(.certificateID, or: "")
        preSharedKey = try c.value(.preSharedKey, or: "")
        localID = try c.value(.localID, or: "")
        remoteID = try c.value(.remoteID, or: "")
        isPSKUserMode = try c.value(.isPSKUserMode, or: false)
        defaultExit = try c.value(.defaultExit, or: "")
        defaultExitMode = try c.value(.defaultExitMode, or: "")
        dns = try c.value(.dns, or: "")
        proxyPort = try c.value(.proxyPort, or: 0)
        mtu = try c.value(.mtu, or: 0)
    }

    /// ``proxyPort``, or 12350 when not positive.
    public var effectiveProxyPort: Int { proxyPort > 0 ? proxyPort : Self.defaultProxyPort }

    /// ``mtu``, or 1400 when not positive.
    public var effectiveMTU: Int { mtu > 0 ? mtu : Self.defaultMTU }
}

extension IKEv2Config: CustomStringConvertible {
    /// A summary without the PSK.
    public var description: String {
        "IKEv2Config(enabled: \(isEnabled), mode: \"\(mode)\", pool: \"\(pool)\", psk: <redacted>)"
    }
}
