import NIOCore
import NIOPosix
import Synchronization

/// A UDP socket for tests: send datagrams, collect what comes back.
final class UDPClient: Sendable {
    private let channel: any Channel
    private let inbox: Inbox

    final class Inbox: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        private let datagrams = Mutex<[[UInt8]]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var envelope = unwrapInboundIn(data)
            let bytes = envelope.data.readBytes(length: envelope.data.readableBytes) ?? []
            datagrams.withLock { $0.append(bytes) }
        }

        var received: [[UInt8]] { datagrams.withLock { $0 } }
    }

    private init(channel: any Channel, inbox: Inbox) {
        self.channel = channel
        self.inbox = inbox
    }

    static func open() async throws -> UDPClient {
        let inbox = Inbox()
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(inbox) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return UDPClient(channel: channel, inbox: inbox)
    }

    func send(_ bytes: [UInt8], to port: Int, host: String = "127.0.0.1") async throws {
        let address = try SocketAddress(ipAddress: host, port: port)
        try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: bytes)))
    }

    var received: [[UInt8]] { inbox.received }

    func close() async { try? await channel.close() }
}
