import CNftnl  // SOCK_DGRAM and SOCK_CLOEXEC: a release build finds them only through the shim
import Glibc
public import SystemCalls

/// A UDP socket for TPROXY capture, over the C socket API because the original destination
/// arrives only as ancillary data (`IP_ORIGDSTADDR`), which NIO does not surface.
///
/// One kind receives captured datagrams with their original destination; the other sends
/// replies from a foreign address (the original destination), so the client sees the answer
/// come from the server it wrote to. Both need `CAP_NET_ADMIN` (`IP_TRANSPARENT`). Owns its
/// descriptor, which closes with the last reference.
public final class TransparentUDPSocket: Sendable {
    /// An IPv4 or IPv6 address and a port.
    public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
        /// 4 bytes (IPv4) or 16 (IPv6), in network order.
        public let address: [UInt8]
        public let port: UInt16

        /// `nil` unless `address` has 4 or 16 bytes.
        public init?(address: [UInt8], port: UInt16) {
            guard IPFamily(addressLength: address.count) != nil else { return nil }
            self.address = address
            self.port = port
        }

        public var family: IPFamily { address.count == 4 ? .ipv4 : .ipv6 }

        /// `192.0.2.1:53` or `[2001:db8::1]:53`.
        public var description: String {
            let host = IPPrefix(bytes: address, length: address.count * 8).map { "\($0)" } ?? "?"
            return family == .ipv4 ? "\(host):\(port)" : "[\(host)]:\(port)"
        }
    }

    /// A received datagram.
    public struct Datagram: Sendable {
        public var payload: [UInt8]
        public var source: Endpoint
        public var originalDestination: Endpoint
    }

    /// What one ``receive(into:unless:)`` found.
    public enum Reception: Sendable {
        case datagram(Datagram)
        /// A datagram without an original destination (not captured), or from an address
        /// family we do not read; dropped.
        case dropped
        /// The wakeup was signalled: stop receiving.
        case woken
    }

    /// The buffers one reader reuses for every datagram of a socket: allocated once, not per
    /// datagram.
    public struct ReceiveBuffer: Sendable {
        fileprivate var payload = [UInt8](repeating: 0, count: TransparentUDPSocket.maximumDatagram)
        /// Room for one original-destination message of either family.
        fileprivate var control = [UInt8](
            repeating: 0, count: ControlMessages.space(forDataLength: MemoryLayout<sockaddr_in6>.size))

        public init() {}
    }

    /// Largest datagram read: the largest a UDP payload can be.
    public static let maximumDatagram = 65_535

    private let descriptor: Int32
    private let family: IPFamily

    private init(descriptor: Int32, family: IPFamily) {
        self.descriptor = descriptor
        self.family = family
    }

    deinit { try? Posix.close(descriptor) }  // a datagram socket has nothing left to flush

    /// A blocking socket that receives captured datagrams at `endpoint` with their original
    /// destination.
    /// - Throws: the `socket`, `setsockopt` or `bind` call that failed.
    public static func receiving(at endpoint: Endpoint) throws(SystemCallError) -> TransparentUDPSocket {
        try open(endpoint, options: [
            endpoint.family == .ipv4 ? (Int32(IPPROTO_IP), IP_RECVORIGDSTADDR) : (Int32(IPPROTO_IPV6), IPV6_RECVORIGDSTADDR),
        ])
    }

    /// A non-blocking socket bound to a foreign `endpoint`, to send replies from it.
    /// - Throws: the `socket`, `setsockopt`, `bind` or `fcntl` call that failed.
    public static func sending(from endpoint: Endpoint) throws(SystemCallError) -> TransparentUDPSocket {
        let socket = try open(endpoint, options: [(SOL_SOCKET, SO_REUSEADDR)])
        try Posix.setNonBlocking(socket.descriptor)
        return socket
    }

    private static func open(_ endpoint: Endpoint, options: [(Int32, Int32)]) throws(SystemCallError) -> TransparentUDPSocket {
        let fd = try Posix.socket(endpoint.family == .ipv4 ? AF_INET : AF_INET6,
                                  Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
        let socket = TransparentUDPSocket(descriptor: fd, family: endpoint.family)  // owns fd from here
        for (level, name) in [endpoint.family.transparentOption] + options {
            try Posix.setsockopt(fd, level, name, Int32(1))
        }
        switch endpoint.family {
        case .ipv4: try Posix.bind(fd, to: Self.socketAddress4(endpoint))
        case .ipv6: try Posix.bind(fd, to: Self.socketAddress6(endpoint))
        }
        return socket
    }

    /// Blocks until a datagram arrives or `wakeup` is signalled. Meant for one reader thread
    /// per socket, which owns `buffer`.
    /// - Throws: the `poll` or `recvmsg` call that failed.
    public func receive(into buffer: inout ReceiveBuffer, unless wakeup: Wakeup) throws(SystemCallError) -> Reception {
        guard try wakeup.waitUntilReadable(descriptor) else { return .woken }
        let message = try Posix.recvmsg(descriptor, payload: &buffer.payload, control: &buffer.control)
        guard let source = Self.endpoint(of: message.source),
              let original = originalDestination(in: ControlMessages(buffer.control, count: message.controlCount))
        else { return .dropped }
        return .datagram(Datagram(payload: Array(buffer.payload.prefix(message.count)), source: source,
                                  originalDestination: original))
    }

    /// Sends `payload` to `destination`; a datagram the socket cannot take now (or at all) is
    /// dropped, as UDP would.
    public func send(_ payload: [UInt8], to destination: Endpoint) {
        // A full send buffer or an unreachable client loses this datagram only: UDP's contract.
        switch destination.family {
        case .ipv4: _ = try? Posix.sendto(descriptor, payload, flags: Int32(MSG_NOSIGNAL), to: Self.socketAddress4(destination))
        case .ipv6: _ = try? Posix.sendto(descriptor, payload, flags: Int32(MSG_NOSIGNAL), to: Self.socketAddress6(destination))
        }
    }

    /// The `IP_ORIGDSTADDR` / `IPV6_ORIGDSTADDR` message among `messages`, as an endpoint.
    private func originalDestination(in messages: ControlMessages) -> Endpoint? {
        let (level, type) = family == .ipv4 ? (Int32(IPPROTO_IP), IP_ORIGDSTADDR) : (Int32(IPPROTO_IPV6), IPV6_ORIGDSTADDR)
        guard let message = messages.first(where: { $0.level == level && $0.type == type }) else { return nil }
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: message.data.prefix($0.count)) }
        return Self.endpoint(of: storage)
    }

    private static func endpoint(of storage: sockaddr_storage) -> Endpoint? {
        withUnsafeBytes(of: storage) { raw -> Endpoint? in
            switch Int32(storage.ss_family) {
            case AF_INET:
                let address = raw.load(as: sockaddr_in.self)
                return Endpoint(address: withUnsafeBytes(of: address.sin_addr) { Array($0) },
                                port: UInt16(bigEndian: address.sin_port))
            case AF_INET6:
                let address = raw.load(as: sockaddr_in6.self)
                return Endpoint(address: withUnsafeBytes(of: address.sin6_addr) { Array($0) },
                                port: UInt16(bigEndian: address.sin6_port))
            default:
                return nil
            }
        }
    }

    private static func socketAddress4(_ endpoint: Endpoint) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = endpoint.port.bigEndian
        withUnsafeMutableBytes(of: &address.sin_addr) { $0.copyBytes(from: endpoint.address) }
        return address
    }

    private static func socketAddress6(_ endpoint: Endpoint) -> sockaddr_in6 {
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = endpoint.port.bigEndian
        withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: endpoint.address) }
        return address
    }
}
