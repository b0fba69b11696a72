import Crypto
import NIOCore
import NIOPosix
import QUIC
import Testing

/// A QUIC stream as a NIO channel, against our QUIC server over real sockets: bulk echo with
/// back-pressure on the connection's loop and on another, half-close both ways, resets, leftover
/// bytes, options, and a splice with a TCP connection.
@Suite("QUIC stream channel", .timeLimit(.minutes(1)))
struct QUICStreamChannelTests {
    @Test("4 MiB through the channel come back whole while writability turns off and on again",
          arguments: [false, true])
    func echoesLargeStream(onConnectionLoop: Bool) async throws {
        var configuration = QUICConfiguration()
        configuration.streamReceiveWindow = 256 << 10  // small windows: the transfer needs credit many times over
        configuration.connectionReceiveWindow = 512 << 10
        let (server, task) = try await QUICServerTests.echoServer(configuration: configuration)
        let connection = try await QUICServerTests.connect(to: server, configuration: configuration)
        let otherLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = onConnectionLoop ? connection.eventLoop : otherLoop.next()
        let channel = try await QUICStreamChannel.make(stream: connection.openBidirectionalStream(), on: loop).get()
        #expect(channel.eventLoop === loop)
        #expect(channel.isActive)
        #expect(channel.remoteAddress == connection.remoteAddress)

        let content = QUICServerTests.content(count: 4 << 20)
        let body = ByteBuffer(bytes: content)
        let done = loop.makePromise(of: Pump.Result.self)
        try await Self.start(channel, halfClosure: true) { Pump(body: body, done: done) }
        let result = try await done.futureResult.get()
        #expect(result.count == body.readableBytes)
        #expect(result.digest == Array(SHA256.hash(data: content)))
        #expect(result.turnedUnwritable > 0)
        #expect(result.turnedWritable == result.turnedUnwritable)
        try await channel.closeFuture.get()
        #expect(!channel.isActive)

        await connection.close()
        await server.close()
        await task.value
        try await otherLoop.shutdownGracefully()
    }

    @Test("with remote half-closure, the peer's FIN is inputClosed and the channel still writes, then ends with FIN")
    func halfClosedByPeer() async throws {
        let (server, served) = try await Self.serveOneStream { stream in
            let first = try #require(try await stream.read())
            try await stream.write(ByteBuffer(string: "pong"), finish: true)
            return String(buffer: first) + (try await Self.readToEnd(stream))
        }
        let connection = try await QUICServerTests.connect(to: server)
        let channel = try await QUICStreamChannel.make(stream: connection.openBidirectionalStream(), on: Self.otherLoop(than: connection)).get()
        let done = channel.eventLoop.makePromise(of: Recorder.Record.self)
        try await Self.start(channel, halfClosure: true) {
            Recorder(done: done, onInputClosed: { context in
                context.writeAndFlush(NIOAny(ByteBuffer(string: "after")), promise: nil)
                context.close(mode: .output, promise: nil)  // both directions done: the channel closes
            })
        }
        try await channel.writeAndFlush(ByteBuffer(string: "ping"))
        let record = try await done.futureResult.get()
        #expect(record.text == "pong")
        #expect(record.events == ["inputClosed", "inactive"])
        #expect(try await served.value == "pingafter <fin>")
        try await channel.closeFuture.get()
        await connection.close()
        await server.close()
    }

    @Test("without remote half-closure, the peer's FIN closes the channel, which finishes its side cleanly")
    func closedByPeerFinish() async throws {
        let (server, served) = try await Self.serveOneStream { stream in
            let first = try #require(try await stream.read())
            try await stream.write(ByteBuffer(string: "pong"), finish: true)
            return String(buffer: first) + (try await Self.readToEnd(stream))
        }
        let connection = try await QUICServerTests.connect(to: server)
        let channel = try await QUICStreamChannel.make(stream: connection.openBidirectionalStream(), on: Self.otherLoop(than: connection)).get()
        let done = channel.eventLoop.makePromise(of: Recorder.Record.self)
        try await Self.start(channel, halfClosure: false) { Recorder(done: done) }
        try await channel.writeAndFlush(ByteBuffer(string: "ping"))
        let record = try await done.futureResult.get()
        #expect(record.text == "pong")
        #expect(record.events == ["inactive"])
        #expect(try await served.value == "ping <fin>")
        try await channel.closeFuture.get()
        await connection.close()
        await server.close()
    }

