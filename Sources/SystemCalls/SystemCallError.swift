import Glibc

/// A system call that failed: the C function and the `errno` it set.
///
/// Every wrapper in this module throws it; callers that know more (a path, a device name) add
/// that in their own error. `EINTR` never escapes: the wrappers retry it.
public struct SystemCallError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The C function that failed, e.g. `recvmsg`.
    public let call: String
    /// The `errno` it set.
    public let errno: Int32

    /// An error for `call` failing with `errno`.
    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    /// `strerror(errno)`, e.g. `Permission denied`.
    public var reason: String { String(cString: strerror(errno)) }

    /// `recvmsg: Bad file descriptor`.
    public var description: String { "\(call): \(reason)" }
}

/// Runs `body` until it returns something other than -1 with `EINTR`; throws for any other -1.
///
/// The one retry loop of the module (NIO `Sources/NIOPosix/System.swift`, `syscall(blocking:)`).
@inline(__always)
@discardableResult
func syscall<T: FixedWidthInteger>(_ call: String, _ body: () -> T) throws(SystemCallError) -> T {
    while true {
        let result = body()
        guard result == -1 else { return result }
        let code = Glibc.errno
        guard code == EINTR else { throw SystemCallError(call: call, errno: code) }
    }
}
