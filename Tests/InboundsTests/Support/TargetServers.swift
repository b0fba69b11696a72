import NIOCore
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

/// An HTTP/1.1 server answering `GET /bytes/N` with N bytes (keep-alive), `GET /chunked/N`
/// with N bytes in chunks of 1000, and anything else with `hello`.
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
                    try channel.pipeline.syncOperations.addHandler(Responder())
                }
            }
            .bind(host: host, port: 0).get()
        return ByteServer(channel: channel)
    }

    func stop() async { try? await channel.close() }

    /// Reads request heads by their blank line (no bodies) and answers each.
    private final class Responder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private var pending = ByteBuffer()

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var incoming = unwrapInboundIn(data)
            pending.writeBuffer(&incoming)
            while let view = pending.readableBytesView.firstRange(of: Array("\r\n\r\n".utf8)) {
                let length = view.upperBound - pending.readerIndex
                let head = pending.readString(length: length) ?? ""
                let path = head.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
                var response: ByteBuffer
                if path.hasPrefix("/chunked/"), let n = Int(path.dropFirst("/chunked/".count)) {
                    response = ByteBuffer(string: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                    var left = n
                    while left > 0 {
                        let size = min(1000, left)
                        response.writeString(String(size, radix: 16) + "\r\n")
                        response.writeRepeatingByte(UInt8(ascii: "y"), count: size)
                        response.writeString("\r\n")
                        left -= size
                    }
                    response.writeString("0\r\n\r\n")
                } else {
                    var body = ByteBuffer(string: "hello")
                    if path.hasPrefix("/bytes/"), let n = Int(path.dropFirst("/bytes/".count)) {
                        body = ByteBuffer(repeating: UInt8(ascii: "x"), count: n)
                    }
                    response = ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: \(body.readableBytes)\r\nContent-Type: application/octet-stream\r\n\r\n")
                    response.writeBuffer(&body)
                }
                context.writeAndFlush(wrapOutboundOut(response), promise: nil)
            }
        }
    }
}

/// A UDP server that sends every datagram back to its sender.
struct UDPEchoServer {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start() async throws -> UDPEchoServer {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
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
