public import NIOCore
import Synchronization

/// A NIO `Channel` over one bidirectional ``QUICStream``, so a stream can stand where a TCP
/// channel does: a flow that leaves through a mesh peer hands this to the inbound, which splices
/// with it as with any target.
///
/// It behaves like a TCP socket channel: FIN is the half-close (`ChannelEvent.inputClosed` when
/// `allowRemoteHalfClosure` is on, otherwise the channel closes), a reset from the peer is an
/// error followed by close, and closing before the peer finished resets the stream (as TCP sends
/// RST when closed with unread data). Writes count against a write-buffer watermark until QUIC has
/// taken them, which is the back-pressure (``QUICStream/writeFuture(_:finish:)``).
///
/// The channel lives on the loop it was made for, which need not be the connection's: each read
/// and write hops to the connection's loop and back, and on the same loop neither hops.
///
/// - Important: `@unchecked Sendable` because all mutable state is confined to ``eventLoop``
///   (every `…0` method and callback runs there); what other threads read (`isActive`,
///   `isWritable`) is atomic, the rest is immutable after `init`.
public final class QUICStreamChannel: Channel, ChannelCore, @unchecked Sendable {
    /// The loop the channel and its pipeline run on.
    public let eventLoop: any EventLoop
    /// The allocator handlers use for their buffers.
    public let allocator = ByteBufferAllocator()
    /// Completes once the channel is closed and its handlers are removed.
    public var closeFuture: EventLoopFuture<Void> { closePromise.futureResult }
    /// The channel's pipeline; made in `init`, before the channel is shared, and never replaced.
    public private(set) lazy var pipeline = ChannelPipeline(channel: self)
    /// The QUIC peer's UDP address (the stream's far end is a peer, not the flow's target).
    public var remoteAddress: SocketAddress? { stream.connection.remoteAddress }
    /// `nil`: a QUIC connection does not expose its local address.
    public var localAddress: SocketAddress? { nil }
    /// `nil`: a stream channel is nobody's child.
    public var parent: (any Channel)? { nil }
    /// The channel itself: it is its own core, as NIO's `EmbeddedChannel` core is to it.
    public var _channelCore: any ChannelCore { self }
    /// Whether the channel is open; it is active from ``make(stream:leftover:on:)`` until closed.
    public var isActive: Bool { active.load(ordering: .relaxed) }
    /// Whether writes stay under the write-buffer watermark (see ``QUICStreamChannel``).
    public var isWritable: Bool { writable.load(ordering: .relaxed) }

    private let stream: QUICStream
    /// Told of each chunk read from (`received`) and written to (`sent`) the stream.
    private let count: (@Sendable (_ sent: UInt64, _ received: UInt64) -> Void)?
    private let closePromise: EventLoopPromise<Void>
    private let active = Atomic(true)
    private let writable = Atomic(true)

    // Loop-confined state.

