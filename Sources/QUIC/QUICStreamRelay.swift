public import NIOCore

/// Relays bytes between a QUIC stream and a channel (a target's TCP connection, or another
/// stream) on the event loop both share, without a task hop. The channel does not read by itself
/// (`autoRead` is off): it reads again once QUIC has taken the previous bytes, and the stream is
/// read again once the channel has taken its last bytes, so each side paces the other.
///
/// A FIN on either side half-closes the other; a reset stream, a channel error or the idle timer
/// ends both. Counts bytes from the stream as `up` and to it as `down`.
public final class QUICStreamRelay: ChannelInboundHandler {
    public typealias InboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private let stream: QUICStream
    private let count: @Sendable (_ up: UInt64, _ down: UInt64) -> Void
    private var leftover: ByteBuffer?
    /// Stream writes not yet taken by QUIC; TCP is read again when this drops to zero.
    private var pendingStreamWrites = 0
    private var wantsRead = false
    private var isStreamFinished = false
    private var isTargetFinished = false
    private var isClosed = false

    /// - Parameters:
    ///   - leftover: bytes the client sent after its request (fast open); written to the target first.
    public init(stream: QUICStream, leftover: ByteBuffer?, count: @escaping @Sendable (UInt64, UInt64) -> Void) {
        self.stream = stream
        self.leftover = leftover
        self.count = count
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if let leftover, leftover.readableBytes > 0 {
            count(UInt64(leftover.readableBytes), 0)
            context.writeAndFlush(Self.wrapOutboundOut(leftover), promise: nil)
        }
        leftover = nil
        pumpFromStream(context: context)
        context.read()
    }

    // MARK: target -> client

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = Self.unwrapInboundIn(data)
        count(0, UInt64(bytes.readableBytes))
        pendingStreamWrites += 1
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        stream.writeFuture(bytes).whenComplete { result in
            let (relay, context) = loopBound.value
            relay.pendingStreamWrites -= 1
            switch result {
            case .success:
                if relay.pendingStreamWrites == 0, relay.wantsRead, !relay.isClosed {
                    relay.wantsRead = false
                    context.read()
                }
            case .failure:
                relay.abort(context: context)
            }
        }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        // The next read waits while QUIC still has our bytes: that is the back-pressure towards the target.
        if pendingStreamWrites > 0 { wantsRead = true } else { context.read() }
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case ChannelEvent.inputClosed:
            isTargetFinished = true
            stream.writeFuture(ByteBuffer(), finish: true).whenFailure { _ in }  // a reset stream is handled by the reader
            closeIfDone(context: context)
        case is IdleStateHandler.IdleStateEvent:
            abort(context: context)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    // MARK: client -> target

    private func pumpFromStream(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        stream.readFuture().whenComplete { result in
            let (relay, context) = loopBound.value
            guard !relay.isClosed else { return }
            switch result {
            case .success(.some(let bytes)):
                relay.count(UInt64(bytes.readableBytes), 0)
                context.writeAndFlush(Self.wrapOutboundOut(bytes)).whenComplete { written in
                    let (relay, context) = loopBound.value
                    if case .success = written { relay.pumpFromStream(context: context) } else { relay.abort(context: context) }
                }
            case .success(.none):
                relay.isStreamFinished = true
                context.close(mode: .output, promise: nil)
                relay.closeIfDone(context: context)
            case .failure:
                relay.abort(context: context)
            }
        }
    }

    // MARK: ending

    public func channelInactive(context: ChannelHandlerContext) {
        if !isClosed, !isTargetFinished {
            // Once our output is shut, NIO reports the target's FIN as the channel closing (no
            // inputClosed), and a reset as an error first (which aborted already).
            if isStreamFinished {
                stream.writeFuture(ByteBuffer(), finish: true).whenFailure { _ in }
            } else {
                stream.resetNow()
            }
        }
        isClosed = true
        context.fireChannelInactive()
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        abort(context: context)
    }

    private func closeIfDone(context: ChannelHandlerContext) {
        guard isStreamFinished, isTargetFinished, !isClosed else { return }
        isClosed = true
        context.close(promise: nil)
    }

    private func abort(context: ChannelHandlerContext) {
        guard !isClosed else { return }
        isClosed = true
        stream.resetNow()
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension QUICStreamRelay: Sendable {}
