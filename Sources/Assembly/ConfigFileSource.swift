public import Reconciler
public import ScaleConfig

/// The daemon's ``ConfigSource``: the YAML file on disk, read on every load, and parsed and
/// validated unless the cache shared with the API's writer already checked those bytes.
public struct ConfigFileSource: ConfigSource {
    /// The config file.
    public let path: String
    private let cache: ConfigFileCache
    private let context: @Sendable () -> ValidationContext

    /// - Parameters:
    ///   - cache: shared with the ``ConfigStore`` that edits the same file.
    ///   - context: made afresh for every load, since the TLS store can change.
    public init(path: String, cache: ConfigFileCache = ConfigFileCache(),
                context: @escaping @Sendable () -> ValidationContext) {
        self.path = path
        self.cache = cache
        self.context = context
    }

    public func load() async -> ConfigLoad<Config> {
        switch cache.load(path: path, context: context()) {
        case .success(let file): return .valid(file.config, revision: file.revision)
        case .failure(let error): return .invalid(revision: error.revision, problems: error.errors.map(\.description))
        }
    }
}
