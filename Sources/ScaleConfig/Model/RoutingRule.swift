/// A host-level routing rule (`rules[]`): traffic to its targets leaves through its exit.
public struct RoutingRule: Codable, Sendable, Hashable {
    /// Id used in API URLs. Required; unique.
    public var id: String
    /// Display name.
    public var name: String
    /// Raw target kind; see ``RuleType``. Required.
    public var type: String
    /// IPs, CIDRs and ranges (`ip`) or domain names (`domain`). At least one.
    public var targets: [String]
    /// Primary exit path. Required (or a non-empty ``exitPaths``).
    public var exitVia: String
    /// Alternative exit paths.
    public var exitPaths: [String]
    /// Raw exit mode; see ``ExitMode``.
    public var exitMode: String
    /// Raw fallback when the exit cannot be reached; see ``ExitFallback``.
    public var fallback: String
    /// Whether the rule is applied.
    public var isEnabled: Bool
    /// Higher wins where targets overlap.
    public var priority: Int
    /// Request raw-IP TUN forwarding (`ip` rules only).
    public var usesTun: Bool

    /// A rule; unspecified fields are zero.
    public init(
        id: String = "", name: String = "", type: String = "", targets: [String] = [],
        exitVia: String = "", exitPaths: [String] = [], exitMode: String = "", fallback: String = "",
        isEnabled: Bool = false, priority: Int = 0, usesTun: Bool = false
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.targets = targets
        self.exitVia = exitVia
        self.exitPaths = exitPaths
        self.exitMode = exitMode
        self.fallback = fallback
        self.isEnabled = isEnabled
        self.priority = priority
        self.usesTun = usesTun
    }

    enum CodingKeys: String, CodingKey {
        case id, name, type, targets
        case exitVia = "exit_via"
        case exitPaths = "exit_paths"
        case exitMode = "exit_mode"
        case fallback
        case isEnabled = "enabled"
        case priority
        case usesTun = "use_tun"
    }

    /// Decodes a `rules[]` entry; absent keys are zero.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.value(.id, or: "")
        name = try c.value(.name, or: "")
        type = try c.value(.type, or: "")
        targets = try c.value(.targets, or: [])
        exitVia = try c.value(.exitVia, or: "")
        exitPaths = try c.value(.exitPaths, or: [])
        exitMode = try c.value(.exitMode, or: "")
        fallback = try c.value(.fallback, or: "")
        isEnabled = try c.value(.isEnabled, or: false)
        priority = try c.value(.priority, or: 0)
        usesTun = try c.value(.usesTun, or: false)
    }

    /// Encodes canonical keys, leaving out empty optional ones.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(type, forKey: .type)
        try c.encode(targets, forKey: .targets)
        try c.encode(exitVia, forKey: .exitVia)
        if !exitPaths.isEmpty { try c.encode(exitPaths, forKey: .exitPaths) }
        if !exitMode.isEmpty { try c.encode(exitMode, forKey: .exitMode) }
        if !fallback.isEmpty { try c.encode(fallback, forKey: .fallback) }
        try c.encode(isEnabled, forKey: .isEnabled)
        if priority != 0 { try c.encode(priority, forKey: .priority) }
        if usesTun { try c.encode(usesTun, forKey: .usesTun) }
    }
}
