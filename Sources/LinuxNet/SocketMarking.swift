import Foundation
import CNftnl  // SOCK_DGRAM and SOCK_CLOEXEC: a release build finds them only through the shim

/// Whether this process may mark its sockets (`SO_MARK` needs `CAP_NET_ADMIN`): a probe socket
/// tries it once.
public enum SocketMarking {
    public static let isPermitted: Bool = {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var mark = OwnedNames.bypassMark
        return setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, socklen_t(MemoryLayout<UInt32>.size)) == 0
    }()

    /// The bypass mark when this process may set it, else `nil`.
    public static var bypassMark: UInt32? { isPermitted ? OwnedNames.bypassMark : nil }
}
