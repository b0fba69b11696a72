import CNgtcp2
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// The connection's one network path, at a fixed heap address: ngtcp2 keeps the pointers it is
/// given at creation and compares each received packet's path with them (spec §4.3).
final class NgtcpPath {
    /// Valid until deinit; read by ngtcp2, never written.
    let pointer: UnsafeMutablePointer<ngtcp2_path>
    private let local: UnsafeMutablePointer<sockaddr_storage>
    private let remote: UnsafeMutablePointer<sockaddr_storage>

    init(local localAddress: SocketAddress, remote remoteAddress: SocketAddress) {
        local = .allocate(capacity: 1)
        remote = .allocate(capacity: 1)
        pointer = .allocate(capacity: 1)
        let localLength = Self.copy(localAddress, into: local)
        let remoteLength = Self.copy(remoteAddress, into: remote)
        pointer.initialize(to: ngtcp2_path(
            local: ngtcp2_addr(addr: Self.sockaddrPointer(local), addrlen: localLength),
            remote: ngtcp2_addr(addr: Self.sockaddrPointer(remote), addrlen: remoteLength),
            user_data: nil))
    }

    deinit {
        pointer.deallocate()
        local.deallocate()
        remote.deallocate()
    }

    private static func copy(_ address: SocketAddress, into storage: UnsafeMutablePointer<sockaddr_storage>) -> socklen_t {
        storage.initialize(to: sockaddr_storage())
        return address.withSockAddr { sockaddr, length in
            UnsafeMutableRawPointer(storage).copyMemory(from: sockaddr, byteCount: length)
            return socklen_t(length)
        }
    }

    private static func sockaddrPointer(_ storage: UnsafeMutablePointer<sockaddr_storage>) -> UnsafeMutablePointer<sockaddr> {
        UnsafeMutableRawPointer(storage).assumingMemoryBound(to: sockaddr.self)
    }
}
