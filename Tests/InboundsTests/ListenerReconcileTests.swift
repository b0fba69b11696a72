import Foundation
import Inbounds
import NIOCore
import NIOPosix
import Reconciler
import Testing
import TestSupport

@Suite("Listeners converge with the file", .serialized)
struct ListenerReconcileTests {
    @Test("a port change binds the new port and frees the old; an untouched listener keeps its connections")
    func portChange() async throws {
        let socksPort = try freePort(), httpPort = try freePort(), movedPort = try freePort()
        let echo = try await EchoServer.start()
        let http = { (port: Int) in "  - id: h1\n    protocol: http\n    listen: 127.0.0.1:\(port)\n    enabled: true" }
        let node = try await InboundTestNode(socksConfig(port: socksPort, extraProxies: http(httpPort)))
        defer { Task { await echo.stop(); await node.stop() } }
        let client = try await RawClient.connect(port: socksPort)
        #expect(try await client.socks5Connect(user: "alice", password: "secret1", port: echo.port) == 0)

        let report = try await node.apply(socksConfig(port: socksPort, extraProxies: http(movedPort)))
        #expect(report.changes == ["listeners: ~ http listener proxy/h1 on 127.0.0.1:\(httpPort) -> http listener proxy/h1 on 127.0.0.1:\(movedPort)"])
        await #expect(throws: (any Error).self) { _ = try await RawClient.connect(port: httpPort) }
        let moved = try await RawClient.connect(port: movedPort)
        await moved.close()
        // The SOCKS5 flow opened before the reconcile still carries bytes.
        try await client.send(Array("still here".utf8))
        #expect(await client.read(10) == Array("still here".utf8))

        let again = try await node.apply(socksConfig(port: socksPort, extraProxies: http(movedPort)))
        #expect(again.changes.isEmpty, "two reconciles in a row change nothing")
        await client.close()
    }

    @Test("a settings change on the same address swaps in place: live flows stay, new clients see it")
    func settingsSwap() async throws {
        let port = try freePort()
        let echo = try await EchoServer.start()
        let node = try await InboundTestNode(socksConfig(port: port))
        defer { Task { await echo.stop(); await node.stop() } }
        let client = try await RawClient.connect(port: port)
        #expect(try await client.socks5Connect(user: "alice", password: "secret1", port: echo.port) == 0)
        let report = try await node.apply(socksConfig(port: port, auth: "none"))
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
        let port = try freePort()
        let echo = try await EchoServer.start()
        let node = try await InboundTestNode(socksConfig(port: port))
        defer { Task { await echo.stop(); await node.stop() } }
        let client = try await RawClient.connect(port: port)
        #expect(try await client.socks5Connect(user: "alice", password: "secret1", port: echo.port) == 0)
        let report = try await node.apply(socksConfig(port: port, proxyEnabled: false))
        #expect(report.changes == ["listeners: - socks5 listener proxy/s1 on 127.0.0.1:\(port)"], "\(report)")
        #expect(await client.closedByServer(within: .seconds(1)))
        await #expect(throws: (any Error).self) { _ = try await RawClient.connect(port: port) }
    }

    @Test("a port that cannot be bound is a failed change, retried by the next reconcile")
    func busyPort() async throws {
        let port = try freePort()
        let squatter = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: port).get()
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
        let port = try freePort()
        let node = try await InboundTestNode(socksConfig(port: port))
        await node.reconciler.teardown()
        await #expect(throws: (any Error).self) { _ = try await RawClient.connect(port: port) }
        await node.stop()
    }
}
