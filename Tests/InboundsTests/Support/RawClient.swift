import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A TCP client for byte-level tests: send bytes, read what comes back, see the close.
final class RawClient: Sendable {
    private let channel: any Channel
    private let inbox: Inbox

    /// Bytes received and not yet read, and whether the server closed.
    final class Inbox: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        private let state = Mutex<(bytes: [UInt8], closed: Bool)>(([], false))

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            state.withLock { $0.bytes += bytes }
        }

        func channelInactive(context: ChannelHandlerContext) { state.withLock { $0.closed = true } }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case ChannelEvent.inputClosed = event { state.withLock { $0.closed = true } }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }

        func take(_ count: Int) -> [UInt8] {
            state.withLock { s in
                let taken = Array(s.bytes.prefix(count))
                s.bytes.removeFirst(taken.count)
                return taken
            }
        }

        var isClosed: Bool { state.withLock { $0.closed && $0.bytes.isEmpty } }
        var sawClose: Bool { state.withLock { $0.closed } }
    }

    private init(channel: any Channel, inbox: Inbox) {
        self.channel = channel
        self.inbox = inbox
    }

    /// Connects to `127.0.0.1:port`, through TLS (any certificate) when `tls` is true.
    static func connect(port: Int, tls: Bool = false) async throws -> RawClient {
        let inbox = Inbox()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if tls {
                        var configuration = TLSConfiguration.makeClientConfiguration()
                        configuration.certificateVerification = .none
                        let context = try NIOSSLContext(configuration: configuration)
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                    }
                    try channel.pipeline.syncOperations.addHandler(inbox)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawClient(channel: channel, inbox: inbox)
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// The next `count` bytes; fewer only when the server closed first or `limit` passed.
    func read(_ count: Int, within limit: Duration = .seconds(10)) async -> [UInt8] {
        var out: [UInt8] = []
        let end = ContinuousClock.now.advanced(by: limit)
        while out.count < count, ContinuousClock.now < end {
            out += inbox.take(count - out.count)
            if out.count < count {
                if inbox.isClosed { break }
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
        return out
    }

    /// Whether the server closed the connection within `limit`.
    func closedByServer(within limit: Duration = .seconds(10)) async -> Bool {
        let end = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < end {
            if inbox.sawClose { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return inbox.sawClose
    }

    func close() async { try? await channel.close() }

    /// A SOCKS5 handshake with username/password and a CONNECT to `127.0.0.1:port`; returns the
    /// reply code (0 = succeeded), or nil when the server closed before replying.
    func socks5Connect(user: String?, password: String = "", port targetPort: Int) async throws -> UInt8? {
        if let user {
            try await send([5, 1, 2])
            guard await read(2) == [5, 2] else { return nil }
            try await send([1, UInt8(user.utf8.count)] + Array(user.utf8) + [UInt8(password.utf8.count)] + Array(password.utf8))
            guard await read(2) == [1, 0] else { return nil }
        } else {
            try await send([5, 1, 0])
            guard await read(2) == [5, 0] else { return nil }
        }
        try await send([5, 1, 0, 1, 127, 0, 0, 1, UInt8(targetPort >> 8), UInt8(targetPort & 0xff)])
        let reply = await read(10)
        return reply.count == 10 ? reply[1] : nil
    }
}
