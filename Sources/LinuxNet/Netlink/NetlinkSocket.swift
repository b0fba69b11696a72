import CNftnl
import Foundation
import Synchronization
import SystemCalls

/// One netlink socket (rtnetlink or nfnetlink) and the request/answer exchange over it.
///
/// A netlink socket belongs to the network namespace it was opened in for its whole life, so a
/// socket opened through ``init(protocol:namespacePath:)`` works on another namespace's kernel
/// objects from any thread. Requests are serialised: one exchange at a time.
public final class NetlinkSocket: Sendable {
    /// Largest answer datagram we read at once; the kernel splits dumps to fit its own pages.
    static let receiveSize = 1 << 16

    private let descriptor: Int32
    private let nextSequence = Mutex<UInt32>(UInt32(truncatingIfNeeded: time(nil)))
    /// Serialises exchanges, so answers are never read by the wrong request.
    private let exchange = Mutex(())

    /// Opens a socket for `protocol` (`NETLINK_ROUTE`, `NETLINK_NETFILTER`) in the current network
    /// namespace, or in the one `namespacePath` names (`/run/netns/<name>`, `/proc/<pid>/ns/net`).
    public init(protocol netlinkProtocol: Int32, namespacePath: String? = nil) throws(NetlinkError) {
        let open: @Sendable () -> Result<Int32, NetlinkError> = {
            Result { () throws(NetlinkError) -> Int32 in
                let fd = try NetlinkError.call(on: "AF_NETLINK") { () throws(SystemCallError) in
                    try Posix.socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkProtocol)
                }
                do throws(SystemCallError) {
                    var address = sockaddr_nl()
                    address.nl_family = sa_family_t(AF_NETLINK)
                    try Posix.bind(fd, to: address)
                } catch {
                    _ = try? Posix.close(fd)  // the bind error is the one to report
                    throw .system("\(error.call)(AF_NETLINK)", error.errno)
                }
                // Errors carry the kernel's reason text where it gives one; older kernels lack it.
                _ = try? Posix.setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, Int32(1))
                return fd
            }
        }
        if let namespacePath {
            descriptor = try NetworkNamespace.run(in: namespacePath, open)
        } else {
            descriptor = try open().get()
        }
    }

    deinit { _ = try? Posix.close(descriptor) }  // nothing is buffered on a netlink socket

    /// The next sequence number for a request.
    func sequence() -> UInt32 {
        nextSequence.withLock { value in
            value &+= 1
            return value
        }
    }

    /// Sends `request` (one message or a batch of them) and reads answers until the kernel has
    /// acknowledged or finished every message whose sequence is in `expecting`.
    ///
    /// - Returns: the data messages of dumps, in order.
    /// - Throws: the first error the kernel reported, after reading every answer, so the socket
    ///   is left clean for the next exchange.
    func exchange(_ request: [UInt8], expecting sequences: Set<UInt32>) throws(NetlinkError) -> [NetlinkMessage] {
        try exchange.withLock { _ throws(NetlinkError) -> [NetlinkMessage] in
            try send(request)
            var pending = sequences
            var messages: [NetlinkMessage] = []
            var firstError: NetlinkError?
            var buffer = [UInt8](repeating: 0, count: Self.receiveSize)
            while !pending.isEmpty {
                let count = try NetlinkError.call(on: "netlink") { () throws(SystemCallError) in
                    try Posix.recv(descriptor, into: &buffer)
                }
                for message in try NetlinkMessage.split(buffer[0..<count]) where pending.contains(message.sequence) {
                    switch message.type {
                    case UInt16(NLMSG_DONE):
                        pending.remove(message.sequence)
                    case UInt16(NLMSG_ERROR):
                        pending.remove(message.sequence)
                        if let error = message.errorAnswer(), firstError == nil { firstError = error }
                    default:
                        messages.append(message)
                    }
                }
            }
            if let firstError { throw firstError }
            return messages
        }
    }

    /// Reserves `count` consecutive sequence numbers (a batch's messages) and returns the first.
    func sequences(_ count: UInt32) -> UInt32 {
        nextSequence.withLock { value in
            let first = value &+ 1
            value &+= count
            return first
        }
    }

    /// Sends an nfnetlink batch and returns the kernel's errno for every message in `expecting`
    /// (0: accepted), refusals included, so the caller can say which message failed.
    ///
    /// The socket's buffers are raised first: netlink refuses a datagram larger than the send
    /// buffer (a set of ten thousand ranges is most of a megabyte), and a refused batch echoes
    /// its messages back, which must not overflow the receive buffer (nft does the same).
    func answers(toBatch batch: [UInt8], expecting sequences: Set<UInt32>) throws(NetlinkError) -> [UInt32: Int32] {
        try exchange.withLock { _ throws(NetlinkError) -> [UInt32: Int32] in
            let size = Int32(clamping: batch.count * 2 + 65536)
            for option in [SO_SNDBUFFORCE, SO_RCVBUFFORCE] {
                // Forcing needs CAP_NET_ADMIN; without it the batch is tried with the buffers there are.
                _ = try? Posix.setsockopt(descriptor, SOL_SOCKET, option, size)
            }
            try send(batch)
            var answers: [UInt32: Int32] = [:]
            var buffer = [UInt8](repeating: 0, count: Self.receiveSize)
            while !sequences.isSubset(of: answers.keys) {
                let count = try NetlinkError.call(on: "netlink") { () throws(SystemCallError) in
                    try Posix.recv(descriptor, into: &buffer)
                }
                for message in try NetlinkMessage.split(buffer[0..<count])
                where message.type == UInt16(NLMSG_ERROR) && sequences.contains(message.sequence) {
                    answers[message.sequence] = message.errorAnswer()?.code ?? 0
                }
            }
            return answers
        }
    }

    private func send(_ bytes: [UInt8]) throws(NetlinkError) {
        var address = sockaddr_nl()
        address.nl_family = sa_family_t(AF_NETLINK)
        try NetlinkError.call(on: "netlink") { () throws(SystemCallError) in
            try Posix.sendto(descriptor, bytes, to: address)
        }
    }
}