    @Test("a stream the peer resets is an error caught, then the channel closes")
    func resetByPeer() async throws {
        let (server, served) = try await Self.serveOneStream { stream in
            _ = try await stream.read()
            await stream.reset(errorCode: 0x101)
        }
        let connection = try await QUICServerTests.connect(to: server)
        let channel = try await QUICStreamChannel.make(stream: connection.openBidirectionalStream(), on: connection.eventLoop).get()
        let done = channel.eventLoop.makePromise(of: Recorder.Record.self)
        try await Self.start(channel, halfClosure: true) { Recorder(done: done) }
        try await channel.writeAndFlush(ByteBuffer(string: "ping"))
        let record = try await done.futureResult.get()
        #expect(record.events == ["error", "inactive"])
        #expect(record.errors.map { ($0 as? QUICError)?.code } == [.streamReset])
        try await channel.closeFuture.get()
        try await served.value
        await connection.close()
        await server.close()
    }

    @Test("closing before the peer finished resets the stream, as TCP sends RST")
    func closeResets() async throws {
        let (server, served) = try await Self.serveOneStream { stream in
            let first = try #require(try await stream.read())
            try await stream.write(first)
            return try await Self.readToEnd(stream)
        }
        let connection = try await QUICServerTests.connect(to: server)
        let channel = try await QUICStreamChannel.make(stream: connection.openBidirectionalStream(), on: Self.otherLoop(than: connection)).get()
        let done = channel.eventLoop.makePromise(of: Recorder.Record.self)
        try await Self.start(channel, halfClosure: true) {
            Recorder(done: done, onRead: { context in context.close(promise: nil) })
        }
        try await channel.writeAndFlush(ByteBuffer(string: "ping"))
        let record = try await done.futureResult.get()
        #expect(record.text == "ping")
        #expect(record.events == ["inactive"])
        #expect(try await served.value == " <reset>")
        await connection.close()
        await server.close()
    }

    @Test("leftover bytes come first, then the stream's")
    func leftoverFirst() async throws {
        let (server, served) = try await Self.serveOneStream { stream in
            let first = try #require(try await stream.read())
            try await stream.write(ByteBuffer(string: "from the stream"), finish: true)
            return String(buffer: first)
        }
        let connection = try await QUICServerTests.connect(to: server)
        let stream = try await connection.openBidirectionalStream()
        try await stream.write(ByteBuffer(string: "hello"))
        #expect(try await served.value == "hello")
        let channel = try await QUICStreamChannel.make(stream: stream, leftover: ByteBuffer(string: "left over, "),
                                                       on: Self.otherLoop(than: connection)).get()
        let done = channel.eventLoop.makePromise(of: Recorder.Record.self)
        try await Self.start(channel, halfClosure: true) {
            Recorder(done: done, onInputClosed: { context in context.close(promise: nil) })
        }
        let record = try await done.futureResult.get()
        #expect(record.text == "left over, from the stream")
        #expect(record.events == ["inputClosed", "inactive"])
        await connection.close()
        await server.close()
    }

    @Test("options: the known ones read back, socket options are ignored, others cannot be read; misuse fails as NIO's does")
    func optionsAndMisuse() async throws {
        let (server, task) = try await QUICServerTests.echoServer()
        let connection = try await QUICServerTests.connect(to: server)
        let channel = try await QUICStreamChannel.make(stream: connection.openBidirectionalStream(), on: connection.eventLoop).get()
        #expect(try await channel.getOption(.autoRead).get() == false)
        #expect(try await channel.getOption(.allowRemoteHalfClosure).get() == false)
        try await channel.setOption(.socketOption(.tcp_nodelay), value: 1).get()
        await #expect(throws: ChannelError.operationUnsupported) { try await channel.getOption(.socketOption(.tcp_nodelay)).get() }
        let mark = ChannelOptions.Types.WriteBufferWaterMark(low: 1, high: 2)
        try await channel.setOption(.writeBufferWaterMark, value: mark).get()
        let readBack = try await channel.getOption(.writeBufferWaterMark).get()
        #expect(readBack.low == mark.low && readBack.high == mark.high)
        #expect(try await channel.getOption(.bufferedWritableBytes).get() == 0)
        #expect(try await channel.eventLoop.submit { try channel.syncOptions?.getOption(.allowRemoteHalfClosure) }.get() == false)

        await #expect(throws: ChannelError.operationUnsupported) { try await channel.close(mode: .input) }
        try await channel.writeAndFlush(IOData.byteBuffer(ByteBuffer(string: "last")))  // as HTTPRequestEncoder writes
        try await channel.close(mode: .output)
        await #expect(throws: ChannelError.outputClosed) { try await channel.writeAndFlush(ByteBuffer(string: "late")) }
        await #expect(throws: ChannelError.outputClosed) { try await channel.close(mode: .output) }
        #expect(channel.isActive)
        try await channel.close()
        await #expect(throws: ChannelError.alreadyClosed) { try await channel.close() }
        await #expect(throws: ChannelError.ioOnClosedChannel) { try await channel.writeAndFlush(ByteBuffer(string: "closed")) }
        await #expect(throws: ChannelError.ioOnClosedChannel) { try await channel.setOption(.autoRead, value: true).get() }
        #expect(!channel.isActive)
        try await channel.closeFuture.get()

        await connection.close()
        await server.close()
        await task.value
    }

