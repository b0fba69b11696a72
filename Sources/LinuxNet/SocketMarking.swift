import CNftnl  // SOCK_DGRAM and SOCK_CLOEXEC: a release build finds them only through the shim
import Glibc
import SystemCalls

/// Whether this process may mark its sockets (`SO_MARK` needs `CAP_NET_ADMIN`): a probe socket
/// tries it once.
public enum SocketMarking {
    public static let isPermitted: Bool = {
        // Any failure, of the probe socket or of the mark, means marks are not available.
        guard let fd = try? Posix.socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)) else { return false }
        defer { _ = try? Posix.close(fd) }
        return (try? Posix.setsockopt(fd, SOL_SOCKET, SO_MARK, OwnedNames.bypassMark)) != nil
    }()

    /// The bypass mark when this process may set it, else `nil`.
    public static var bypassMark: UInt32? { isPermitted ? OwnedNames.bypassMark : nil }
}
