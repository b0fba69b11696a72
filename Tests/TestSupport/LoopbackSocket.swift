import Glibc

/// A socket call failed with `errno`.
public struct SocketError: Error { public let errno: Int32 }

/// A socket of `type` (`SOCK_STREAM`, `SOCK_DGRAM`) bound to 127.0.0.1:`port` (0: any free
/// port) and the port it got. The caller owns the descriptor; nothing listens on it yet.
/// - Parameter reusePort: set `SO_REUSEPORT` first, so a peer that sets it too can bind the
///   same port while this socket holds it.
func loopbackSocket(_ type: __socket_type, port: Int = 0, reusePort: Bool = false) throws -> (descriptor: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(type.rawValue), 0)
    guard fd >= 0 else { throw SocketError(errno: errno) }
    var one: Int32 = 1
    if reusePort, setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size)) != 0 {
        let failure = errno
        close(fd)
        throw SocketError(errno: failure)
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
        }
    }
    guard bound else {
        let failure = errno
        close(fd)
        throw SocketError(errno: failure)
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}
