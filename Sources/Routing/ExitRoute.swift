/// Which way a flow leaves this node: directly, or along a path of peers (`us/us-east`).
public struct ExitRoute: Hashable, Sendable, CustomStringConvertible {
    /// Alternative paths in order of preference; empty means direct.
    public var paths: [String]
    public var mode: Mode
    /// When no path can be reached: fail (DECISIONS #14) or leave directly.
    public var fallback: Fallback

    /// How a flow uses several paths (`exit_mode`).
    public enum Mode: Hashable, Sendable {
        /// The first path, the others raced as failover.
        case direct
        /// Adaptive choice of the best path.
        case quality
        /// Multi-path bonding.
        case aggregate
    }

    /// What a flow does when no path can be reached.
    public enum Fallback: Hashable, Sendable {
        /// The flow fails (DECISIONS #14).
        case none
        /// The flow leaves directly from this node.
        case direct
    }

    public init(paths: [String] = [], mode: Mode = .direct, fallback: Fallback = .none) {
        self.paths = paths.filter { !$0.isEmpty }
        self.mode = mode
        self.fallback = fallback
    }

    /// Leaves from this node.
    public static let direct = ExitRoute()

    public var isDirect: Bool { paths.isEmpty }

    /// The listener's route when it names one, otherwise the user's (DECISIONS #9).
    public func overriding(_ user: ExitRoute) -> ExitRoute { isDirect ? user : self }

    public var description: String { isDirect ? "direct" : paths.joined(separator: " | ") }
}
