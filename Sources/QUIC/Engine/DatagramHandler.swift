import Logging
import NIOCore

/// Hands each UDP payload from the connection's socket to its engine, and lets the engine write
/// once per read burst rather than once per packet.
final class DatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let engine: NgtcpConnection

    init(engine: NgtcpConnection) {
        self.engine = engine
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard envelope.remoteAddress == engine.remote else { return }  // one peer per socket; others are noise
        engine.receive(envelope.data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        engine.afterIO()
    }

    func channelInactive(context: ChannelHandlerContext) {
        engine.terminate(QUICError(.connectionClosed, "the UDP socket closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP errors surface here (port unreachable); QUIC's own timers decide when to give up.
        engine.logger.debug("quic.socket.error", metadata: ["quic.error": "\(error)"])
    }
}

@available(*, unavailable)
extension DatagramHandler: Sendable {}
