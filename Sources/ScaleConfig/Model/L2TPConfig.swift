import Addressing

/// The L2TP/IPsec server (`l2tp`).
public struct L2TPConfig: Codable, Sendable, Equatable {
    /// Default UDP port when ``listen`` is empty.
    public static let defaultPort = 1701
    /// Default local transparent-proxy port.
    public static let defaultProxyPort = 12345
    /// Default PPP MTU.
    public static let defaultMTU = 1280

    /// UDP port number as a string (not `host:port`); empty means 1701.
    public var listen: String
    /// Whether the server runs.
    public var isEnabled: Bool
    /// Gateway `ip/prefix`; clients get the other host addresses.
    public var pool: String
    /// IPsec pre-shared key. Secret.
    public var preSharedKey: String
    /// Local transparent-proxy port; 0 means 12345.
    public var proxyPort: Int
    /// PPP MTU; 0 means 1280.
    public var mtu: Int

    /// An L2TP section; unspecified fields are zero.
    public init(listen: String = "", isEnabled: Bool = false, pool: String = "", preSharedKey: String = "", proxyPort: Int = 0, mtu: Int = 0) {
        self.listen = listen
        self.isEnabled = isEnabled
        self.pool = pool
        self.preSharedKey = preSharedKey
        self.proxyPort = proxyPort
        self.mtu = mtu
    }

    enum CodingKeys: String, CodingKey {
        case listen
        case isEnabled = "enabled"
        case pool
        case preSharedKey = "psk"
        case proxyPort = "proxy_port"
        case mtu
    }

    /// Decodes an `l2tp` section; absent keys are zero.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        listen = try c.value(.listen, or: "")
        isEnabled = try c.value(.isEnabled, or: false)
        pool = try c.value(.pool, or: "")
        preSharedKey = try c.value(.preSharedKey, or: "")
        proxyPort = try c.value(.proxyPort, or: 0)
        mtu = try c.value(.mtu, or: 0)
    }

    /// The UDP port to bind: ``listen`` parsed, 1701 when empty; `nil` when not a port.
    public var effectivePort: Int? {
        listen.isEmpty ? Self.defaultPort : PortNumber.parse(listen)
    }

    /// ``proxyPort``, or 12345 when not positive.
    public var effectiveProxyPort: Int { proxyPort > 0 ? proxyPort : Self.defaultProxyPort }

    /// ``mtu``, or 1280 when not positive.
    public var effectiveMTU: Int { mtu > 0 ? mtu : Self.defaultMTU }
}

extension L2TPConfig: CustomStringConvertible {
    /// A summary without the PSK.
    public var description: String {
        "L2TPConfig(listen: \"\(listen)\", enabled: \(isEnabled), pool: \"\(pool)\", psk: <redacted>)"
    }
}
