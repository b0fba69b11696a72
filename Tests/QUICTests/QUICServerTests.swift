import Crypto
import Foundation
import Logging
import NIOCore
import NIOPosix
import NodeState
import QUIC
import Testing

/// Our server with our client: streams in both directions, datagrams, many connections on one
/// socket, certificates, obfuscation, and a socket fed garbage.
@Suite("QUIC server", .timeLimit(.minutes(1)))
struct QUICServerTests {
    static let logger = Logger(label: "quic-server-test")
    static let loopback = try! SocketAddress(ipAddress: "127.0.0.1", port: 0)

    static func identity(_ name: String = "localhost") throws -> QUICServerIdentity {
        let generated = try SelfSignedCertificate.generate(domains: [name], notValidBefore: Date(timeIntervalSinceNow: -3600), days: 1)
        return QUICServerIdentity(certificateChainPEM: generated.certificatePEM, privateKeyPEM: generated.privateKeyPEM)
    }

    /// A server that echoes every stream its peers open and every datagram they send.
    static func echoServer(identity: QUICServerIdentity? = nil, configuration: QUICConfiguration = QUICConfiguration())
        async throws -> (server: QUICServer, task: Task<Void, Never>)
    {
        let server = try await QUICServer.bind(to: loopback, identity: identity ?? Self.identity(), configuration: configuration, logger: logger)
        let task = Task {
            await withDiscardingTaskGroup { group in
                for await connection in server.connections {
                    group.addTask { await echo(connection) }
                }
            }
        }
        return (server, task)
    }

