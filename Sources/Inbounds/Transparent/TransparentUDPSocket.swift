import CNIOLinux
import Addressing
import Foundation

/// A UDP socket for TPROXY capture, over the C socket API because the original destination
/// arrives only as ancillary data (`IP_ORIGDSTADDR`), which NIO does not surface.
///
/// One kind receives captured datagrams with their original destination; the other sends
/// replies from a foreign address (the original destination), so the client sees the answer
/// come from the server it wrote to.
final class TransparentUDPSocket: Sendable {
    /// An address and port.
    struct Endpoint: Hashable, Sendable, CustomStringConvertible {
        var address: IPAddress
        var port: UInt16
        var description: String { address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)" }
    }

    /// A received datagram.
    struct Datagram {
        var payload: [UInt8]
        var source: Endpoint
        var originalDestination: Endpoint
    }

    /// Largest datagram read: the largest a UDP payload can be.
    static let maximumDatagram = 65_535

    private let descriptor: Int32
    private let isIPv6: Bool

    private init(descriptor: Int32, isIPv6: Bool) {
        self.descriptor = descriptor
        self.isIPv6 = isIPv6
    }

    deinit { close(descriptor) }

    /// A socket that receives captured datagrams at `endpoint` with their original destination.
    static func receiving(at endpoint: Endpoint) throws -> TransparentUDPSocket {
        let socket = try open(endpoint, options: [
            endpoint.address.isIPv4 ? (Int32(IPPROTO_IP), IP_RECVORIGDSTADDR) : (Int32(IPPROTO_IPV6), IPV6_RECVORIGDSTADDR),
        ])
        return socket
    }

    /// A non-blocking socket bound to a foreign `endpoint`, to send replies from it.
    static func sending(from endpoint: Endpoint) throws -> TransparentUDPSocket {
        let socket = try open(endpoint, options: [(SOL_SOCKET, SO_REUSEADDR)])
        _ = fcntl(socket.descriptor, F_SETFL, fcntl(socket.descriptor, F_GETFL) | O_NONBLOCK)
        return socket
    }

    private static func open(_ endpoint: Endpoint, options: [(Int32, Int32)]) throws -> TransparentUDPSocket {
        let isIPv6 = !endpoint.address.isIPv4
        let fd = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TransparentSocketError.system("socket", errno) }
        let socket = TransparentUDPSocket(descriptor: fd, isIPv6: isIPv6)
        let transparent = isIPv6 ? (Int32(IPPROTO_IPV6), IPV6_TRANSPARENT) : (Int32(IPPROTO_IP), IP_TRANSPARENT)
        for (level, name) in [transparent] + options {
            var on: Int32 = 1
            guard setsockopt(fd, level, name, &on, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
                throw TransparentSocketError.system("setsockopt(\(name))", errno)
            }
        }
        let bound = withSocketAddress(endpoint) { bind(fd, $0, $1) }
        guard bound == 0 else { throw TransparentSocketError.system("bind(\(endpoint))", errno) }
        return socket
    }

    /// Waits up to `timeout` milliseconds for a datagram; `nil` when none came or one without an
    /// original destination (not captured) was dropped.
    func receive(timeout: Int32) -> Datagram? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeout) > 0 else { return nil }
        var payload = [UInt8](repeating: 0, count: Self.maximumDatagram)
        var source = sockaddr_storage()
        var control = [UInt8](repeating: 0, count: 256)
        let count = payload.withUnsafeMutableBytes { payloadBytes in
            control.withUnsafeMutableBytes { controlBytes in
                withUnsafeMutablePointer(to: &source) { sourcePointer in
                    var vector = iovec(iov_base: payloadBytes.baseAddress, iov_len: payloadBytes.count)
                    return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                        var message = msghdr(
                            msg_name: UnsafeMutableRawPointer(sourcePointer), msg_namelen: socklen_t(MemoryLayout<sockaddr_storage>.size),
                            msg_iov: vectorPointer, msg_iovlen: 1,
                            msg_control: controlBytes.baseAddress, msg_controllen: controlBytes.count, msg_flags: 0)
                        let received = recvmsg(descriptor, &message, 0)
                        return (received, message.msg_controllen)
                    }
                }
            }
        }
        guard count.0 >= 0, let from = Self.endpoint(of: source),
              let original = Self.originalDestination(in: control.prefix(Int(count.1)), isIPv6: isIPv6)
        else { return nil }
        return Datagram(payload: Array(payload.prefix(count.0)), source: from, originalDestination: original)
    }

    /// Sends `payload` to `destination`; a datagram the socket cannot take now is dropped, as
    /// UDP would.
    func send(_ payload: [UInt8], to destination: Endpoint) {
        _ = Self.withSocketAddress(destination) { address, length in
            payload.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), address, length) }
        }
    }

    /// Finds `IP_ORIGDSTADDR` / `IPV6_ORIGDSTADDR` among the control messages. The layout is the
    /// kernel's `cmsghdr` on a 64-bit host: length (8 bytes), level, type, then the data aligned
    /// to 8 bytes.
    private static func originalDestination(in control: ArraySlice<UInt8>, isIPv6: Bool) -> Endpoint? {
        let wantedLevel = isIPv6 ? Int32(IPPROTO_IPV6) : Int32(IPPROTO_IP)
        let wantedType = isIPv6 ? IPV6_ORIGDSTADDR : IP_ORIGDSTADDR
        var offset = control.startIndex
        let headerSize = 16
        while control.endIndex - offset >= headerSize {
            let length = control[offset..<(offset + 8)].withUnsafeBytes { $0.loadUnaligned(as: Int.self) }
            let level = control[(offset + 8)..<(offset + 12)].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
            let type = control[(offset + 12)..<(offset + 16)].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
            guard length >= headerSize, length <= control.endIndex - offset else { return nil }
            if level == wantedLevel, type == wantedType {
                var storage = sockaddr_storage()
                let data = control[(offset + headerSize)..<(offset + length)]
                withUnsafeMutableBytes(of: &storage) { raw in
                    raw.copyBytes(from: data.prefix(raw.count))
                }
                return endpoint(of: storage)
            }
            offset += (length + 7) & ~7
        }
        return nil
    }

    private static func endpoint(of storage: sockaddr_storage) -> Endpoint? {
        let family = Int32(storage.ss_family)
        return withUnsafeBytes(of: storage) { raw -> Endpoint? in
            switch family {
            case AF_INET:
                let address = raw.load(as: sockaddr_in.self)
                let bytes = withUnsafeBytes(of: address.sin_addr) { Array($0) }
                return IPAddress(bytes: bytes).map { Endpoint(address: $0, port: UInt16(bigEndian: address.sin_port)) }
            case AF_INET6:
                let address = raw.load(as: sockaddr_in6.self)
                let bytes = withUnsafeBytes(of: address.sin6_addr) { Array($0) }
                return IPAddress(bytes: bytes).map { Endpoint(address: $0, port: UInt16(bigEndian: address.sin6_port)) }
            default:
                return nil
            }
        }
    }

    private static func withSocketAddress<T>(_ endpoint: Endpoint, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        if endpoint.address.isIPv4 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = endpoint.port.bigEndian
            withUnsafeMutableBytes(of: &address.sin_addr) { $0.copyBytes(from: endpoint.address.bytes) }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = endpoint.port.bigEndian
        withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: endpoint.address.bytes) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
    }
}

/// A socket call of the transparent UDP listener that failed.
enum TransparentSocketError: Error, CustomStringConvertible {
    case system(String, Int32)

    var description: String {
        switch self {
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        }
    }
}