    private var isOpen = true
    private var autoRead = false
    private var allowRemoteHalfClosure = false
    /// Bytes written and not yet taken by QUIC, against which ``isWritable`` is judged.
    private var waterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 128 << 10, high: 256 << 10)
    /// Bytes read from the stream before the channel existed; the first read delivers them.
    private var leftover: ByteBuffer?
    private var input = Input.open
    /// A stream read is in flight (at most one: the stream takes one reader).
    private var isReading = false
    /// Handlers are being told of a chunk; a `read()` from them waits until they are done.
    private var isDelivering = false
    /// A handler asked to read while a chunk was being delivered; the next read follows it.
    private var isReadRequested = false
    /// FIN is queued (by `close(mode: .output)` or a clean close); no more writes.
    private var isOutputClosed = false
    /// Writes not flushed yet, with their promises.
    private var unflushed = CircularBuffer<(data: ByteBuffer, promise: EventLoopPromise<Void>?)>()
    /// Bytes written (flushed or not) whose stream write has not completed; never negative.
    private var bufferedBytes = 0

    /// How the peer's direction of the stream ended, which decides whether closing resets.
    private enum Input {
        case open
        case finished
        case failed
    }

    private init(stream: QUICStream, leftover: ByteBuffer?, eventLoop: any EventLoop,
                 count: (@Sendable (UInt64, UInt64) -> Void)?) {
        self.stream = stream
        self.count = count
        self.leftover = leftover.flatMap { $0.readableBytes > 0 ? $0 : nil }
        self.eventLoop = eventLoop
        self.closePromise = eventLoop.makePromise()
        _ = pipeline  // made now, while no other thread can see the channel
    }

    /// Makes an active, registered channel for `stream` on `eventLoop`, with `autoRead` off and
    /// nothing in its pipeline: the caller adds its handlers and turns reading on, so no byte is
    /// lost (the `FlowRouter` contract).
    ///
    /// - Parameters:
    ///   - leftover: bytes already read from the stream (say after a Hysteria TCP response),
    ///     delivered before anything else read from it.
    ///   - eventLoop: any loop; the stream's connection may run on another.
    ///   - allowRemoteHalfClosure: the peer's FIN is an `inputClosed` event rather than the end of
    ///     the channel; the relays want it, as they get it from TCP targets.
    ///   - count: told the size of each chunk read and written, for traffic figures.
    public static func make(stream: QUICStream, leftover: ByteBuffer? = nil, on eventLoop: any EventLoop,
                            allowRemoteHalfClosure: Bool = false,
                            count: (@Sendable (_ sent: UInt64, _ received: UInt64) -> Void)? = nil) -> EventLoopFuture<any Channel> {
        @Sendable func activate() -> any Channel {
            let channel = QUICStreamChannel(stream: stream, leftover: leftover, eventLoop: eventLoop, count: count)
            channel.allowRemoteHalfClosure = allowRemoteHalfClosure
            channel.pipeline.syncOperations.fireChannelRegistered()
            channel.pipeline.syncOperations.fireChannelActive()
            return channel
        }
        if eventLoop.inEventLoop { return eventLoop.makeSucceededFuture(activate()) }
        return eventLoop.submit(activate)
    }

    // MARK: Channel

    /// Sets `option` on the channel's loop (at once when called there); see ``setOption0(_:value:)``.
    public func setOption<Option: ChannelOption>(_ option: Option, value: Option.Value) -> EventLoopFuture<Void> {
        if eventLoop.inEventLoop { return eventLoop.makeCompletedFuture { try setOption0(option, value: value) } }
        return eventLoop.submit { try self.setOption0(option, value: value) }
    }

    /// Reads `option` on the channel's loop (at once when called there); see ``getOption0(_:)``.
    public func getOption<Option: ChannelOption>(_ option: Option) -> EventLoopFuture<Option.Value> {
        if eventLoop.inEventLoop { return eventLoop.makeCompletedFuture { try getOption0(option) } }
        return eventLoop.submit { try self.getOption0(option) }
    }

    /// Options set and read on the channel's loop without a future.
    public var syncOptions: (any NIOSynchronousChannelOptions)? { SynchronousOptions(channel: self) }

    private struct SynchronousOptions: NIOSynchronousChannelOptions {
        let channel: QUICStreamChannel

        func setOption<Option: ChannelOption>(_ option: Option, value: Option.Value) throws {
            channel.eventLoop.preconditionInEventLoop()
            try channel.setOption0(option, value: value)
        }

        func getOption<Option: ChannelOption>(_ option: Option) throws -> Option.Value {
            channel.eventLoop.preconditionInEventLoop()
            return try channel.getOption0(option)
        }
    }

    /// Takes `autoRead`, `allowRemoteHalfClosure` and `writeBufferWaterMark`. Every other option
    /// is accepted and ignored: relays set TCP options (`socketOption(.tcp_nodelay)`, allocators)
    /// on whatever target they get, and those mean nothing to a QUIC stream.
    private func setOption0<Option: ChannelOption>(_ option: Option, value: Option.Value) throws {
        eventLoop.assertInEventLoop()
        guard isOpen else { throw ChannelError.ioOnClosedChannel }
        switch (option, value) {
        case (is ChannelOptions.Types.AutoReadOption, let on as Bool):
            let was = autoRead
            autoRead = on
            if on, !was { read0() }  // as NIO's sockets: the first read does not pass the pipeline
        case (is ChannelOptions.Types.AllowRemoteHalfClosureOption, let allow as Bool):
            allowRemoteHalfClosure = allow
        case (is ChannelOptions.Types.WriteBufferWaterMarkOption, let mark as ChannelOptions.Types.WriteBufferWaterMark):
            waterMark = mark
            updateWritability()
        default:
            break
        }
    }

    /// Reads the options ``setOption0(_:value:)`` takes, and `bufferedWritableBytes`.
    /// - Throws: `ChannelError.operationUnsupported` for any other option.
    private func getOption0<Option: ChannelOption>(_ option: Option) throws -> Option.Value {
        eventLoop.assertInEventLoop()
        guard isOpen else { throw ChannelError.ioOnClosedChannel }
        let value: (any Sendable)? = switch option {
        case is ChannelOptions.Types.AutoReadOption: autoRead
        case is ChannelOptions.Types.AllowRemoteHalfClosureOption: allowRemoteHalfClosure
        case is ChannelOptions.Types.WriteBufferWaterMarkOption: waterMark
        case is ChannelOptions.Types.BufferedWritableBytesOption: bufferedBytes
        default: nil
        }
        guard let value, let typed = value as? Option.Value else { throw ChannelError.operationUnsupported }
        return typed
    }

    // MARK: ChannelCore: reading

    /// Issues one stream read unless one is in flight or the input has ended; the leftover bytes,
    /// if any, are the first read.
    public func read0() {
        eventLoop.assertInEventLoop()
        guard isOpen, case .open = input else { return }
        if isDelivering {
            isReadRequested = true
            return
        }
        guard !isReading else { return }
        isReading = true
        if let leftover {
            self.leftover = nil
            deliver(.success(leftover))
            return
        }
        // On the connection's loop a ready read completes at once, so this may deliver before it
        // returns; it nests at most twice (data, then FIN or error), as nothing new arrives meanwhile.
        stream.readFuture().hop(to: eventLoop).whenComplete { result in self.deliver(result) }
    }

    /// Fires what one stream read returned: a chunk and read-complete (then reads on if asked or
    /// `autoRead`), the end of input, or an error and close.
    private func deliver(_ result: Result<ByteBuffer?, any Error>) {
        eventLoop.assertInEventLoop()
        isReading = false
        guard isOpen else { return }  // closed meanwhile: the stream was reset, its bytes go with it
        switch result {
        case .success(.some(let chunk)):
            isDelivering = true
            count?(0, UInt64(chunk.readableBytes))
            pipeline.syncOperations.fireChannelRead(NIOAny(chunk))
            pipeline.syncOperations.fireChannelReadComplete()
            isDelivering = false
            if isReadRequested {
                isReadRequested = false
                read0()
            } else if autoRead, isOpen {
                pipeline.syncOperations.read()  // through the handlers, which may hold it (back-pressure)
            }
        case .success(.none):
            input = .finished
            if allowRemoteHalfClosure, !isOutputClosed {
                pipeline.syncOperations.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
            } else {
                // As NIO's sockets: without half-closure, or with our side already finished, FIN ends the channel.
                closeAll(error: ChannelError.eof, promise: nil)
            }
        case .failure(let error):
            input = .failed
            pipeline.syncOperations.fireErrorCaught(error)
            if isOpen { closeAll(error: error, promise: nil) }
        }
    }

    // MARK: ChannelCore: writing

    /// Queues a `ByteBuffer` (or `IOData` holding one) until the next flush.
    public func write0(_ data: NIOAny, promise: EventLoopPromise<Void>?) {
        eventLoop.assertInEventLoop()
        guard isOpen else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        guard !isOutputClosed else {
            promise?.fail(ChannelError.outputClosed)
            return
        }
        let buffer: ByteBuffer
        if let bytes = tryUnwrapData(data, as: ByteBuffer.self) {
            buffer = bytes
        } else if case .byteBuffer(let bytes)? = tryUnwrapData(data, as: IOData.self) {
            buffer = bytes
        } else {
            promise?.fail(ChannelError.operationUnsupported)  // file regions: a stream has no file to send from
            return
        }
        unflushed.append((buffer, promise))
        bufferedBytes += buffer.readableBytes
        updateWritability()
    }

    /// Hands every queued write to the stream, in order; each promise completes once QUIC has
    /// taken its bytes. A failed write closes the channel, as a socket write error does.
    public func flush0() {
        eventLoop.assertInEventLoop()
        while isOpen, let (data, promise) = unflushed.popFirst() {
            let size = data.readableBytes
            count?(UInt64(size), 0)
            stream.writeFuture(data).hop(to: eventLoop).whenComplete { result in
                self.bufferedBytes -= size
                switch result {
                case .success:
                    promise?.succeed()
                    self.updateWritability()
                case .failure(let error):
                    promise?.fail(error)
                    if self.isOpen { self.closeAll(error: error, promise: nil) }
                }
            }
        }
    }

    /// Turns ``isWritable`` off above the high watermark and on again below the low one,
    /// telling the pipeline of each change.
    private func updateWritability() {
        guard isOpen else { return }
        let wasWritable = writable.load(ordering: .relaxed)
        let isNowWritable = wasWritable ? bufferedBytes <= waterMark.high : bufferedBytes < waterMark.low
        guard isNowWritable != wasWritable else { return }
        writable.store(isNowWritable, ordering: .relaxed)
        pipeline.syncOperations.fireChannelWritabilityChanged()
    }

    // MARK: ChannelCore: closing

    /// `.output` sends FIN after the queued writes (and closes the channel if the peer finished
    /// already); `.all` closes, resetting the stream unless the peer finished; `.input` fails with
    /// `ChannelError.operationUnsupported`. `promise` fails with `alreadyClosed` once closed, and
    /// with `outputClosed` for a second `.output`.
    public func close0(error: any Error, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        eventLoop.assertInEventLoop()
        guard isOpen else {
            promise?.fail(ChannelError.alreadyClosed)
            return
        }
        switch mode {
        case .all:
            closeAll(error: error, promise: promise)
        case .output:
            closeOutput(promise: promise)
        case .input:
            promise?.fail(ChannelError.operationUnsupported)
        }
    }

    private func closeOutput(promise: EventLoopPromise<Void>?) {
        guard !isOutputClosed else {
            promise?.fail(ChannelError.outputClosed)
            return
        }
        flush0()
        let finished = finishOutput()
        if case .finished = input {
            closeAll(error: ChannelError.outputClosed, promise: promise)  // both ways done, as NIO's sockets
            return
        }
        finished.whenComplete { result in
            switch result {
            case .success:
                promise?.succeed()
                if self.isOpen { self.pipeline.syncOperations.fireUserInboundEventTriggered(ChannelEvent.outputClosed) }
            case .failure(let error):
                promise?.fail(error)
                if self.isOpen { self.closeAll(error: error, promise: nil) }
            }
        }
    }

    /// Queues FIN behind every write already given to the stream.
    private func finishOutput() -> EventLoopFuture<Void> {
        isOutputClosed = true
        return stream.writeFuture(ByteBuffer(), finish: true).hop(to: eventLoop)
    }

    /// Closes both directions: a clean end (FIN) once the peer finished its side, a reset
    /// otherwise; fails the unflushed writes with `error`, then tells the pipeline.
    private func closeAll(error: any Error, promise: EventLoopPromise<Void>?) {
        isOpen = false
        active.store(false, ordering: .relaxed)
        let dropped = unflushed
        unflushed.removeAll()
        for write in dropped {
            bufferedBytes -= write.data.readableBytes
            write.promise?.fail(error)
        }
        switch input {
        case .finished:
            if !isOutputClosed { _ = finishOutput() }  // a failure means the stream is gone already
        case .open, .failed:
            stream.resetNow()
        }
        promise?.succeed()
        pipeline.syncOperations.fireChannelInactive()
        pipeline.syncOperations.fireChannelUnregistered()
        eventLoop.execute {
            // Later, as NIO's channels do: handlers may still be walking the pipeline.
            self.removeHandlers(pipeline: self.pipeline)
            self.closePromise.succeed()
        }
    }

    // MARK: ChannelCore: the rest

    /// The peer's UDP address.
    public func remoteAddress0() throws -> SocketAddress { stream.connection.remoteAddress }

    /// - Throws: `ChannelError.operationUnsupported`: the connection does not expose its local address.
    public func localAddress0() throws -> SocketAddress { throw ChannelError.operationUnsupported }

    /// Fails: the channel is registered from the start.
    public func register0(promise: EventLoopPromise<Void>?) {
        promise?.fail(ChannelError.inappropriateOperationForState)
    }

    /// Fails: the channel is registered from the start.
    public func registerAlreadyConfigured0(promise: EventLoopPromise<Void>?) {
        promise?.fail(ChannelError.inappropriateOperationForState)
    }

    /// Fails: a stream is bound by its connection.
    public func bind0(to: SocketAddress, promise: EventLoopPromise<Void>?) {
        promise?.fail(ChannelError.operationUnsupported)
    }

    /// Fails: a stream is connected by its connection.
    public func connect0(to: SocketAddress, promise: EventLoopPromise<Void>?) {
        promise?.fail(ChannelError.operationUnsupported)
    }

    /// Fails: the stream knows no outbound events.
    public func triggerUserOutboundEvent0(_ event: Any, promise: EventLoopPromise<Void>?) {
        promise?.fail(ChannelError.operationUnsupported)
    }

    /// Drops what reached the end of the pipeline unread.
    public func channelRead0(_ data: NIOAny) {}

    /// Drops errors no handler took.
    public func errorCaught0(error: any Error) {}
}
