import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request body arrives too slowly: a client that sends a head and
/// then a byte every few seconds would otherwise hold its connection (and a handler waiting for
/// the body) forever, since every body part counts as activity for the idle timeout.
///
/// The body gets `limit` from the end of its head, plus one second for every `bytesPerSecond`
/// bytes that arrive, so an upload that keeps up that rate (a large backup over a slow link) is
/// never cut, while a drip is cut after about `limit` (Apache's mod_reqtimeout measures a body
/// the same way). Time is the event loop's, so tests drive it with an embedded loop.
final class RequestBodyDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let limit: TimeAmount
    private let bytesPerSecond: Int
    /// When the body in progress must be complete; `nil` between requests.
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?

    init(limit: TimeAmount, bytesPerSecond: Int) {
        precondition(bytesPerSecond > 0, "the body rate must be positive")
        self.limit = limit
        self.bytesPerSecond = bytesPerSecond
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline = context.eventLoop.now + limit
            schedule(context)
        case .body(let buffer):
            // Earned time is added lazily: the timer re-arms itself when it fires early.
            deadline = deadline.map { $0 + .nanoseconds(Int64(buffer.readableBytes) * 1_000_000_000 / Int64(bytesPerSecond)) }
        case .end:
            deadline = nil
            timer?.cancel()
            timer = nil
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    private func schedule(_ context: ChannelHandlerContext) {
        guard timer == nil, let deadline else { return }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.timer = nil
            handler.expire(context)
        }
    }

    private func expire(_ context: ChannelHandlerContext) {
        guard let deadline else { return }  // the body ended meanwhile
        if context.eventLoop.now < deadline {
            schedule(context)
        } else {
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension RequestBodyDeadline: Sendable {}
