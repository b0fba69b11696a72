import Addressing
import NIOCore
import Routing

/// One query to one upstream as DNS over TCP (RFC 1035 §4.2.2, RFC 7766), on a stream the
/// router opens along a rule's exit, so the query leaves where the rule's traffic leaves and
/// the answer suits that place.
enum UpstreamStreamExchange {
    /// Opens a stream to `target` for `flow`, sends `query` with its two-byte length and
    /// returns the first whole answer, without its length.
    ///
    /// Cancellation closes the stream and ends the wait with an error; a stream still being
    /// opened ends when the router gives up on it.
    static func exchange(_ query: ByteBuffer, to target: Target, for flow: Flow, through router: any FlowRouter,
                         on eventLoop: any EventLoop) async throws -> ByteBuffer {
        let channel = try await router.openStream(to: target, for: flow, on: eventLoop)
        defer { channel.close(promise: nil) }
        let answer = channel.eventLoop.makePromise(of: ByteBuffer.self)
        return try await withTaskCancellationHandler {
            do {
                try await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.addHandler(LengthPrefixedAnswerHandler(answer: answer))
                }.get()
            } catch {
                answer.fail(error)
                throw error
            }
            var framed = ByteBuffer()
            framed.writeInteger(UInt16(truncatingIfNeeded: query.readableBytes))
            framed.writeImmutableBuffer(query)
            channel.writeAndFlush(framed).whenFailure { answer.fail($0) }
            // The router hands the stream over with reading off, so no early byte is lost.
            channel.setOption(.autoRead, value: true).whenFailure { answer.fail($0) }
            return try await answer.futureResult.get()
        } onCancel: {
            channel.close(promise: nil)
            answer.fail(CancellationError())
        }
    }

    /// Gathers bytes until one length-prefixed message is whole. The prefix is 16 bits, so at
    /// most 65,537 bytes are ever held.
    fileprivate final class LengthPrefixedAnswerHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        private let answer: EventLoopPromise<ByteBuffer>
        private var received = ByteBuffer()
        private var isComplete = false

        init(answer: EventLoopPromise<ByteBuffer>) { self.answer = answer }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !isComplete else { return }
            var bytes = unwrapInboundIn(data)
            received.writeBuffer(&bytes)
            guard let length = received.getInteger(at: received.readerIndex, as: UInt16.self) else { return }
            guard length > 0 else { return complete(context, .failure(UpstreamError.emptyMessage)) }
            guard let message = received.getSlice(at: received.readerIndex + 2, length: Int(length)) else { return }
            complete(context, .success(message))
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            complete(context, .failure(error))
        }

        func channelInactive(context: ChannelHandlerContext) {
            if !isComplete {
                isComplete = true
                answer.fail(UpstreamError.closed)
            }
            context.fireChannelInactive()
        }

        private func complete(_ context: ChannelHandlerContext, _ result: Result<ByteBuffer, any Error>) {
            guard !isComplete else { return }
            isComplete = true
            answer.completeWith(result)
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension UpstreamStreamExchange.LengthPrefixedAnswerHandler: Sendable {}
