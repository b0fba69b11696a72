import Access
import Foundation
import Inbounds
import NIOCore
import NodeState
import Testing
import TestSupport

/// A node with one user and a SOCKS5 listener; `extraUsers` and `extraProxies` are list items
/// appended to `users` and `proxies`.
func socksConfig(port: Int, user: String = "alice", enabled: Bool = true, limitGB: Double = 0,
                 auth: String = "", tlsCert: String = "", extraProxies: String = "", extraUsers: String = "",
                 users: Bool = true, proxyEnabled: Bool = true) -> String {
    """
    users:\(users ? "" : " []")
    \(users ? """
      - id: u-\(user)
        username: \(user)
        password: secret1
        traffic_limit_gb: \(limitGB)
        enabled: \(enabled)
    """ : "")\(extraUsers)
    proxies:
      - id: s1
        protocol: socks5
        listen: 127.0.0.1:\(port)
        enabled: \(proxyEnabled)\(auth.isEmpty ? "" : "\n    auth: \(auth)")\(tlsCert.isEmpty ? "" : "\n    tls_cert: \(tlsCert)")
    \(extraProxies)
    """
}

@Suite("SOCKS5 listener", .serialized)
struct SOCKS5Tests {
    @Test("curl downloads through socks5h with a user's password; the bytes are counted for the user",
          .enabled(if: ExternalTool.path("curl") != nil, "needs curl"))
    func curlDownload() async throws {
        let node = try await InboundTestNode(socksConfig(port: 0))
        let port = try node.port("proxy/s1")
        let server = try await ByteServer.start()
        defer { Task { await server.stop(); await node.stop() } }
        let result = try await ChildProcess.run(ExternalTool.path("curl")!, [
            "-sS", "--max-time", "20", "-o", "/dev/null", "-w", "%{size_download}",
            "-x", "socks5h://alice:secret1@127.0.0.1:\(port)", "http://localhost:\(server.port)/bytes/1048576",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "1048576")
        #expect(await eventually { node.counters.total(for: "u-alice").down >= 1_048_576 })
        #expect(node.counters.total(for: "u-alice").up > 0)
    }

    @Test("a wrong password and an unknown user are refused", .enabled(if: ExternalTool.path("curl") != nil, "needs curl"))
    func wrongCredentials() async throws {
        let node = try await InboundTestNode(socksConfig(port: 0))
        let port = try node.port("proxy/s1")
        let server = try await ByteServer.start()
        defer { Task { await server.stop(); await node.stop() } }
        for credentials in ["alice:wrong", "mallory:secret1"] {
            let result = try await ChildProcess.run(ExternalTool.path("curl")!, [
                "-sS", "--max-time", "10", "-o", "/dev/null",
                "-x", "socks5h://\(credentials)@127.0.0.1:\(port)", "http://127.0.0.1:\(server.port)/",
            ])
            #expect(result.status != 0)
        }
        #expect(node.counters.total(for: "u-alice").total == 0)
    }

    @Test("without users the listener refuses clients unless it says auth: none (DECISIONS #12)")
    func noUsersNoOpenProxy() async throws {
        let echo = try await EchoServer.start()
        let node = try await InboundTestNode(socksConfig(port: 0, users: false))
        let port = try node.port("proxy/s1")
        defer { Task { await echo.stop(); await node.stop() } }
        let refused = try await RawClient.connect(port: port)
        try await refused.send([5, 1, 0])
        #expect(await refused.read(2) == [5, 0xFF])
        #expect(await refused.closedByServer())

        try await node.apply(socksConfig(port: 0, auth: "none", users: false))
        let open = try await RawClient.connect(port: port)
        #expect(try await open.socks5Connect(user: nil, port: echo.port) == 0)
        try await open.send(Array("ping".utf8))
        #expect(await open.read(4) == Array("ping".utf8))
        #expect(node.gate.sessions().map(\.key) == ["|127.0.0.1|socks5"])
        await open.close()
    }

    @Test("a handshake sent one byte at a time works")
    func fragmentedHandshake() async throws {
        let echo = try await EchoServer.start()
        let node = try await InboundTestNode(socksConfig(port: 0))
        let port = try node.port("proxy/s1")
        defer { Task { await echo.stop(); await node.stop() } }
        let client = try await RawClient.connect(port: port)
        let user = Array("alice".utf8), pass = Array("secret1".utf8)
        let greeting: [UInt8] = [5, 2, 0, 2]
        let auth: [UInt8] = [1, UInt8(user.count)] + user + [UInt8(pass.count)] + pass
        let request: [UInt8] = [5, 1, 0, 3, 9] + Array("localhost".utf8) + [UInt8(echo.port >> 8), UInt8(echo.port & 0xff)]
        for byte in greeting { try await client.send([byte]) }
        #expect(await client.read(2) == [5, 2])
        for byte in auth { try await client.send([byte]) }
        #expect(await client.read(2) == [1, 0])
        // The request and the first payload bytes in one write: nothing may be lost.
        for byte in request.dropLast() { try await client.send([byte]) }
        try await client.send([request.last!] + Array("early".utf8))
        let reply = await client.read(10)
        #expect(reply.count == 10 && reply[1] == 0)
        #expect(await client.read(5) == Array("early".utf8))
        await client.close()
    }

    @Test("unsupported commands and address types get their reply codes")
    func replyCodes() async throws {
        let node = try await InboundTestNode(socksConfig(port: 0, auth: "none"))
        let port = try node.port("proxy/s1")
        defer { Task { await node.stop() } }
        let bind = try await RawClient.connect(port: port)
        try await bind.send([5, 1, 0, 5, 2, 0, 1, 127, 0, 0, 1, 0, 80])
        #expect(await bind.read(2) == [5, 0])
        #expect(await bind.read(10).dropFirst().first == 0x07)
        let badType = try await RawClient.connect(port: port)
        try await badType.send([5, 1, 0, 5, 1, 0, 9, 1, 2, 3, 4, 0, 80])
        #expect(await badType.read(2) == [5, 0])
        #expect(await badType.read(10).dropFirst().first == 0x08)
        let refusedTarget = try await RawClient.connect(port: port)
        let closed = try RefusingPort()
        #expect(try await refusedTarget.socks5Connect(user: nil, port: closed.port) == 0x04)
    }

    @Test("TLS-wrapped SOCKS5 with a certificate from the TLS store")
    func tlsWrapped() async throws {
        let echo = try await EchoServer.start()
        let node = try await InboundTestNode(socksConfig(port: 0, tlsCert: "default"))
        let port = try node.port("proxy/s1")
        defer { Task { await echo.stop(); await node.stop() } }
        let client = try await RawClient.connect(port: port, tls: true)
        #expect(try await client.socks5Connect(user: "alice", password: "secret1", port: echo.port) == 0)
        try await client.send(Array("over tls".utf8))
        #expect(await client.read(8) == Array("over tls".utf8))
        await client.close()
    }

    @Test("a client that never finishes its handshake is cut off at the deadline")
    func handshakeDeadline() async throws {
        let tls = "\n  - id: t1\n    protocol: socks5\n    listen: 127.0.0.1:0\n    enabled: true\n    tls_cert: default"
        let node = try await InboundTestNode(socksConfig(port: 0, extraProxies: tls), handshakeTimeout: .milliseconds(300))
        let port = try node.port("proxy/s1"), tlsPort = try node.port("proxy/t1")
        defer { Task { await node.stop() } }
        let silent = try await RawClient.connect(port: port)
        try await silent.send([5, 1])  // half a greeting, then nothing
        #expect(await silent.closedByServer())
        let plainOnTLS = try await RawClient.connect(port: tlsPort)
        try await plainOnTLS.send([5, 1, 2])  // not a TLS record: the TLS handshake never ends
        #expect(await plainOnTLS.closedByServer())
    }

    @Test("random bytes never crash the listener; it closes the connection and serves the next client")
    func garbage() async throws {
        let echo = try await EchoServer.start()
        let node = try await InboundTestNode(socksConfig(port: 0))
        let port = try node.port("proxy/s1")
        defer { Task { await echo.stop(); await node.stop() } }
        var random = SplitMix64(seed: 0x50C5)
        for round in 0..<40 {
            let length = [1, 2, 3, 7, 64, 600, 5000][round % 7]
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            if round % 3 == 0 { bytes[0] = 5 }  // get past the version check more often
            let client = try await RawClient.connect(port: port)
            try await client.send(bytes)
            try? await client.send([])
            await client.close()
        }
        // A client sending too long a handshake is cut off.
        let flood = try await RawClient.connect(port: port)
        try await flood.send([5, 255] + Array(repeating: 1, count: 2000))
        #expect(await flood.closedByServer())
        let good = try await RawClient.connect(port: port)
        #expect(try await good.socks5Connect(user: "alice", password: "secret1", port: echo.port) == 0)
        await good.close()
    }
}
