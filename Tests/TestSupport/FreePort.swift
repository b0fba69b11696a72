import Glibc

/// A TCP port on 127.0.0.1 nobody listens on right now (bound to port 0, then released).
public func freePort() throws -> Int {
    let (fd, port) = try loopbackSocket(SOCK_STREAM)
    close(fd)
    return port
}
