import AdminAPI
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import ScaleConfig
import Synchronization
import TestSupport
import Testing

/// Slow and silent clients of the admin API are let go: a connection that sends nothing, drips a
/// request head or body, or sits idle after its response is closed (found by the soak test: such
/// connections were held forever).
@Suite struct IdleConnectionTests {
    /// Long enough that a loaded machine still sends its first bytes in time, short enough to wait for.
    static let idleTimeout = Duration.seconds(1)
    /// Between two dripped bytes: a head or body dripped this slowly takes twice the idle timeout.
    static let drip = Duration.milliseconds(30)

    @Test("a connection that sends nothing is closed after the idle timeout")
    func silentConnection() async throws {
        try await withLiveAPI { port in
            let client = try await IdleClient.connect(port: port)
            #expect(await client.serverCloses())
        }
    }

    @Test("a request head dripped a byte at a time is cut off before it is answered")
    func drippedRequest() async throws {
        try await withLiveAPI { port in
            let client = try await IdleClient.connect(port: port)
            // 30 ms a byte: the whole head would take about two idle timeouts.
            try await client.drip(Array("GET /scale/api/build-id HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n".utf8), every: Self.drip)
            #expect(await client.serverCloses())
            #expect(client.received.isEmpty, "the server answered a request it should have cut off")
        }
    }

    @Test("a request body dripped a byte at a time is cut off before it is answered")
    func drippedBody() async throws {
        try await withLiveAPI { port in
            let client = try await IdleClient.connect(port: port)
            let body = Array(#"{"username": "admin", "password": "0000000000000000000000000000000000000000"}"#.utf8)
            try await client.send(Array("POST /scale/api/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8))
            // 30 ms a byte keeps the idle timer from firing, but earns the body almost no time.
            try await client.drip(body, every: Self.drip)
            #expect(await client.serverCloses())
            #expect(client.received.isEmpty, "the server answered a request it should have cut off")
        }
    }

    @Test("an idle keep-alive connection is closed after its response")
    func idleKeepAlive() async throws {
        try await withLiveAPI { port in
            let client = try await IdleClient.connect(port: port)
            try await client.send(Array("GET /scale/api/build-id HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
            #expect(await client.serverCloses())
            #expect(String(decoding: client.received, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        }
    }

    /// Runs `body` against the application `serve` runs, with a short idle timeout, on a real socket.
    private func withLiveAPI(idleTimeout: Duration = Self.idleTimeout,
                             _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let node = try APITestNode(config: "web_username: admin\n")
        let app = node.server.application(config: Config(), idleTimeout: idleTimeout)
        try await app.test(.live) { client in try await body(try #require(client.port)) }
        node.dir.remove()
    }
}

/// A raw TCP client that records what the server sends and whether it closed.
private final class IdleClient: Sendable {
    private let channel: any Channel
    private let recorder: Recorder

    final class Recorder: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let bytes = Mutex<[UInt8]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            let read = buffer.readBytes(length: buffer.readableBytes) ?? []
            bytes.withLock { $0 += read }
        }
    }

    private init(channel: any Channel, recorder: Recorder) {
        self.channel = channel
        self.recorder = recorder
    }

    static func connect(port: Int) async throws -> IdleClient {
        let recorder = Recorder()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(recorder) }
            }
            .connect(host: "localhost", port: port).get()
        return IdleClient(channel: channel, recorder: recorder)
    }

    var isActive: Bool { channel.isActive }
    var received: [UInt8] { recorder.bytes.withLock { $0 } }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Sends `bytes` one at a time, `interval` apart, until they are sent or the server closes.
    /// The pause is the slow client under test (the server's idle timer runs on real time), not
    /// a wait for something to happen.
    func drip(_ bytes: [UInt8], every interval: Duration) async throws {
        for byte in bytes {
            guard isActive else { return }
            try? await send([byte])
            try await Task.sleep(for: interval)
        }
    }

    /// Whether the server closes the connection; `limit` only stops a hang.
    func serverCloses(within limit: Duration = .seconds(10)) async -> Bool {
        let channel = self.channel
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await channel.closeFuture.get()) != nil }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let closedByServer = await group.next() ?? false
            group.cancelAll()
            if !closedByServer { try? await channel.close() }  // ends the close waiter too
            return closedByServer
        }
    }
}