    @Test("spliced with a TCP connection, 1 MiB goes TCP to stream to QUIC echo and back, and both close after the half-closes")
    func splicesWithTCP() async throws {
        let (server, task) = try await QUICServerTests.echoServer()
        let connection = try await QUICServerTests.connect(to: server)
        let (quicChannels, opened) = AsyncStream<any Channel>.makeStream()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { child in
                child.eventLoop.makeFutureWithTask { try await connection.openBidirectionalStream() }
                    .flatMap { QUICStreamChannel.make(stream: $0, on: child.eventLoop) }
                    .flatMap { quic in
                        opened.yield(quic)
                        let (tcpSide, quicSide) = GlueHandler.matchedPair()
                        do {
                            try child.pipeline.syncOperations.addHandler(tcpSide)
                            try quic.pipeline.syncOperations.addHandler(quicSide)
                        } catch {
                            return child.eventLoop.makeFailedFuture(error)
                        }
                        return quic.setOption(.allowRemoteHalfClosure, value: true).flatMap { quic.setOption(.autoRead, value: true) }
                    }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connect(to: try #require(listener.localAddress)) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
        let body = QUICServerTests.content(count: 1 << 20)
        let echoed = try await client.executeThenClose { inbound, outbound in
            async let sent: Void = {
                for offset in stride(from: 0, to: body.count, by: 32 << 10) {
                    try await outbound.write(ByteBuffer(bytes: body[offset..<min(offset + 32 << 10, body.count)]))
                }
                outbound.finish()  // a TCP half-close, which the stream passes on as FIN
            }()
            var hasher = SHA256()
            var count = 0
            for try await chunk in inbound {
                count += chunk.readableBytes
                chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            }
            try await sent
            return (count: count, digest: Array(hasher.finalize()))
        }
        #expect(echoed.count == body.count)
        #expect(echoed.digest == Array(SHA256.hash(data: body)))
        var iterator = quicChannels.makeAsyncIterator()
        let quic = try #require(await iterator.next())
        try await quic.closeFuture.get()

        try await listener.close()
        await connection.close()
        await server.close()
        await task.value
    }

    // MARK: helpers

    /// A server whose first client stream is handed to `body`; the task returns what it returns.
    static func serveOneStream<T: Sendable>(_ body: @escaping @Sendable (QUICStream) async throws -> T) async throws
        -> (server: QUICServer, served: Task<T, any Error>)
    {
        let server = try await QUICServer.bind(to: QUICServerTests.loopback, identity: QUICServerTests.identity(),
                                               logger: QUICServerTests.logger)
        let served = Task {
            for await connection in server.connections {
                guard let stream = try await connection.acceptStream() else { break }
                return try await body(stream)
            }
            throw QUICError(.connectionClosed, "the server closed before a stream arrived")
        }
        return (server, served)
    }

    /// The rest of `stream` as text, then how it ended: ` <fin>` or ` <reset>`.
    static func readToEnd(_ stream: QUICStream) async throws -> String {
        var text = ""
        do {
            while let chunk = try await stream.read() { text += String(buffer: chunk) }
            return text + " <fin>"
        } catch let error as QUICError where error.code == .streamReset {
            return text + " <reset>"
        }
    }

    /// A loop of the shared group other than the connection's (the group has one per core).
    static func otherLoop(than connection: QUICConnection) -> any EventLoop {
        MultiThreadedEventLoopGroup.singleton.makeIterator().first { $0 !== connection.eventLoop } ?? connection.eventLoop
    }

    /// Adds the handler `make` builds on the channel's loop, then sets half-closure and turns
    /// reading on, in the order a router's caller does.
    static func start(_ channel: any Channel, halfClosure: Bool, _ make: @escaping @Sendable () -> any ChannelHandler) async throws {
        try await channel.eventLoop.submit { try channel.pipeline.syncOperations.addHandler(make()) }
            .flatMap { channel.setOption(.allowRemoteHalfClosure, value: halfClosure) }
            .flatMap { channel.setOption(.autoRead, value: true) }
            .get()
    }
}

/// Writes `body` in 64 KiB pieces while the channel is writable, then half-closes; hashes what
/// comes back and reports once the channel closes.
final class Pump: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct Result: Sendable {
        var count = 0
        var digest: [UInt8] = []
        var turnedUnwritable = 0
        var turnedWritable = 0
    }

    private let body: ByteBuffer
    private let done: EventLoopPromise<Result>
    private var offset = 0
    private var hasher = SHA256()
    private var result = Result()
    private var isPumping = false
    private var pumpsAgain = false

    init(body: ByteBuffer, done: EventLoopPromise<Result>) {
        self.body = body
        self.done = done
    }

    func handlerAdded(context: ChannelHandlerContext) { pump(context: context) }

    /// Writes while writable; a writability change inside a flush asks for another round
    /// instead of nesting.
    private func pump(context: ChannelHandlerContext) {
        guard !isPumping else {
            pumpsAgain = true
            return
        }
        isPumping = true
        defer { isPumping = false }
        repeat {
            pumpsAgain = false
            var wrote = false
            while offset < body.readableBytes, context.channel.isWritable {
                let length = min(64 << 10, body.readableBytes - offset)
                context.write(wrapOutboundOut(body.getSlice(at: offset, length: length)!), promise: nil)
                offset += length
                wrote = true
            }
            if wrote { context.flush() }
        } while pumpsAgain
        if offset == body.readableBytes {
            offset += 1  // once
            context.close(mode: .output, promise: nil)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            result.turnedWritable += 1
            pump(context: context)
        } else {
            result.turnedUnwritable += 1
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let chunk = unwrapInboundIn(data)
        result.count += chunk.readableBytes
        chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
    }

    /// Our FIN went first, so the peer's FIN closes the channel (no inputClosed): the end.
    func channelInactive(context: ChannelHandlerContext) {
        result.digest = Array(hasher.finalize())
        done.succeed(result)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        done.fail(error)
    }
}

/// Records what reaches it, reacting to reads and the end of input as told, and reports when the
/// channel goes inactive.
final class Recorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    struct Record: Sendable {
        var bytes = ByteBuffer()
        var events: [String] = []
        var errors: [any Error] = []
        var text: String { String(buffer: bytes) }
    }

    private let done: EventLoopPromise<Record>
    private let onRead: (ChannelHandlerContext) -> Void
    private let onInputClosed: (ChannelHandlerContext) -> Void
    private var record = Record()

    init(done: EventLoopPromise<Record>, onRead: @escaping (ChannelHandlerContext) -> Void = { _ in },
         onInputClosed: @escaping (ChannelHandlerContext) -> Void = { _ in }) {
        self.done = done
        self.onRead = onRead
        self.onInputClosed = onInputClosed
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var chunk = unwrapInboundIn(data)
        record.bytes.writeBuffer(&chunk)
        onRead(context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case ChannelEvent.inputClosed = event else { return }
        record.events.append("inputClosed")
        onInputClosed(context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        record.events.append("error")
        record.errors.append(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        record.events.append("inactive")
        done.succeed(record)
    }
}

/// Joins two channels on one loop (NIO's GlueHandler pattern): reads go to the partner, reading
/// waits while the partner is not writable, an end of input half-closes the partner, and a
/// partner that closes closes this side once its writes are out.
final class GlueHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var partner: GlueHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false

    static func matchedPair() -> (GlueHandler, GlueHandler) {
        let first = GlueHandler(), second = GlueHandler()
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner?.context?.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.context?.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        guard let other = partner?.context else { return }
        other.writeAndFlush(NIOAny(ByteBuffer())).assumeIsolated().whenComplete { _ in other.close(promise: nil) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            partner?.context?.close(mode: .output, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, let other = partner, other.pendingRead {
            other.pendingRead = false
            other.context?.read()
        }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if partner?.context?.channel.isWritable ?? false {
            context.read()
        } else {
            pendingRead = true
        }
    }
}
