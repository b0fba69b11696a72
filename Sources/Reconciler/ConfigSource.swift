/// Where the reconciler reads the configuration from: in the daemon, the YAML file on disk.
///
/// Each call reads afresh (level-triggered: nothing is remembered between runs).
public protocol ConfigSource<Config>: Sendable {
    associatedtype Config: Sendable
    /// The configuration as it is now, or why it cannot be used.
    func load() async -> ConfigLoad<Config>
}

/// The result of reading the configuration once.
public enum ConfigLoad<Config: Sendable>: Sendable {
    /// A configuration that passed validation, with the revision (content hash) it came from.
    case valid(Config, revision: String)
    /// A file that must not be applied: each problem as `FILE:LINE:COLUMN: message`.
    case invalid(revision: String?, problems: [String])
}
