public import Reconciler
public import ScaleConfig

/// The daemon's ``ConfigSource``: the YAML file on disk, read, parsed and validated on every
/// load.
public struct ConfigFileSource: ConfigSource {
    /// The config file.
    public let path: String
    private let context: @Sendable () -> ValidationContext

    /// - Parameter context: made afresh for every load, since the TLS store can change.
    public init(path: String, context: @escaping @Sendable () -> ValidationContext) {
        self.path = path
        self.context = context
    }

    public func load() async -> ConfigLoad<Config> {
        do {
            let file = try ConfigFile.load(path: path, context: context())
            return .valid(file.config, revision: file.revision)
        } catch {
            return .invalid(revision: error.revision, problems: error.errors.map(\.description))
        }
    }
}
