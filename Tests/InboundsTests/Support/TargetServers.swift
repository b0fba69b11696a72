import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A TCP server that sends back what it receives.
struct EchoServer {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start() async throws -> EchoServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Echo()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return EchoServer(channel: channel)
    }

    func stop() async { try? await channel.close() }

    private final class Echo: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { context.write(data, promise: nil) }
        func channelReadComplete(context: ChannelHandlerContext) { context.flush() }
        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case ChannelEvent.inputClosed = event { context.close(promise: nil) }
        }
    }
}

/// An HTTP/1.1 server (NIO's codec, keep-alive) answering `GET /bytes/N` with N bytes,
/// `GET /chunked/N` with N bytes in chunks of 1000, any request to `/length` with the number of
/// body bytes it received, and anything else with `hello`.
struct ByteServer {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    /// - Parameters:
    ///   - tls: serve HTTPS with this context.
    static func start(host: String = "127.0.0.1", tls: NIOSSLContext? = nil) async throws -> ByteServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Responder())
                }
            }
            .bind(host: host, port: 0).get()
        return ByteServer(channel: channel)
    }

    func stop() async { try? await channel.close() }

    private final class Responder: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        private var path = "/"
        private var bodyBytes = 0

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                path = head.uri
                bodyBytes = 0
            case .body(let body):
                bodyBytes += body.readableBytes
            case .end:
                respond(context)
            }
        }

        private func respond(_ context: ChannelHandlerContext) {
            var headers = HTTPHeaders()
            var body: ByteBuffer
            if path.hasPrefix("/chunked/"), let n = Int(path.dropFirst("/chunked/".count)) {
                headers.add(name: "Transfer-Encoding", value: "chunked")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
                var left = n
                while left > 0 {
                    let size = min(1000, left)
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(repeating: UInt8(ascii: "y"), count: size)))), promise: nil)
                    left -= size
                }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                return
            }
            if path.hasPrefix("/bytes/"), let n = Int(path.dropFirst("/bytes/".count)) {
                body = ByteBuffer(repeating: UInt8(ascii: "x"), count: n)
            } else if path == "/length" {
                body = ByteBuffer(string: "\(bodyBytes)")
            } else {
                body = ByteBuffer(string: "hello")
            }
            headers.add(name: "Content-Length", value: "\(body.readableBytes)")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

/// A UDP server that sends every datagram back to its sender.
struct UDPEchoServer {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start() async throws -> UDPEchoServer {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))  // whole datagrams
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Echo()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return UDPEchoServer(channel: channel)
    }

    func stop() async { try? await channel.close() }

    private final class Echo: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.writeAndFlush(data, promise: nil)
        }
    }
}
