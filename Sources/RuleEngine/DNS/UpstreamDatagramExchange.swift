import NIOCore
import NIOPosix
import Routing

/// One query to one upstream over UDP, on a socket of its own.
///
/// A fresh socket per query gives each query its own random source port, the other half of
/// the unpredictability (with the id) that keeps forged answers out (RFC 5452 §9.2). The socket
/// is connected, so the kernel drops datagrams from anyone but the upstream and reports a
/// refused port at once instead of leaving the query to time out.
enum UpstreamDatagramExchange {
    /// Sends `query` to `server` and returns the first datagram from it that answers the
    /// query's id.
    ///
    /// Cancellation closes the socket and ends the wait with an error.
    static func exchange(_ query: ByteBuffer, id: UInt16, with server: SocketAddress,
                         on eventLoop: any EventLoop) async throws -> ByteBuffer {
        let answer = eventLoop.makePromise(of: ByteBuffer.self)
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: eventLoop)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator.wholeDatagrams)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(AnswerHandler(id: id, answer: answer))
                    }
                }
                .connect(to: server).get()
        } catch {
            answer.fail(error)
            throw error
        }
        defer { channel.close(promise: nil) }
        return try await withTaskCancellationHandler {
            channel.writeAndFlush(AddressedEnvelope(remoteAddress: server, data: query)).whenFailure { answer.fail($0) }
            return try await answer.futureResult.get()
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    /// Completes the promise with the first datagram carrying the query's id, or with the
    /// socket's first error (a refused port) or its closing.
    fileprivate final class AnswerHandler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>

        private let id: UInt16
        private let answer: EventLoopPromise<ByteBuffer>
        private var isComplete = false

        init(id: UInt16, answer: EventLoopPromise<ByteBuffer>) {
            self.id = id
            self.answer = answer
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let datagram = unwrapInboundIn(data).data
            // Anything else is a stray or a forgery; keep waiting for the real answer.
            guard !isComplete, datagram.getInteger(at: datagram.readerIndex, as: UInt16.self) == id else { return }
            isComplete = true
            answer.succeed(datagram)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            complete(failing: error)
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            complete(failing: UpstreamError.closed)
            context.fireChannelInactive()
        }

        private func complete(failing error: any Error) {
            guard !isComplete else { return }
            isComplete = true
            answer.fail(error)
        }
    }
}

@available(*, unavailable)
extension UpstreamDatagramExchange.AnswerHandler: Sendable {}
