import Synchronization

/// Text collected from another thread (a child process's pipe), read by tests.
public final class TextBuffer: Sendable {
    private let text = Mutex("")

    public init() {}

    public func append(_ more: String) { text.withLock { $0 += more } }

    public var value: String { text.withLock { $0 } }
}
