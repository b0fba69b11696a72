import CNftnl
import Foundation
import Glibc
import Synchronization

/// Runs code inside another network namespace without moving the calling process.
///
/// A namespace switch (`setns`) applies to one thread, and sockets stay bound to the namespace
/// they were created in. So the work runs on a fresh thread that joins the namespace, does it,
/// and ends; a socket opened there can then be used from any thread. Tests use this to drive a
/// throwaway `ip netns` namespace; the service itself runs in the host's namespace.
public enum NetworkNamespace {
    /// The path `ip netns add name` gives a namespace.
    public static func path(named name: String) -> String { "/run/netns/\(name)" }

    /// Runs `body` on a thread inside the namespace at `path` (a file such as
    /// `/run/netns/name` or `/proc/<pid>/ns/net`) and returns its result. Blocks until done.
    /// - Throws: ``NetlinkError`` when the namespace cannot be opened or joined (not root, no
    ///   such namespace), else what `body` throws.
    public static func run<T: Sendable>(inNamespaceAt path: String, _ body: @escaping @Sendable () throws -> T) throws -> T {
        let result = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let outcome: Result<T, any Error> = Result {
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw NetlinkError(operation: "open network namespace \(path)", errno: errno) }
                defer { close(fd) }
                guard CNftnl_join_network_namespace(fd) == 0 else {
                    throw NetlinkError(operation: "join network namespace \(path) (setns)", errno: errno)
                }
                return try body()
            }
            result.withLock { $0 = outcome }
            done.signal()
        }
        thread.start()
        done.wait()
        guard let outcome = result.withLock({ $0 }) else {
            throw NetlinkError(operation: "run in network namespace \(path)", errno: EINTR)
        }
        return try outcome.get()
    }
}
