import Access
import Foundation
import Inbounds
import NIOCore
import NIOPosix
import NodeState
import Reconciler
import Testing
import TestSupport

@Suite("Listeners converge with the file", .serialized)
struct ListenerReconcileTests {
    @Test("an address change binds the new socket and frees the old; an untouched listener keeps its connections")
    func addressChange() async throws {
        let echo = try await EchoServer.start()
        let http = { (host: String) in "  - id: h1\n    protocol: http\n    listen: \(host):0\n    enabled: true" }
        let node = try await InboundTestNode(socksConfig(port: 0, extraProxies: http("127.0.0.1")))
        defer { Task { await echo.stop(); await node.stop() } }
        let socksPort = try node.port("proxy/s1"), httpPort = try node.port("proxy/h1")
        let client = try await RawClient.connect(port: socksPort)
        #expect(try await client.socks5Connect(user: "alice", password: "secret1", port: echo.port) == 0)

        let report = try await node.apply(socksConfig(port: 0, extraProxies: http("0.0.0.0")))
        #expect(report.changes == ["listeners: ~ http listener proxy/h1 on 127.0.0.1:0 -> http listener proxy/h1 on 0.0.0.0:0"])
        let movedPort = try node.port("proxy/h1")
        #expect(movedPort != httpPort, "the new socket is bound while the old one is still open")
        await #expect(throws: (any Error).self) { _ = try await RawClient.connect(port: httpPort) }
        let moved = try await RawClient.connect(port: movedPort)
        await moved.close()
        // The SOCKS5 flow opened before the reconcile still carries bytes.
        try await client.send(Array("still here".utf8))
        #expect(await client.read(10) == Array("still here".utf8))

        let again = try await node.apply(socksConfig(port: 0, extraProxies: http("0.0.0.0")))
        #expect(again.changes.isEmpty, "two reconciles in a row change nothing")
        await client.close()
    }

    @Test("a settings change on the same address swaps in place: live flows stay, new clients see it")
    func settingsSwap() async throws {
        let echo = try await EchoServer.start()
        let node = try await InboundTestNode(socksConfig(port: 0))
        defer { Task { await echo.stop(); await node.stop() } }
        let port = try node.port("proxy/s1")
        let client = try await RawClient.connect(port: port)
        #expect(try await client.socks5Connect(user: "alice", password: "secret1", port: echo.port) == 0)
        let report = try await node.apply(socksConfig(port: 0, auth: "none"))
        #expect(report.failures.isEmpty && report.changes.count == 1)
        try await client.send(Array("kept".utf8))
        #expect(await client.read(4) == Array("kept".utf8))
        let anonymous = try await RawClient.connect(port: port)
        #expect(try await anonymous.socks5Connect(user: nil, port: echo.port) == 0)
        await anonymous.close()
        await client.close()
    }

    @Test("removing a listener closes it and ends its flows")
    func removal() async throws {
        let echo = try await EchoServer.start()
        let node = try await InboundTestNode(socksConfig(port: 0))
        defer { Task { await echo.stop(); await node.stop() } }
        let port = try node.port("proxy/s1")
        let client = try await RawClient.connect(port: port)
        #expect(try await client.socks5Connect(user: "alice", password: "secret1", port: echo.port) == 0)
        let report = try await node.apply(socksConfig(port: 0, proxyEnabled: false))
        #expect(report.changes == ["listeners: - socks5 listener proxy/s1 on 127.0.0.1:0"], "\(report)")
        #expect(node.gate.listeners.listener("proxy/s1") == nil, "a closed listener is no longer reported")
        #expect(await client.closedByServer(within: .seconds(1)))
        await #expect(throws: (any Error).self) { _ = try await RawClient.connect(port: port) }
    }

    @Test("a port that cannot be bound is a failed change, retried by the next reconcile")
    func busyPort() async throws {
        let squatter = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(squatter.localAddress?.port)
        let node = try await InboundTestNode("users: []\n")
        defer { Task { await node.stop() } }
        let refused = try await node.apply(socksConfig(port: port))
        #expect(refused.failures.count == 1)
        #expect(refused.failures.first?.contains("cannot listen on 127.0.0.1:\(port)") ?? false, "\(refused.failures)")
        try await squatter.close()
        let retried = await node.reconciler.reconcile()
        #expect(retried.failures.isEmpty)
        #expect(retried.changes == ["listeners: + socks5 listener proxy/s1 on 127.0.0.1:\(port)"])
        let client = try await RawClient.connect(port: port)
        await client.close()
    }

    @Test("a file without users or listeners converges once and then stays put")
    func emptyConverges() async throws {
        let node = try await InboundTestNode("users: []\n")
        defer { Task { await node.stop() } }
        let again = await node.reconciler.reconcile()
        #expect(again.changes.isEmpty, "\(again.changes)")
        let torn = await node.reconciler.teardown()
        #expect(torn.changes == ["access: - access policy: 0 users (0 enabled)"])
    }

    @Test("teardown closes every listener")
    func teardown() async throws {
        let node = try await InboundTestNode(socksConfig(port: 0))
        let port = try node.port("proxy/s1")
        await node.reconciler.teardown()
        await #expect(throws: (any Error).self) { _ = try await RawClient.connect(port: port) }
        await node.stop()
    }
}
