/// The legacy `tun_mode` section of hy2scale v1.3.
///
/// Kept as read; the migration (`enabled: true` turns on `use_tun` for every `ip` rule)
/// happens where the config is applied.
public struct TunModeConfig: Codable, Sendable, Equatable {
    /// Whether TUN mode was on.
    public var isEnabled: Bool
    /// Raw mode; see ``TunMode``.
    public var mode: String

    /// A TUN mode section.
    public init(isEnabled: Bool = false, mode: String = "") {
        self.isEnabled = isEnabled
        self.mode = mode
    }

    enum CodingKeys: String, CodingKey {
        case isEnabled = "enabled"
        case mode
    }

    /// Decodes a `tun_mode` section; absent keys are zero.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        isEnabled = try c.value(.isEnabled, or: false)
        mode = try c.value(.mode, or: "")
    }
}