    static func echo(_ connection: QUICConnection) async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                while let datagram = try? await connection.receiveDatagram() {
                    try? await connection.sendDatagram(datagram)
                }
            }
            while let stream = try? await connection.acceptStream() {
                guard !stream.isUnidirectional else { continue }
                group.addTask {
                    do {
                        while let chunk = try await stream.read() { try await stream.write(chunk) }
                        try await stream.finish()
                    } catch {
                        await stream.reset()
                    }
                }
            }
        }
    }

    static func connect(to server: QUICServer, configuration: QUICConfiguration = QUICConfiguration(),
                        trusting authorities: String? = nil, alpn: [String] = ["h3"]) async throws -> QUICConnection {
        try await QUICClient.connect(to: server.localAddress, serverName: "localhost", alpn: alpn, insecure: authorities == nil,
                                     trustedAuthoritiesPEM: authorities, configuration: configuration, logger: logger)
    }

    /// Sends `bytes` on a new stream while reading the echo; returns the echo's digest and size.
    static func roundTrip(_ bytes: [UInt8], on connection: QUICConnection) async throws -> (count: Int, digest: [UInt8]) {
        let stream = try await connection.openBidirectionalStream()
        async let sent: Void = {
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + 50_000, bytes.count)
                try await stream.write(ByteBuffer(bytes: bytes[offset..<end]))
                offset = end
            }
            try await stream.finish()
        }()
        var hasher = SHA256()
        var count = 0
        while let chunk = try await stream.read() {
            count += chunk.readableBytes
            chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        }
        try await sent
        return (count, Array(hasher.finalize()))
    }

    static func content(count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 7919) ^ ($0 >> 11)) }
    }

    @Test("a trust anchor that is not PEM fails the connect with an error, before any packet")
    func badTrustAnchor() async throws {
        await #expect(throws: QUICError.self) {
            _ = try await QUICClient.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 9), serverName: "peer",
                                             trustedAuthoritiesPEM: "not a certificate", logger: Self.logger)
        }
    }

    @Test("4 MiB echoed on one stream arrive whole, past both flow-control windows")
    func echoesLargeStream() async throws {
        var configuration = QUICConfiguration()
        configuration.streamReceiveWindow = 256 << 10  // small windows: the transfer needs credit many times over
        configuration.connectionReceiveWindow = 512 << 10
        let (server, task) = try await Self.echoServer(configuration: configuration)
        let connection = try await Self.connect(to: server, configuration: configuration)
        #expect(try await connection.negotiatedALPN() == "h3")
        let body = Self.content(count: 4 << 20)
        let echoed = try await Self.roundTrip(body, on: connection)
        #expect(echoed.count == body.count)
        #expect(echoed.digest == Array(SHA256.hash(data: body)))
        await connection.close()
        await server.close()
        await task.value
    }

    @Test("datagrams go both ways; one larger than the peer allows is refused, not sent")
    func echoesDatagrams() async throws {
        let (server, task) = try await Self.echoServer()
        let connection = try await Self.connect(to: server)
        for index in 0..<5 {
            try await connection.sendDatagram(ByteBuffer(string: "ping \(index)"))
            let echoed = try #require(try await connection.receiveDatagram())
            #expect(String(buffer: echoed) == "ping \(index)")
        }
        try await connection.sendDatagram(ByteBuffer(repeating: 1, count: 5000))  // beyond the server's 1200: dropped
        try await connection.sendDatagram(ByteBuffer(string: "after"))
        #expect(try await connection.receiveDatagram().map { String(buffer: $0) } == "after")
        await connection.close()
        await server.close()
        await task.value
    }

    @Test("twenty clients on one socket each get their own echo, and closed ones are forgotten")
    func manyConnections() async throws {
        let (server, task) = try await Self.echoServer()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let connection = try await Self.connect(to: server)
                    let body = Self.content(count: 64 << 10 + index)
                    let echoed = try await Self.roundTrip(body, on: connection)
                    #expect(echoed.digest == Array(SHA256.hash(data: body)))
                    await connection.close()
                }
            }
            try await group.waitForAll()
        }
        var open = try await server.connectionCount()
        for _ in 0..<100 where open > 0 {  // CONNECTION_CLOSE is one packet away
            try await Task.sleep(for: .milliseconds(50))
            open = try await server.connectionCount()
        }
        #expect(open == 0)
        await server.close()
        await task.value
    }

    @Test("a quiet connection with keep-alive outlives the idle timeout; one without is closed")
    func keepAlive() async throws {
        var configuration = QUICConfiguration()
        configuration.idleTimeout = .seconds(1)
        let (server, task) = try await Self.echoServer(configuration: configuration)
        var kept = configuration
        kept.keepAliveInterval = .milliseconds(300)
        let alive = try await Self.connect(to: server, configuration: kept)
        let idle = try await Self.connect(to: server, configuration: configuration)
        // Both were quiet since they opened; once the idle timeout has closed the one without
        // keep-alive, the other has been quiet as long and must still work.
        #expect(try await idle.acceptStream() == nil)
        #expect(try await Self.roundTrip(Array("ping".utf8), on: alive).count == 4)
        await alive.close()
        await server.close()
        await task.value
    }

    @Test("past the peer's stream limit, opening waits for MAX_STREAMS instead of failing")
    func streamLimitWaits() async throws {
        var configuration = QUICConfiguration()
        configuration.maxIncomingBidirectionalStreams = 4
        let (server, task) = try await Self.echoServer(configuration: configuration)
        let connection = try await Self.connect(to: server)
        for index in 0..<30 {  // sequential: each closed stream's credit comes back
            #expect(try await Self.roundTrip(Array("one \(index)".utf8), on: connection).count == "one \(index)".utf8.count)
        }
        try await withThrowingTaskGroup(of: Int.self) { group in  // 12 at once against a limit of 4
            for index in 0..<12 {
                group.addTask { try await Self.roundTrip(Self.content(count: 1000 + index), on: connection).count }
            }
            var counts: [Int] = []
            for try await count in group { counts.append(count) }
            #expect(counts.sorted() == (0..<12).map { 1000 + $0 })
        }
        await connection.close()
        await server.close()
        await task.value
    }

    @Test("a server opens a unidirectional stream the client reads")
    func serverOpensStream() async throws {
        let server = try await QUICServer.bind(to: Self.loopback, identity: Self.identity(), logger: Self.logger)
        let serving = Task {
            for await connection in server.connections {
                let stream = try await connection.openUnidirectionalStream()
                try await stream.write(ByteBuffer(string: "settings"), finish: true)
                _ = try await connection.acceptStream()  // keep the connection until the client closes it
            }
        }
        let connection = try await Self.connect(to: server)
        let stream = try #require(try await connection.acceptStream())
        #expect(stream.isUnidirectional)
        #expect(stream.id & 1 == 1)  // server-initiated
        #expect(try await stream.read().map { String(buffer: $0) } == "settings")
        #expect(try await stream.read() == nil)
        await connection.close()
        await server.close()
        try await serving.value
    }

    @Test("a client offering another ALPN fails the handshake")
    func refusesOtherALPN() async throws {
        let (server, task) = try await Self.echoServer()
        var configuration = QUICConfiguration()
        configuration.handshakeTimeout = .seconds(3)
        await #expect(throws: QUICError(.handshakeFailed, "")) {
            try await Self.connect(to: server, configuration: configuration, alpn: ["hq-interop"])
        }
        await server.close()
        await task.value
    }

    @Test("a replaced certificate is presented to new clients, and a client checks it against its CA")
    func replacesIdentity() async throws {
        let first = try Self.identity(), second = try Self.identity()
        let (server, task) = try await Self.echoServer(identity: first)
        var configuration = QUICConfiguration()
        configuration.handshakeTimeout = .seconds(15)  // the refusal comes as an alert, at once
        let kept = try await Self.connect(to: server, configuration: configuration, trusting: first.certificateChainPEM)
        await #expect(throws: QUICError(.handshakeFailed, "")) {
            try await Self.connect(to: server, configuration: configuration, trusting: second.certificateChainPEM)
        }
        try await server.replaceIdentity(second)
        let fresh = try await Self.connect(to: server, configuration: configuration, trusting: second.certificateChainPEM)
        for connection in [kept, fresh] {
            let echoed = try await Self.roundTrip(Array("still here".utf8), on: connection)
            #expect(echoed.count == 10)
            await connection.close()
        }
        await #expect(throws: QUICError(.engine, "")) {
            try await server.replaceIdentity(QUICServerIdentity(certificateChainPEM: "not a certificate", privateKeyPEM: "nor a key"))
        }
        await server.close()
        await task.value
    }

    @Test("obfuscated on both sides works; a client without it never completes the handshake")
    func obfuscates() async throws {
        var obfuscated = QUICConfiguration()
        obfuscated.obfuscation = XORObfuscation(key: 0x5A)
        obfuscated.handshakeTimeout = .seconds(15)
        let (server, task) = try await Self.echoServer(configuration: obfuscated)
        let connection = try await Self.connect(to: server, configuration: obfuscated)
        let body = Self.content(count: 1 << 20)
        #expect(try await Self.roundTrip(body, on: connection).digest == Array(SHA256.hash(data: body)))
        await connection.close()
        var plain = QUICConfiguration()
        plain.handshakeTimeout = .seconds(2)
        await #expect(throws: QUICError(.handshakeFailed, "")) {
            try await Self.connect(to: server, configuration: plain)
        }
        await server.close()
        await task.value
    }

    @Test("garbage, truncated packets and short-header packets for unknown connections leave the server serving")
    func survivesGarbage() async throws {
        let (server, task) = try await Self.echoServer()
        let socket = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        var generator = SystemRandomNumberGenerator()
        for index in 0..<2000 {
            let length = [0, 1, 7, 25, 60, 1200, 1500][index % 7]
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if index % 3 == 0, !bytes.isEmpty { bytes[0] = 0xC0 }  // long header, version random
            if index % 3 == 1, !bytes.isEmpty { bytes[0] = 0x40 }  // short header, unknown connection
            try await socket.writeAndFlush(AddressedEnvelope(remoteAddress: server.localAddress, data: ByteBuffer(bytes: bytes)))
        }
        try await socket.close()
        let connection = try await Self.connect(to: server)
        #expect(try await Self.roundTrip(Array("alive".utf8), on: connection).count == 5)
        await connection.close()
        await server.close()
        await task.value
    }

    @Test("closing the server closes its clients' connections")
    func closeReachesClients() async throws {
        let (server, task) = try await Self.echoServer()
        let connection = try await Self.connect(to: server)
        let stream = try await connection.openBidirectionalStream()
        try await stream.write(ByteBuffer(string: "x"))
        #expect(try await stream.read().map { String(buffer: $0) } == "x")
        await server.close(errorCode: 0x100)
        await task.value
        await #expect(throws: QUICError(.connectionClosed, "")) {
            while try await stream.read() != nil {}
        }
        #expect(try await connection.acceptStream() == nil)
    }
}

/// XOR with one byte behind a one-byte marker: enough to show that obfuscation wraps every packet.
struct XORObfuscation: QUICPacketObfuscation {
    let key: UInt8
    var overhead: Int { 1 }

    func obfuscate(_ packet: ByteBuffer, into datagram: inout ByteBuffer) {
        datagram.writeInteger(UInt8(0xEE))
        datagram.writeBytes(packet.readableBytesView.map { $0 ^ key })
    }

    func deobfuscate(_ datagram: ByteBuffer, into packet: inout ByteBuffer) -> Bool {
        guard datagram.readableBytes > 1, datagram.readableBytesView.first == 0xEE else { return false }
        packet.writeBytes(datagram.readableBytesView.dropFirst().map { $0 ^ key })
        return true
    }
}
