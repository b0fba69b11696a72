package import NIOCore

/// Closes a client connection that has not finished its handshake (TLS, SOCKS5, HTTP request,
/// Shadowsocks header) in time, so a slow or silent client cannot hold a connection open.
///
/// First in the pipeline; the inbound fires ``HandshakeDeadline/Done`` from the pipeline's head
/// when the flow is admitted, which cancels the deadline.
package final class HandshakeDeadline: ChannelInboundHandler, RemovableChannelHandler {
    package typealias InboundIn = NIOAny

    /// The event that ends the deadline.
    package struct Done {}

    private let limit: TimeAmount
    private var timer: Scheduled<Void>?

    package init(limit: TimeAmount) { self.limit = limit }

    package func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: limit) { channel.close(promise: nil) }
    }

    package func handlerRemoved(context: ChannelHandlerContext) { timer?.cancel() }

    package func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is Done {
            timer?.cancel()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Tells the deadline of `channel` that its handshake is over.
    package static func finish(on channel: any Channel) {
        channel.pipeline.fireUserInboundEventTriggered(Done())
    }
}
