/// The Shadowsocks server (`ss`).
public struct ShadowsocksConfig: Codable, Sendable, Equatable {
    /// TCP and UDP `host:port`; empty means not started.
    public var listen: String
    /// Whether the server runs.
    public var isEnabled: Bool
    /// Raw cipher; see ``ShadowsocksMethod`` (empty means `aes-256-gcm`).
    public var method: String

    /// A Shadowsocks section; unspecified fields are zero.
    public init(listen: String = "", isEnabled: Bool = false, method: String = "") {
        self.listen = listen
        self.isEnabled = isEnabled
        self.method = method
    }

    enum CodingKeys: String, CodingKey {
        case listen
        case isEnabled = "enabled"
        case method
    }

    /// Decodes an `ss` section; absent keys are zero.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        listen = try c.value(.listen, or: "")
        isEnabled = try c.value(.isEnabled, or: false)
        method = try c.value(.method, or: "")
    }

    /// The parsed cipher, `aes-256-gcm` when empty; `nil` for an unknown spelling.
    public var effectiveMethod: ShadowsocksMethod? { ShadowsocksMethod(spelling: method) }
}
