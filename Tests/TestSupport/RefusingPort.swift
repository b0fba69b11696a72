import Glibc

/// A port on 127.0.0.1 that refuses whoever tries it, as a port nobody uses does, and that no
/// other test can take while this value lives.
///
/// TCP: the socket is bound and never listened on, so a connection is refused. UDP: the socket is
/// bound and connected to itself, so the kernel matches no socket to a datagram from anyone else
/// and answers it with ICMP port unreachable (a QUIC dial fails as it would on a free port).
public final class RefusingPort: Sendable {
    public enum Transport: Sendable { case tcp, udp }

    public let port: Int
    private let descriptor: Int32

    public init(_ transport: Transport = .tcp) throws {
        let (fd, port) = try loopbackSocket(transport == .tcp ? SOCK_STREAM : SOCK_DGRAM)
        if transport == .udp {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            guard connected else {
                let failure = errno
                close(fd)
                throw SocketError(errno: failure)
            }
        }
        descriptor = fd
        self.port = port
    }

    deinit { close(descriptor) }
}
