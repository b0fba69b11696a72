import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Routing
import Addressing

/// One UDP socket per address family, opened on first use; domain targets are resolved once per
/// path and remembered (a path lives as long as one client association).
final class DirectDatagramPath: DatagramPath {
    private struct State {
        var sockets: [Bool: any Channel] = [:]  // keyed by "is IPv4"
        var resolved: [String: SocketAddress] = [:]
        var isClosed = false
    }

    private let eventLoop: any EventLoop
    private let onReply: @Sendable (Target, ByteBuffer) -> Void
    private let socketMark: UInt32?
    private let state = NIOLockedValueBox(State())
    /// Domains resolved per path; a bound keeps a client from growing it without end.
    private static let maximumResolvedNames = 256

    private init(eventLoop: any EventLoop, socketMark: UInt32?, onReply: @escaping @Sendable (Target, ByteBuffer) -> Void) {
        self.eventLoop = eventLoop
        self.socketMark = socketMark
        self.onReply = onReply
    }

    /// - Parameter socketMark: the mark of the path's sockets (see ``DirectRouter/socketMark``).
    static func open(on eventLoop: any EventLoop, socketMark: UInt32?,
                     onReply: @escaping @Sendable (Target, ByteBuffer) -> Void) async throws -> DirectDatagramPath {
        DirectDatagramPath(eventLoop: eventLoop, socketMark: socketMark, onReply: onReply)
    }

    func send(_ payload: ByteBuffer, to target: Target) {
        // The common case, an address and a socket already open, stays on the caller's thread.
        if case .ip(let ip) = target.host, let socket = state.withLockedValue({ $0.sockets[ip.isIPv4] }),
           let address = target.socketAddress {
            socket.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: payload), promise: nil)
            return
        }
        // Otherwise a name to resolve or a socket to open first, as futures on the path's loop. A
        // name that does not resolve or a socket that cannot open drops the datagram, as UDP would.
        address(of: target).flatMap { address in
            self.socket(ipv4: address.protocol == .inet).map { socket in (socket, address) }
        }.whenSuccess { socket, address in
            socket.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: payload), promise: nil)
        }
    }

    func close() {
        let sockets = state.withLockedValue { s in
            s.isClosed = true
            defer { s.sockets = [:] }
            return Array(s.sockets.values)
        }
        for socket in sockets { socket.close(promise: nil) }
    }

    private func address(of target: Target) -> EventLoopFuture<SocketAddress> {
        switch target.host {
        case .ip:
            guard let address = target.socketAddress else {
                return eventLoop.makeFailedFuture(SocketAddressError.unknown(host: target.hostText, port: Int(target.port)))
            }
            return eventLoop.makeSucceededFuture(address)
        case .domain(let name):
            let key = "\(name):\(target.port)"
            if let known = state.withLockedValue({ $0.resolved[key] }) { return eventLoop.makeSucceededFuture(known) }
            // getaddrinfo blocks: run it on the thread pool, never on an event loop.
            return NIOThreadPool.singleton.runIfActive(eventLoop: eventLoop) {
                try SocketAddress.makeAddressResolvingHost(name, port: Int(target.port))
            }.map { resolved in
                self.state.withLockedValue { s in
                    if s.resolved.count >= Self.maximumResolvedNames { s.resolved.removeAll() }
                    s.resolved[key] = resolved
                }
                return resolved
            }
        }
    }

    private func socket(ipv4: Bool) -> EventLoopFuture<any Channel> {
        if let open = state.withLockedValue({ $0.sockets[ipv4] }) { return eventLoop.makeSucceededFuture(open) }
        let onReply = self.onReply
        var bootstrap = DatagramBootstrap(group: eventLoop)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator.wholeDatagrams)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ReplyHandler(onReply: onReply))
                }
            }
        if let socketMark { bootstrap = bootstrap.channelOption(DirectRouter.markOption, value: Int(socketMark)) }
        return bootstrap.bind(host: ipv4 ? "0.0.0.0" : "::", port: 0).flatMapThrowing { channel in
            let kept: (any Channel)? = self.state.withLockedValue { s in
                guard !s.isClosed else { return nil }
                if let raced = s.sockets[ipv4] { return raced }
                s.sockets[ipv4] = channel
                return channel
            }
            if kept !== channel { channel.close(promise: nil) }
            guard let kept else { throw ChannelError.ioOnClosedChannel }
            return kept
        }
    }

    /// Hands every datagram read to the path's reply callback.
    private final class ReplyHandler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let onReply: @Sendable (Target, ByteBuffer) -> Void

        init(onReply: @escaping @Sendable (Target, ByteBuffer) -> Void) { self.onReply = onReply }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            guard let source = Target(envelope.remoteAddress) else { return }
            onReply(source, envelope.data)
        }
    }
}
