public import ServiceLifecycle
import Synchronization

/// Watches the directory of the config file and calls `onChange` once per burst of changes.
///
/// The directory, not the file, is watched: editors and git replace a file by renaming a new one
/// over it, which a watch on the old file would never see. Bursts (a git checkout, an editor's
/// temp file, rename and chmod) are debounced: `onChange` runs once the file has been quiet for
/// `debounce`.
public struct ConfigWatcher<C: Clock<Duration>>: Service {
    private let path: String
    private let debounce: Duration
    private let clock: C
    private let onChange: @Sendable () -> Void

    /// - Parameters:
    ///   - path: the config file; its directory must exist.
    public init(path: String, debounce: Duration = .milliseconds(200), clock: C,
                onChange: @escaping @Sendable () -> Void) {
        self.path = path
        self.debounce = debounce
        self.clock = clock
        self.onChange = onChange
    }

    public func run() async throws {
        let (directory, name) = Self.split(path)
        let changes = Mutex(0)  // events seen so far
        let (events, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let inotify = try Inotify(directory: directory) { changed in
            guard changed == nil || changed == name else { return }
            changes.withLock { $0 += 1 }
            continuation.yield()
        }
        defer {
            inotify.stop()
            continuation.finish()
        }
        var handled = 0
        for await _ in events.cancelOnGracefulShutdown() {
            var seen = changes.withLock { $0 }
            guard seen != handled else { continue }
            while true {
                try await clock.sleep(for: debounce)
                let now = changes.withLock { $0 }
                if now == seen { break }
                seen = now
            }
            handled = seen
            onChange()
        }
    }

    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}
