import Glibc
import Synchronization

/// A TCP and a UDP socket on one 127.0.0.1 port, bound with `SO_REUSEPORT` and never listened on
/// or read, to hand a port to a peer that binds with `SO_REUSEPORT` itself (`ss-local
/// --reuse-port`) and must have the same number for TCP and UDP: no other process can bind the
/// port in between, unlike a port chosen free and released.
///
/// Connections only reach listening sockets, so every TCP connection goes to the peer. Datagrams
/// are spread over every UDP socket on the port: ``close()`` once the peer is up and before
/// sending it any (the peer keeps the port).
public final class SharedPort: Sendable {
    public let port: Int
    private let descriptors: Mutex<[Int32]>

    public init() throws {
        // The kernel picks a port free for TCP; the same number may be taken for UDP, so pick again.
        for _ in 0..<20 {
            let tcp = try loopbackSocket(SOCK_STREAM, reusePort: true)
            do {
                let udp = try loopbackSocket(SOCK_DGRAM, port: tcp.port, reusePort: true)
                descriptors = Mutex([tcp.descriptor, udp.descriptor])
                port = tcp.port
                return
            } catch let error as SocketError where error.errno == EADDRINUSE {
                Glibc.close(tcp.descriptor)
            } catch {
                Glibc.close(tcp.descriptor)
                throw error
            }
        }
        throw SocketError(errno: EADDRINUSE)
    }

    /// Lets go of the port; the peer that bound it keeps it. Idempotent.
    public func close() {
        for fd in descriptors.withLock({ held in defer { held = [] }; return held }) { Glibc.close(fd) }
    }

    deinit { close() }
}
