package import NIOCore

/// One half of a relay between two channels on the same event loop: what this channel reads is
/// written to its partner, reading pauses while the partner cannot take more (back-pressure),
/// and an end of input is passed on as a half-close.
///
/// When one direction ends, the other gets ``halfCloseGrace`` to finish before both close, so a
/// peer that never closes cannot hold the flow open (reference §0.6).
package final class RelayHandler: ChannelDuplexHandler {
    package typealias InboundIn = ByteBuffer
    package typealias OutboundIn = ByteBuffer
    package typealias OutboundOut = ByteBuffer

    package static let halfCloseGrace = TimeAmount.seconds(30)

    /// Whether this side faces the client: its reads are uploads.
    private let facesClient: Bool
    private let ticket: FlowTicket
    private var partner: RelayHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false
    private var inputEnded = false
    private var graceTimer: Scheduled<Void>?

    private init(facesClient: Bool, ticket: FlowTicket) {
        self.facesClient = facesClient
        self.ticket = ticket
    }

    /// Two handlers joined to each other: first for the client side, second for the target side.
    package static func pair(ticket: FlowTicket) -> (client: RelayHandler, target: RelayHandler) {
        let client = RelayHandler(facesClient: true, ticket: ticket)
        let target = RelayHandler(facesClient: false, ticket: ticket)
        client.partner = target
        target.partner = client
        return (client, target)
    }

    package func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    package func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
        graceTimer?.cancel()
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let count = UInt64(buffer.readableBytes)
        if facesClient { ticket.count(up: count) } else { ticket.count(down: count) }
        partner?.partnerWrite(buffer)
    }

    package func channelReadComplete(context: ChannelHandlerContext) {
        partner?.partnerFlush()
    }

    package func channelInactive(context: ChannelHandlerContext) {
        partner?.partnerClose()
        ticket.finish()
        context.fireChannelInactive()
    }

    package func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case ChannelEvent.inputClosed:
            inputEnded = true
            partner?.partnerEndOutput()
        case is IdleStateHandler.IdleStateEvent:
            context.close(promise: nil)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    package func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    package func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { partner?.partnerBecameWritable() }
        context.fireChannelWritabilityChanged()
    }

    package func read(context: ChannelHandlerContext) {
        if partner?.isPartnerWritable ?? true {
            context.read()
        } else {
            pendingRead = true
        }
    }

    // MARK: calls from the partner

    private func partnerWrite(_ buffer: ByteBuffer) {
        context?.write(wrapOutboundOut(buffer), promise: nil)
    }

    private func partnerFlush() { context?.flush() }

    private var isPartnerWritable: Bool { context?.channel.isWritable ?? false }

    private func partnerBecameWritable() {
        guard pendingRead, let context else { return }
        pendingRead = false
        context.read()
    }

    private func partnerClose() { context?.close(promise: nil) }

    /// The partner's input ended: end our output; if ours ended too, the flow is over, otherwise
    /// give the other direction its grace period.
    private func partnerEndOutput() {
        guard let context else { return }
        context.close(mode: .output, promise: nil)
        if inputEnded {
            context.close(promise: nil)
        } else {
            let channel = context.channel
            graceTimer = context.eventLoop.scheduleTask(in: Self.halfCloseGrace) { channel.close(promise: nil) }
        }
    }
}
