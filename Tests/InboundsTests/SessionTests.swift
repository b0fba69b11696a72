import Access
import Foundation
import Inbounds
import NIOCore
import NodeState
import Reconciler
import Routing
import Testing
import TestSupport

/// A user connected through SOCKS5 to an echo server, with the flow checked to be live.
private func connectedAlice(_ node: InboundTestNode, listener: Int, echo: EchoServer) async throws -> RawClient {
    let client = try await RawClient.connect(port: listener)
    #expect(try await client.socks5Connect(user: "alice", password: "secret1", port: echo.port) == 0)
    try await client.send(Array("hello".utf8))
    #expect(await client.read(5) == Array("hello".utf8))
    return client
}

@Suite("Sessions, kicks, quotas and revocations", .serialized)
struct SessionTests {
    @Test("a live flow shows as a device session with its bytes")
    func listing() async throws {
        let echo = try await EchoServer.start()
        let node = try await InboundTestNode(socksConfig(port: 0))
        let port = try node.port("proxy/s1")
        defer { Task { await echo.stop(); await node.stop() } }
        let client = try await connectedAlice(node, listener: port, echo: echo)
        let second = try await connectedAlice(node, listener: port, echo: echo)
        let device = try #require(node.gate.sessions().first)
        #expect(device.key == "alice|127.0.0.1|socks5")
        #expect(device.flowCount == 2)
        #expect(device.bytesFromClient == 10 && device.bytesToClient == 10)
        await client.close()
        await second.close()
        #expect(await eventually { node.gate.sessions().isEmpty })
    }

    @Test("a kicked device is cut within a second and refused for 60 s")
    func kick() async throws {
        let echo = try await EchoServer.start()
        let node = try await InboundTestNode(socksConfig(port: 0))
        let port = try node.port("proxy/s1")
        defer { Task { await echo.stop(); await node.stop() } }
        let client = try await connectedAlice(node, listener: port, echo: echo)
        #expect(node.gate.kick(sessionKey: "alice|127.0.0.1|socks5"))
        #expect(await client.closedByServer(within: .seconds(1)))
        #expect(node.gate.sessions().isEmpty)
        #expect(!node.gate.kick(sessionKey: "alice|127.0.0.1|socks5"), "nothing left to kick")
        #expect(!node.gate.admitsNow(username: "alice", inbound: .socks5), "what a VPN peer of hers would go by")
        #expect(node.gate.admitsNow(username: "alice", inbound: .wireguard), "a kick blocks the device on its own protocol")

        let again = try await RawClient.connect(port: port)
        #expect(try await again.socks5Connect(user: "alice", password: "secret1", port: echo.port) == 0x02)
        node.clock.advance(by: 59)
        let stillBlocked = try await RawClient.connect(port: port)
        #expect(try await stillBlocked.socks5Connect(user: "alice", password: "secret1", port: echo.port) == 0x02)
        node.clock.advance(by: 1)
        #expect(node.gate.admitsNow(username: "alice", inbound: .socks5))
        #expect(!node.gate.admitsNow(username: "nobody", inbound: .socks5))
        _ = try await connectedAlice(node, listener: port, echo: echo)
    }

    @Test("a user over quota is cut mid-download and refused afterwards",
          .enabled(if: ExternalTool.path("curl") != nil, "needs curl"))
    func quota() async throws {
        let server = try await ByteServer.start()
        // 0.001 GiB = 1 073 742 bytes.
        let node = try await InboundTestNode(socksConfig(port: 0, limitGB: 0.001))
        let port = try node.port("proxy/s1")
        defer { Task { await server.stop(); await node.stop() } }
        let curl = ExternalTool.path("curl")!
        let proxy = "socks5h://alice:secret1@127.0.0.1:\(port)"
        let cut = try await ChildProcess.run(curl, [
            "-sS", "--max-time", "20", "-o", "/dev/null", "-w", "%{size_download}", "-x", proxy,
            "http://127.0.0.1:\(server.port)/bytes/20000000",
        ])
        #expect(cut.status != 0)
        let received = Int(cut.stdout) ?? -1
        #expect(received > 0 && received < 20_000_000, "received \(received)")
        let refused = try await ChildProcess.run(curl, [
            "-sS", "--max-time", "10", "-o", "/dev/null", "-x", proxy, "http://127.0.0.1:\(server.port)/",
        ])
        #expect(refused.status != 0)
    }

    @Test("disabling, deleting or re-passwording a user in the file ends their live flows")
    func revocations() async throws {
        let echo = try await EchoServer.start()
        let node = try await InboundTestNode(socksConfig(port: 0))
        let port = try node.port("proxy/s1")
        defer { Task { await echo.stop(); await node.stop() } }
        let changes = [
            socksConfig(port: 0, enabled: false),
            socksConfig(port: 0).replacingOccurrences(of: "password: secret1", with: "password: secret2"),
            socksConfig(port: 0, users: false),
        ]
        for change in changes {
            try await node.apply(socksConfig(port: 0))
            let client = try await connectedAlice(node, listener: port, echo: echo)
            // Another user's edit does not touch alice.
            let bob = "\n  - id: u-bob\n    username: bob\n    password: pw\n    enabled: true"
            let report = try await node.apply(socksConfig(port: 0, extraUsers: bob))
            #expect(report.problems.isEmpty && report.changes.count == 1, "\(report)")
            #expect(!(await client.closedByServer(within: .milliseconds(100))))
            try await node.apply(change)
            #expect(await client.closedByServer(within: .seconds(1)))
        }
    }

    @Test("a user whose expiry passes while connected is cut by the limit check")
    func expiry() async throws {
        let echo = try await EchoServer.start()
        let tomorrow = Date(timeIntervalSinceNow: 86_400).formatted(.iso8601.year().month().day())
        let node = try await InboundTestNode(socksConfig(port: 0).replacingOccurrences(
            of: "    enabled: true\nproxies", with: "    enabled: true\n    expiry: \(tomorrow)\nproxies"))
        let port = try node.port("proxy/s1")
        defer { Task { await echo.stop(); await node.stop() } }
        let client = try await connectedAlice(node, listener: port, echo: echo)
        node.gate.enforceLimits()
        #expect(!(await client.closedByServer(within: .milliseconds(100))))
        #expect(node.gate.admitsNow(username: "alice", inbound: .socks5))
        node.clock.advance(by: 2 * 86_400)
        #expect(!node.gate.admitsNow(username: "alice", inbound: .socks5), "expired")
        node.gate.enforceLimits()
        #expect(await client.closedByServer(within: .seconds(1)))
        let late = try await RawClient.connect(port: port)
        try await late.send([5, 1, 2])
        #expect(await late.read(2) == [5, 2])
        try await late.send([1, 5] + Array("alice".utf8) + [7] + Array("secret1".utf8))
        #expect(await late.read(2) == [1, 1])
    }
}
