public import ScaleConfig

/// Which way a flow leaves this node: directly, or along a path of peers (`us/us-east`).
public struct ExitRoute: Hashable, Sendable, CustomStringConvertible {
    /// Alternative paths in order of preference; empty means direct.
    public var paths: [String]
    public var mode: ExitMode
    /// When no path can be reached: fail (DECISIONS #14) or leave directly.
    public var fallback: ExitFallback

    public init(paths: [String] = [], mode: ExitMode = .direct, fallback: ExitFallback = .none) {
        self.paths = paths.filter { !$0.isEmpty }
        self.mode = mode
        self.fallback = fallback
    }

    /// Leaves from this node.
    public static let direct = ExitRoute()

    /// The route of config fields: `exit_paths` when present (its first entry is `exit_via`),
    /// otherwise `exit_via`.
    public init(via: String, paths: [String], mode: String, fallback: String = "") {
        self.init(paths: paths.isEmpty ? [via] : paths,
                  mode: ExitMode(spelling: mode) ?? .direct,
                  fallback: ExitFallback(spelling: fallback) ?? .none)
    }

    public var isDirect: Bool { paths.isEmpty }

    /// The listener's route when it names one, otherwise the user's (DECISIONS #9).
    public func overriding(_ user: ExitRoute) -> ExitRoute { isDirect ? user : self }

    public var description: String { isDirect ? "direct" : paths.joined(separator: " | ") }
}
