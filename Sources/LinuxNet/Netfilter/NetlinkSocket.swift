import CNftnl
import Glibc
import Synchronization

/// A netfilter netlink socket: the one channel through which hy2scale reads and writes its
/// nftables table.
///
/// The socket belongs to the network namespace it was opened in (the host's, or the one named
/// by `namespacePath`), and every request goes there whichever thread sends it. Calls are
/// serialised by a lock and block briefly while the kernel answers, so each exchange sees its
/// own replies only.
public final class NetlinkSocket: Sendable {
    private struct State {
        let socket: OpaquePointer
        let portID: UInt32
        var sequence: UInt32
        var sendBufferSize: Int
    }

    private let state: Mutex<State>

    /// How long to wait for acknowledgements that have not arrived with the rest; the kernel
    /// answers a batch while it is being sent, so this only bounds a hang.
    private static let ackTimeoutMilliseconds: Int32 = 5000
    /// The receive buffer: large enough for any reply of a 32 KiB dump chunk, and for the
    /// acknowledgements of a big batch (36 bytes each).
    private static let receiveBufferSize = 64 * 1024
    private static let kernelReceiveBuffer: Int32 = 8 * 1024 * 1024

    /// Opens a socket in the current network namespace, or in the one at `namespacePath`
    /// (e.g. `/run/netns/name`, see ``NetworkNamespace``).
    /// - Throws: ``NetlinkError`` naming the call that failed.
    public init(namespacePath: String? = nil) throws {
        let fd: Int32
        if let namespacePath {
            fd = try NetworkNamespace.run(inNamespaceAt: namespacePath) { try Self.openDescriptor() }
        } else {
            fd = try Self.openDescriptor()
        }
        guard let socket = mnl_socket_fdopen(fd) else {
            let code = errno
            close(fd)
            throw NetlinkError(operation: "wrap netlink socket (mnl_socket_fdopen)", errno: code)
        }
        guard mnl_socket_bind(socket, 0, pid_t(MNL_SOCKET_AUTOPID)) == 0 else {
            let code = errno
            mnl_socket_close(socket)
            throw NetlinkError(operation: "bind netlink socket", errno: code)
        }
        // Errors then carry only the failing message's header, not its payload: a refused
        // element list can be tens of kilobytes.
        var one: Int32 = 1
        _ = mnl_socket_setsockopt(socket, NETLINK_CAP_ACK, &one, socklen_t(MemoryLayout<Int32>.size))
        var size = Self.kernelReceiveBuffer
        if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        state = Mutex(State(socket: socket, portID: mnl_socket_get_portid(socket),
                            sequence: UInt32(truncatingIfNeeded: time(nil)), sendBufferSize: 0))
    }

    deinit {
        state.withLock { _ = mnl_socket_close($0.socket) }
    }

    private static func openDescriptor() throws -> Int32 {
        let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), NETLINK_NETFILTER)
        guard fd >= 0 else { throw NetlinkError(operation: "open netfilter netlink socket", errno: errno) }
        return fd
    }

    /// Sends one batch built by `encode` (given its first sequence number) in a single
    /// `sendto`, then collects the kernel's answer to every message that asked for one.
    /// - Returns: errno per sequence number (0: accepted).
    func exchange(batch encode: (UInt32) throws -> EncodedBatch) throws -> [UInt32: Int32] {
        try state.withLock { state in
            let batch = try encode(state.sequence)
            state.sequence &+= batch.sequenceCount
            let fd = mnl_socket_get_fd(state.socket)
            // Netlink refuses a message larger than the send buffer; nft raises it the same way.
            if batch.bytes.count + 4096 > state.sendBufferSize {
                var size = Int32(clamping: batch.bytes.count + 4096)
                if setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
                    _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
                }
                state.sendBufferSize = Int(size)
            }
            let sent = batch.bytes.withUnsafeBytes { mnl_socket_sendto(state.socket, $0.baseAddress, $0.count) }
            guard sent == batch.bytes.count else {
                throw NetlinkError(operation: "send nftables batch of \(batch.bytes.count) bytes", errno: sent < 0 ? errno : EMSGSIZE)
            }
            return try Self.collectAcknowledgements(fd: fd, expecting: batch.acknowledged)
        }
    }

    private static func collectAcknowledgements(fd: Int32, expecting: Set<UInt32>) throws -> [UInt32: Int32] {
        var answers: [UInt32: Int32] = [:]
        var buffer = [UInt8](repeating: 0, count: receiveBufferSize)
        while !expecting.isSubset(of: answers.keys) {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                guard code == EAGAIN || code == EWOULDBLOCK else {
                    throw NetlinkError(operation: "read nftables batch acknowledgements", errno: code)
                }
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&poller, 1, ackTimeoutMilliseconds) == 0 {
                    throw NetlinkError(operation: "wait for acknowledgements (\(answers.count) of \(expecting.count) arrived)", errno: ETIMEDOUT)
                }
                continue
            }
            for message in NetlinkMessages(buffer[..<count]) where message.type == UInt16(NLMSG_ERROR) {
                answers[message.sequence] = message.errorCode
            }
        }
        return answers
    }

    /// Sends one request built by `encode` and hands each reply message to `each` until the
    /// kernel ends the answer (done, or an acknowledgement).
    /// - Throws: ``NetlinkError`` with the kernel's errno when it refuses the request (ENOENT
    ///   when the object asked for does not exist), else what `each` throws.
    func request(_ what: String, _ encode: (UInt32) -> [UInt8],
                 each: (UnsafePointer<nlmsghdr>) throws -> Void) throws {
        try state.withLock { state in
            let sequence = state.sequence
            state.sequence &+= 1
            let bytes = encode(sequence)
            let sent = bytes.withUnsafeBytes { mnl_socket_sendto(state.socket, $0.baseAddress, $0.count) }
            guard sent == bytes.count else { throw NetlinkError(operation: "send request to \(what)", errno: errno) }
            var buffer = [UInt8](repeating: 0, count: Self.receiveBufferSize)
            while true {
                let count = buffer.withUnsafeMutableBytes { mnl_socket_recvfrom(state.socket, $0.baseAddress, $0.count) }
                guard count >= 0 else {
                    if errno == EINTR { continue }
                    throw NetlinkError(operation: "read reply to \(what)", errno: errno)
                }
                var finished = false
                try buffer.withUnsafeBytes { raw in
                    for message in NetlinkMessages(raw[..<count]) where message.sequence == sequence {
                        switch Int32(message.type) {
                        case NLMSG_DONE:
                            finished = true
                        case NLMSG_ERROR:
                            finished = true
                            if message.errorCode != 0 { throw NetlinkError(operation: what, errno: message.errorCode) }
                        default:
                            guard let base = raw.baseAddress else { continue }
                            try each((base + message.offset).assumingMemoryBound(to: nlmsghdr.self))
                        }
                    }
                }
                if finished { return }
            }
        }
    }
}
