import CSystemShim
import Glibc

/// An `eventfd(2)` that wakes a thread blocked in ``waitUntilReadable(_:)``: the way a blocking
/// reader is stopped without a polling timeout.
///
/// Owns its descriptor, which closes with the last reference. ``signal()`` may be called from
/// any thread, any number of times; once signalled it stays signalled.
public final class Wakeup: Sendable {
    private let descriptor: Int32

    /// Creates an unsignalled wakeup.
    public init() throws(SystemCallError) {
        descriptor = try syscall("eventfd") { eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK)) }
    }

    deinit { try? Posix.close(descriptor) }  // nothing to do about a failed close of an eventfd

    /// Wakes every present and future ``waitUntilReadable(_:)``.
    public func signal() {
        // Fails only when the counter would overflow, which leaves it signalled all the same.
        _ = try? Posix.write(descriptor, [1, 0, 0, 0, 0, 0, 0, 0][...])
    }

    /// Blocks until `readable` has data to read (`true`) or the wakeup was signalled (`false`).
    public func waitUntilReadable(_ readable: Int32) throws(SystemCallError) -> Bool {
        var descriptors = [
            pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: readable, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            _ = try Posix.poll(&descriptors, timeout: -1)
            if descriptors[0].revents != 0 { return false }
            if descriptors[1].revents & Int16(POLLIN | POLLERR | POLLHUP) != 0 { return true }
            if descriptors[1].revents & Int16(POLLNVAL) != 0 {
                throw SystemCallError(call: "poll", errno: EBADF)
            }
        }
    }
}
