import Access
import NIOCore
import NIOHTTP1

/// The handlers of an HTTP proxy connection: NIO's HTTP/1 parser, then ``HTTPProxyHandler``.
enum HTTPProxyPipeline {
    /// Longest request head accepted; NIO's parser refuses longer ones.
    static func configure(_ pipeline: ChannelPipeline.SynchronousOperations, listener: ListenerContext) throws {
        let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
        let encoder = HTTPResponseEncoder()
        try pipeline.addHandler(decoder)
        try pipeline.addHandler(encoder)
        try pipeline.addHandler(HTTPProxyHandler(listener: listener, decoder: decoder, encoder: encoder))
    }
}

/// Counts the raw bytes of a connection on its flow ticket (plain HTTP forwarding, where the
/// bytes pass through parsers instead of a relay).
final class TicketMeter: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let ticket: FlowTicket
    init(ticket: FlowTicket) { self.ticket = ticket }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        ticket.count(up: UInt64(unwrapInboundIn(data).readableBytes))
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        ticket.count(down: UInt64(unwrapOutboundIn(data).readableBytes))
        context.write(data, promise: promise)
    }
}
