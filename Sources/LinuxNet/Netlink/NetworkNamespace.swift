import Foundation
import Synchronization
import SystemCalls

/// Runs code inside another network namespace.
///
/// `setns` moves only the calling thread, so the work runs on a thread of its own that is never
/// shared: what it opens (a socket) stays in that namespace after the thread is gone.
public enum NetworkNamespace {
    /// Runs `body` in the namespace at `path` (`/run/netns/<name>`) and returns its result.
    public static func run<T: Sendable>(in path: String, _ body: @escaping @Sendable () -> Result<T, NetlinkError>)
        throws(NetlinkError) -> T
    {
        let done = DispatchSemaphore(value: 0)
        let outcome = ResultBox<T>()
        let thread = Thread {
            defer { done.signal() }
            let entered = Result { () throws(NetlinkError) in
                try NetlinkError.call(on: path) { () throws(SystemCallError) in
                    let fd = try Posix.open(path, O_RDONLY | O_CLOEXEC)
                    defer { _ = try? Posix.close(fd) }  // a namespace file has nothing to flush
                    try Linux.setNetworkNamespace(fd)
                }
            }
            outcome.set(entered.flatMap { body() })
        }
        thread.start()
        done.wait()
        return try (outcome.take() ?? .failure(.system("setns thread", EINVAL))).get()
    }
}

/// Carries a result out of the namespace thread.
private final class ResultBox<T: Sendable>: Sendable {
    private let value = Mutex<Result<T, NetlinkError>?>(nil)
    func set(_ result: Result<T, NetlinkError>) { value.withLock { $0 = result } }
    func take() -> Result<T, NetlinkError>? { value.withLock { $0 } }
}
